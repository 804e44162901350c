#include "src/engine/run.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <utility>

#include "src/cases/facts.h"
#include "src/engine/cache_discovery.h"
#include "src/engine/connection_pool.h"
#include "src/engine/discovery.h"
#include "src/engine/evidence.h"
#include "src/engine/executor.h"
#include "src/engine/outcome.h"
#include "src/engine/shard.h"
#include "src/engine/shared_requests.h"
#include "src/http/http_date.h"
#include "src/http/url.h"

namespace condspec {

bool touches_only_the_writable_url(const Scenario& scenario) {
  if (scenario.steps.empty()) return false;
  for (const auto& step : scenario.steps)
    if (step.request.resource != Resource::unsafe) return false;
  for (const auto& need : scenario.needs)
    if (need != fact::unsafe_url) return false;
  return true;
}

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
    result.rfc = scenario.rfc;
    result.outcome = Outcome::error;
    result.reason = std::string("internal error: ") + e.what();
    return result;
  }
}

// Targets whose writable-only scenarios would send exactly the same
// requests: the same writable URL, protocol, --header lines and client
// options. They share one run of each such scenario.
std::string writable_group_key(const TargetConfig& t) {
  std::string key = fmt::format("{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}", t.unsafe->str(),
                                to_string(t.client.protocol), t.client.connect_timeout.count(),
                                t.client.deadline.count(), t.client.max_head_bytes,
                                t.client.max_content_bytes, t.client.verify_tls, t.client.ca_file);
  for (const auto& f : t.extra_fields) key += fmt::format("\n{}: {}", f.name, f.value);
  return key;
}

bool has_split_pause(const Scenario& scenario) {
  for (const auto& step : scenario.steps)
    if (!step.request.split_before.empty()) return true;
  return false;
}

// The order tasks are taken in, most urgent first: the writable chains (the
// longest sequence of dependent exchanges of a run), scenarios that pause
// (their pause then overlaps everything else), discoveries (each frees a
// target's scenarios), then scenarios in report order.
enum class Rank { writable_chain, pausing_scenario, discovery, scenario };

struct Task {
  Rank rank;
  size_t target = 0;  // or the writable group, for a chain
  size_t item = 0;    // index in the target's items
  auto operator<=>(const Task&) const = default;
};

// One (target, scenario) pair of this shard.
struct Item {
  const Scenario* scenario;
  std::optional<size_t> shared;  // index in the group's chain, when shared
  // Needs no fact: it runs alongside its target's discovery, and is
  // reported (or, if the target is unusable, dropped) when that ends.
  bool early = false;
};

const Facts kNoFacts;

struct TargetState {
  std::vector<Item> items;  // in report order: items[i] fills results[i]
  std::vector<char> done;
  std::optional<size_t> group;  // writable group
  bool discovered = false;
  size_t remaining = 0;  // items not yet done, once discovered
  // Its requests sent once; dropped when its last scenario is done (a
  // scenario still running holds its own reference).
  std::shared_ptr<SharedRequests> shared;
};

struct WritableGroup {
  std::vector<size_t> targets;
  std::vector<const Scenario*> chain;  // suite order
  std::vector<std::optional<ScenarioResult>> results;
};

class Scheduler : public ConnectionBudget {
 public:
  Scheduler(const Suite& suite, const RunPlan& plan, const Clock& clock, RunResult& run)
      : suite_(suite),
        plan_(plan),
        clock_(clock),
        run_(run),
        configs_(plan.targets),
        jobs_(static_cast<size_t>(std::max(1, plan.jobs))),
        pool_(jobs_) {
    // Every exchange of the run wakes on the run's cancellation.
    for (auto& t : configs_)
      if (!t.client.cancel) t.client.cancel = plan.cancel;
  }

  void run(const std::vector<const Scenario*>& selected);

  // A discovery borrows the shares of idle workers for its probes: a lent
  // share is a worker that takes no task, so the tasks in flight and the
  // lent shares together stay within --jobs, and so do the connections.
  size_t borrow(size_t wanted) override;
  void give_back(size_t count) override;

 private:
  bool cancelled() const { return plan_.cancel && plan_.cancel->cancelled(); }
  // A cache scenario opens connections of its own: a connection another
  // scenario left open could carry what the cache did for that scenario
  // (stray bytes, a late response) into this one's evidence.
  ConnectionPool* pool_for(size_t target) { return configs_[target].cache ? nullptr : &pool_; }
  void plan_items(const std::vector<const Scenario*>& selected);
  void worker();
  void execute(const Task& task);
  void run_chain(size_t group);
  void offer_discovery(size_t target, const Discovery& d);
  // The following hold mutex_.
  void enqueue_discoveries();
  void discovered(size_t target, Discovery d);
  void finished(size_t target, size_t item, ScenarioResult result);
  void report(size_t target, size_t item);
  void share(size_t group, size_t link);

