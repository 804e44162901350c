#include "src/engine/run.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "src/cases/facts.h"
#include "src/engine/discovery.h"
#include "src/engine/executor.h"
#include "src/engine/outcome.h"
#include "src/engine/shard.h"
#include "src/http/http_date.h"
#include "src/http/url.h"

namespace condspec {

namespace {

// Runs one scenario; scenarios that touch the writable URL hold `unsafe`
// while they run. Nothing may escape a worker thread (it would terminate the
// process before any report is written), so the one thing the library can
// still throw, an allocation failure, becomes an error outcome.
ScenarioResult run_guarded(const Scenario& scenario, const ScenarioEnv& env, std::mutex& unsafe) {
  try {
    std::unique_lock lock(unsafe, std::defer_lock);
    if (scenario.unsafe()) lock.lock();
    return run_scenario(scenario, env);
  } catch (const std::exception& e) {
    ScenarioResult result;
    result.scenario = scenario.id;
    result.title = scenario.title;
    result.section = scenario.section;
    result.outcome = Outcome::error;
    result.reason = std::string("internal error: ") + e.what();
    return result;
  }
}

struct WorkItem {
  size_t target;
  const Scenario* scenario;
  size_t slot;  // index in the target's results
};
}  // namespace

RunResult run_suite(const Suite& suite, const RunPlan& plan, const Clock& clock) {
  RunResult run;
  // RFC 3339, as machine readers of the JSON report expect.
  run.started_at = fmt::format("{:%Y-%m-%dT%H:%M:%S}Z", clock.now());
  const auto started = std::chrono::steady_clock::now();
  auto cancelled = [&] { return plan.cancel && plan.cancel->cancelled(); };
  // Every exchange of the run wakes on the run's cancellation.
  std::vector<TargetConfig> targets = plan.targets;
  for (auto& t : targets)
    if (!t.client.cancel) t.client.cancel = plan.cancel;

  std::vector<const Scenario*> selected;
  for (const auto& s : suite.scenarios)
    if (is_selected(s, plan.selection)) selected.push_back(&s);

  std::vector<WorkItem> work;
  run.shard_index = plan.shard_count > 0 ? plan.shard_index : 0;
  run.shard_count = std::max(0, plan.shard_count);
  run.targets.resize(targets.size());
  for (size_t t = 0; t < targets.size(); ++t) {
    run.targets[t].url = targets[t].url.str();
    run.targets[t].protocol = targets[t].client.protocol;
  }
  for (size_t t = 0; t < targets.size() && !cancelled(); ++t) {
    TargetResult& target = run.targets[t];
    Discovery d = discover(targets[t], clock.now());
    target.discovery = std::move(d.records);
    if (cancelled()) {
      // Facts learnt in part would make scenarios not applicable for the
      // wrong reason: the target is not tested at all.
      target.unusable = "not tested: the run was interrupted during discovery";
      break;
    }
    target.facts = std::move(d.facts);
    target.unusable = std::move(d.unusable);
    if (plan.on_target) plan.on_target(target);
    if (target.unusable) continue;  // stop early: every scenario would fail the same way
    size_t slot = 0;
    for (size_t i = 0; i < selected.size(); ++i)
      if (in_shard(t * selected.size() + i, plan.shard_index, plan.shard_count))
        work.push_back({t, selected[i], slot++});
    target.results.resize(slot);
  }

  std::atomic<size_t> next{0};
  std::mutex report_mutex;
  // Scenarios with unsafe methods share one writable resource: they run one
  // at a time so their state checks cannot interfere.
  std::mutex unsafe_mutex;
  std::vector<char> done(work.size(), 0);

  auto worker = [&] {
    for (size_t i = next++; i < work.size(); i = next++) {
      if (cancelled()) return;
      const WorkItem& item = work[i];
      ScenarioEnv env{suite, targets[item.target], run.targets[item.target].facts, clock};
      ScenarioResult result = run_guarded(*item.scenario, env, unsafe_mutex);
      // A scenario the cancellation cut short was not judged: left out.
      if (cancelled()) return;
      std::lock_guard lock(report_mutex);
      TargetResult& target = run.targets[item.target];
      target.results[item.slot] = std::move(result);
      done[i] = 1;
      if (plan.on_result) plan.on_result(target, target.results[item.slot]);
    }
  };

  const int jobs = std::max(1, std::min<int>(plan.jobs, static_cast<int>(work.size())));
  {
    std::vector<std::jthread> threads;
    for (int j = 1; j < jobs; ++j) threads.emplace_back(worker);
    worker();
  }

  // An interrupted run keeps what finished and says it is incomplete.
  if (cancelled()) {
    run.complete = false;
    for (auto& target : run.targets)
      if (target.discovery.empty() && !target.unusable)
        target.unusable = "not tested: the run was interrupted before it began";
    for (size_t t = 0; t < run.targets.size(); ++t) {
      auto& results = run.targets[t].results;
      std::vector<ScenarioResult> kept;
      for (size_t i = 0; i < work.size(); ++i)
        if (work[i].target == t && done[i]) kept.push_back(std::move(results[work[i].slot]));
      results = std::move(kept);
    }
  }
  run.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started);
  return run;
}

}  // namespace condspec