  const Suite& suite_;
  const RunPlan& plan_;
  const Clock& clock_;
  RunResult& run_;
  std::vector<TargetConfig> configs_;  // the plan's, wired to its cancellation
  const size_t jobs_;
  std::vector<TargetState> targets_;
  std::vector<WritableGroup> groups_;
  ConnectionPool pool_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::set<Task> ready_;
  size_t running_ = 0;
  size_t lent_ = 0;  // workers' shares lent to a discovery
  size_t next_discovery_ = 0;
  size_t open_targets_ = 0;  // discovery begun, items not all done
  // Scenarios with unsafe methods share one writable resource: they run one
  // at a time so their state checks cannot interfere.
  std::mutex unsafe_;
};

void Scheduler::plan_items(const std::vector<const Scenario*>& selected) {
  std::map<std::string, size_t> group_of_key;
  targets_.resize(configs_.size());
  for (size_t t = 0; t < configs_.size(); ++t) {
    const TargetConfig& config = configs_[t];
    TargetState& target = targets_[t];
    // A cache run's target has no writable URL; were one given, its results
    // (about a cache and its origin) are still never shared with another.
    if (config.unsafe && !config.cache) {
      auto [it, added] = group_of_key.emplace(writable_group_key(config), groups_.size());
      if (added) groups_.emplace_back();
      target.group = it->second;
      groups_[it->second].targets.push_back(t);
    }
    if (plan_.share_requests && !config.cache) target.shared = std::make_shared<SharedRequests>();
    for (size_t i = 0; i < selected.size(); ++i) {
      if (!in_shard(t * selected.size() + i, plan_.shard_index, plan_.shard_count)) continue;
      // A cache scenario waits for the cache's discovery, as its facts (and
      // the origin's first answers) are the cache's own.
      Item item{selected[i], std::nullopt, selected[i]->needs.empty() && !config.cache};
      if (target.group && touches_only_the_writable_url(*selected[i])) {
        auto& chain = groups_[*target.group].chain;
        auto at = std::find(chain.begin(), chain.end(), selected[i]);
        item.shared = static_cast<size_t>(at - chain.begin());
        item.early = false;
        if (at == chain.end()) chain.push_back(selected[i]);
      }
      target.items.push_back(item);
    }
    target.done.assign(target.items.size(), 0);
    run_.targets[t].results.resize(target.items.size());
  }
  // A chain follows suite order, whatever order the targets added to it.
  for (auto& group : groups_) {
    std::vector<const Scenario*> ordered;
    for (const Scenario* s : selected)
      if (std::find(group.chain.begin(), group.chain.end(), s) != group.chain.end())
        ordered.push_back(s);
    group.chain = std::move(ordered);
    group.results.resize(group.chain.size());
    for (size_t t : group.targets)
      for (auto& item : targets_[t].items)
        if (item.shared)
          item.shared =
              static_cast<size_t>(std::find(group.chain.begin(), group.chain.end(), item.scenario) -
                                  group.chain.begin());
  }
}

void Scheduler::run(const std::vector<const Scenario*>& selected) {
  plan_items(selected);
  {
    std::lock_guard lock(mutex_);
    for (size_t g = 0; g < groups_.size(); ++g)
      if (!groups_[g].chain.empty()) ready_.insert({Rank::writable_chain, g, 0});
    enqueue_discoveries();
  }
  const int jobs = std::max(1, plan_.jobs);
  std::vector<std::jthread> threads;
  for (int j = 1; j < jobs; ++j) threads.emplace_back([this] { worker(); });
  worker();
  for (auto& thread : threads) thread.join();
  if (!cancelled()) return;
  // An interrupted run keeps what finished and says it is incomplete.
  run_.complete = false;
  for (size_t t = 0; t < targets_.size(); ++t) {
    // A target whose discovery never ended was not tested at all; without
    // a reason it would read as a target with nothing to report.
    if (!targets_[t].discovered && !run_.targets[t].unusable)
      run_.targets[t].unusable = "not tested: the run was interrupted before its discovery ended";
    auto& results = run_.targets[t].results;
    std::vector<ScenarioResult> kept;
    for (size_t i = 0; i < results.size() && i < targets_[t].done.size(); ++i)
      if (targets_[t].done[i]) kept.push_back(std::move(results[i]));
    results = std::move(kept);
  }
}

// Targets are discovered a few at a time, in order: enough to keep every
// worker busy, few enough that a run of many targets holds the state of
// only those.
void Scheduler::enqueue_discoveries() {
  const size_t window = static_cast<size_t>(std::max(1, plan_.jobs));
  while (next_discovery_ < targets_.size() && open_targets_ < window) {
    const size_t t = next_discovery_++;
    ready_.insert({Rank::discovery, t, 0});
    for (size_t i = 0; i < targets_[t].items.size(); ++i)
      if (targets_[t].items[i].early) ready_.insert({Rank::scenario, t, i});
    ++open_targets_;
  }
}

void Scheduler::worker() {
  std::unique_lock lock(mutex_);
  for (;;) {
    // A signal handler sets `cancel` without notifying: look again now and
    // then.
    changed_.wait_for(lock, std::chrono::milliseconds(50), [&] {
      return (!ready_.empty() && running_ + lent_ < jobs_) || running_ == 0 || cancelled();
    });
    if (cancelled() || (ready_.empty() && running_ == 0)) break;
    if (ready_.empty() || running_ + lent_ >= jobs_) continue;
    Task task = *ready_.begin();
    ready_.erase(ready_.begin());
    ++running_;
    lock.unlock();
    execute(task);
    lock.lock();
    --running_;
    changed_.notify_all();
  }
  changed_.notify_all();
}

void Scheduler::execute(const Task& task) {
  switch (task.rank) {
    case Rank::writable_chain:
      run_chain(task.target);
      return;
    case Rank::discovery: {
      const TargetConfig& config = configs_[task.target];
      Discovery d = config.cache ? discover_cache(config, clock_.now())
                                 : discover(config, clock_.now(), &pool_, this);
      offer_discovery(task.target, d);
      for (auto& record : d.records) keep_only_what_reports_show(record);
      if (cancelled()) {
        // Facts learnt in part would make scenarios not applicable for the
        // wrong reason: the target is not tested at all.
        d.facts.clear();
        d.unusable = "not tested: the run was interrupted during discovery";
      }
      std::lock_guard lock(mutex_);
      discovered(task.target, std::move(d));
      return;
    }
    case Rank::pausing_scenario:
    case Rank::scenario: {
      const Item& item = targets_[task.target].items[task.item];
      // An early scenario may run while discovery writes the facts.
      const Facts& facts = item.early ? kNoFacts : run_.targets[task.target].facts;
      std::shared_ptr<SharedRequests> shared;
      {
        std::lock_guard lock(mutex_);
        shared = targets_[task.target].shared;
      }
      ScenarioEnv env{suite_, configs_[task.target], facts,
                      clock_, pool_for(task.target), shared.get()};
      ScenarioResult result = run_guarded(*item.scenario, env, unsafe_);
      // A scenario the cancellation cut short was not judged: left out.
      if (cancelled()) return;
      keep_only_what_reports_show(result);
      std::lock_guard lock(mutex_);
      finished(task.target, task.item, std::move(result));
      return;
    }
  }
}

// Discovery's exchanges, before they are cut down to what reports show,
// for the target's scenarios to use rather than send the same again.
void Scheduler::offer_discovery(size_t target, const Discovery& d) {
  std::shared_ptr<SharedRequests> shared;
  {
    std::lock_guard lock(mutex_);
    shared = targets_[target].shared;
  }
  if (!shared) return;
  for (const auto& record : d.records) {
    auto url = parse_url(record.url);
    if (url && !record.follow_up && record.hop == Hop::client)
      shared->offer(request_identity(*url, record.exchange), kSentByDiscovery, record.exchange);
  }
}

// The writable-only scenarios of one group, one after another, each run
// once for all the group's targets. They need no discovery, so the chain
// starts with the run.
void Scheduler::run_chain(size_t g) {
  WritableGroup& group = groups_[g];
  const TargetConfig& config = configs_[group.targets.front()];
  const Facts facts{std::string(fact::unsafe_url)};
  for (size_t link = 0; link < group.chain.size(); ++link) {
    if (cancelled()) return;
    {
      std::lock_guard lock(mutex_);
      bool wanted = false;  // by a target still usable
      for (size_t t : group.targets) wanted = wanted || !run_.targets[t].unusable;
      if (!wanted) return;
    }
    ScenarioEnv env{suite_, config, facts, clock_, &pool_};
    ScenarioResult result = run_guarded(*group.chain[link], env, unsafe_);
    if (cancelled()) return;
    keep_only_what_reports_show(result);
    std::lock_guard lock(mutex_);
    group.results[link] = std::move(result);
    share(g, link);
  }
}

// Holds mutex_. A shared result goes to every discovered, usable target of
// its group that runs it.
void Scheduler::share(size_t g, size_t link) {
  for (size_t t : groups_[g].targets) {
    if (!targets_[t].discovered || run_.targets[t].unusable) continue;
    const auto& items = targets_[t].items;
    for (size_t i = 0; i < items.size(); ++i)
      if (items[i].shared == link) finished(t, i, *groups_[g].results[link]);
  }
}

size_t Scheduler::borrow(size_t wanted) {
  std::lock_guard lock(mutex_);
  const size_t idle = jobs_ - std::min(jobs_, running_ + lent_);
  const size_t lent = std::min(wanted, idle);
  lent_ += lent;
  return lent;
}

void Scheduler::give_back(size_t count) {
  std::lock_guard lock(mutex_);
  lent_ -= std::min(lent_, count);
  changed_.notify_all();
}

// Holds mutex_.
void Scheduler::discovered(size_t t, Discovery d) {
  TargetResult& target = run_.targets[t];
  TargetState& state = targets_[t];
  target.facts = std::move(d.facts);
  target.unusable = std::move(d.unusable);
  target.discovery = std::move(d.records);
  state.discovered = true;
  if (plan_.on_target) plan_.on_target(target);
  state.remaining = state.items.size();
  if (target.unusable || state.remaining == 0) {
    // Stop early: every scenario would fail the same way. Its early
    // scenarios still queued are not sent at all (against a server that
    // never answers, each would wait out --timeout for a dropped result);
    // those already running end on their own.
    std::erase_if(ready_, [t](const Task& task) {
      return task.target == t &&
             (task.rank == Rank::scenario || task.rank == Rank::pausing_scenario);
    });
    target.results.clear();
    state.remaining = 0;
    state.shared.reset();
    --open_targets_;
    enqueue_discoveries();
    return;
  }
  for (size_t i = 0; i < state.items.size(); ++i) {
    const Item& item = state.items[i];
    if (state.done[i]) {
      report(t, i);  // an early scenario that ended first
      continue;
    }
    if (item.early) continue;  // still running, or queued
    if (item.shared) {
      const auto& shared = groups_[*state.group].results[*item.shared];
      if (shared) finished(t, i, *shared);
      continue;
    }
    ready_.insert(
        {has_split_pause(*item.scenario) ? Rank::pausing_scenario : Rank::scenario, t, i});
  }
}

// Holds mutex_.
void Scheduler::finished(size_t t, size_t i, ScenarioResult result) {
  TargetResult& target = run_.targets[t];
  TargetState& state = targets_[t];
  if (state.discovered && target.unusable) return;  // an early scenario's, dropped
  target.results[i] = std::move(result);
  state.done[i] = 1;
  if (state.discovered) report(t, i);
}

// Holds mutex_. A finished scenario of a discovered target is reported.
void Scheduler::report(size_t t, size_t i) {
  TargetResult& target = run_.targets[t];
  TargetState& state = targets_[t];
  if (plan_.on_result) plan_.on_result(target, target.results[i]);
  if (--state.remaining == 0) {
    state.shared.reset();
    --open_targets_;
    enqueue_discoveries();
  }
}

}  // namespace

RunResult run_suite(const Suite& suite, const RunPlan& plan, const Clock& clock) {
  RunResult run;
  // RFC 3339, as machine readers of the JSON report expect.
  run.started_at = fmt::format("{:%Y-%m-%dT%H:%M:%S}Z", clock.now());
  const auto started = std::chrono::steady_clock::now();

  std::vector<const Scenario*> selected;
  for (const auto& s : suite.scenarios)
    if (is_selected(s, plan.selection)) selected.push_back(&s);

  run.shard_index = plan.shard_count > 0 ? plan.shard_index : 0;
  run.shard_count = std::max(0, plan.shard_count);
  run.targets.resize(plan.targets.size());
  for (size_t t = 0; t < plan.targets.size(); ++t) {
    run.targets[t].url = plan.targets[t].url.str();
    run.targets[t].protocol = plan.targets[t].client.protocol;
  }
  Scheduler scheduler(suite, plan, clock, run);
  scheduler.run(selected);
  run.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started);
  return run;
}

}  // namespace condspec
