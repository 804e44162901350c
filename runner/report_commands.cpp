// `condspec baseline` (a baseline file from a JSON report) and `condspec
// merge` (shard reports into one run): both read JSON reports and never run
// a scenario.

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "reports/atomic_file.h"
#include "reports/json_reader.h"
#include "reports/report_text.h"
#include "runner/baseline.h"
#include "runner/cases_dir.h"
#include "runner/color.h"
#include "runner/commands.h"
#include "runner/options.h"
#include "src/cases/facts.h"
#include "src/cases/loader.h"
#include "src/cases/model.h"
#include "src/core/clock.h"
#include "src/core/file.h"
#include "src/core/result.h"
#include "src/core/text.h"
#include "src/engine/gate.h"
#include "src/engine/run_result.h"

namespace condspec {

namespace {

Result<ReadReport> read_report(const std::string& path) {
  auto text = read_file(path);
  if (!text) return Error{fmt::format("{}: cannot read the report", path)};
  return read_json_report(*text, path);
}

// "shard 2/4", or "not a shard": how merge names a report it cannot combine.
std::string which_shard(const RunResult& run) {
  return run.shard_count ? fmt::format("shard {}/{}", run.shard_index, run.shard_count)
                         : std::string("not a shard");
}

}  // namespace

int baseline_command(const BaselineOptions& options, std::ostream& out, std::ostream& err) {
  if (auto target = output_target(options.output); !target) {
    err << "condspec: " << target.error().message << "\n";
    return kExitUsage;
  }
  auto report = read_report(options.from);
  if (!report) {
    err << "condspec: " << report.error().message << "\n";
    return kExitUsage;
  }
  const std::string text = write_baseline(report->run);
  auto written = write_output(options.output, text);
  if (!written) {
    err << "condspec: " << written.error().message << "\n";
    return kExitUsage;
  }
  size_t entries = 0;
  for (size_t at = text.find("\n  - scenario:"); at != std::string::npos;
       at = text.find("\n  - scenario:", at + 1))
    ++entries;
  out << fmt::format(
      "wrote {} with {} known failure{}; replace each placeholder reason before using it with "
      "--baseline\n",
      options.output, entries, entries == 1 ? "" : "s");
  return kExitPassed;
}

int merge_command(const MergeOptions& options, std::ostream& out, std::ostream& err) {
  if (!reports_can_be_written(options.reports, err)) return kExitUsage;
  std::vector<ReadReport> inputs;
  for (const auto& path : options.inputs) {
    auto report = read_report(path);
    if (!report) {
      err << "condspec: " << report.error().message << "\n";
      return kExitUsage;
    }
    inputs.push_back(std::move(*report));
  }
  auto loaded_baseline = load_baseline_if_given(options.baseline);
  if (!loaded_baseline) {
    err << baseline_errors(loaded_baseline.error());
    return kExitUsage;
  }
  const std::optional<Baseline>& baseline = *loaded_baseline;

  RunResult merged;
  merged.tool_version = inputs.front().run.tool_version;
  merged.started_at = inputs.front().run.started_at;
  const FailOn fail_on = options.fail_on.empty()
                             ? inputs.front().fail_on
                             : fail_on_from(options.fail_on).value_or(FailOn::must);
  // Shards of one run: the same N, each K once.
  const int shard_count = inputs.front().run.shard_count;
  std::set<int> shards;
  // A target is a URL and a protocol: "URL (h2)".
  std::map<std::string, size_t> target_index;                         // target -> merged.targets
  std::map<std::pair<std::string, std::string>, std::string> origin;  // (target, scenario) -> file
  std::set<std::string> notes;
  for (size_t i = 0; i < inputs.size(); ++i) {
    RunResult& run = inputs[i].run;
    const std::string& path = options.inputs[i];
    if (run.shard_count != shard_count) {
      err << fmt::format("condspec: {} is {} but {} is {}: merge the shards of one run\n", path,
                         which_shard(run), options.inputs.front(), which_shard(inputs.front().run));
      return kExitUsage;
    }
    if (shard_count > 0 && !shards.insert(run.shard_index).second) {
      err << fmt::format("condspec: {}: shard {}/{} is given twice\n", path, run.shard_index,
                         shard_count);
      return kExitUsage;
    }
    merged.complete = merged.complete && run.complete;
    merged.elapsed = std::max(merged.elapsed, run.elapsed);
    notes.insert(run.baseline_notes.begin(), run.baseline_notes.end());
    for (auto& target : run.targets) {
      const std::string label = target_label(target);
      auto [it, added] = target_index.try_emplace(label, merged.targets.size());
      if (added) {
        TargetResult copy = target;
        copy.results.clear();
        merged.targets.push_back(std::move(copy));
      }
      TargetResult& into = merged.targets[it->second];
      if (into.discovery.empty() && !target.discovery.empty()) {
        into.discovery = target.discovery;
        into.facts = target.facts;
        into.unusable = target.unusable;
      }
      for (auto& r : target.results) {
        auto [seen, first] = origin.try_emplace({label, r.scenario}, path);
        if (!first) {
          err << fmt::format(
              "condspec: {} and {} both hold scenario {} on {}: merge the shards of one run\n",
              seen->second, path, r.scenario, label);
          return kExitUsage;
        }
        into.results.push_back(std::move(r));
      }
    }
  }
  std::vector<std::string> missing;
  for (int k = 1; k <= shard_count; ++k)
    if (!shards.contains(k)) missing.push_back(fmt::format("{}/{}", k, shard_count));
  if (!missing.empty()) {
    merged.complete = false;
    err << fmt::format("condspec: shard{} {} {} missing: the merged run is incomplete\n",
                       missing.size() == 1 ? "" : "s", join(missing, ", "),
                       missing.size() == 1 ? "is" : "are");
  }

  // Suite order, as an unsharded run reports it.
  auto folders = cases_folders(options.cases.dirs, options.cases.no_default);
  auto suite = folders ? load_suite(*folders) : Loaded<Suite>(std::vector<Diagnostic>{});
  if (suite) {
    std::map<std::string, size_t> order;
    for (size_t i = 0; i < suite->scenarios.size(); ++i) order.emplace(suite->scenarios[i].id, i);
    for (auto& target : merged.targets) {
      std::stable_sort(target.results.begin(), target.results.end(),
                       [&](const ScenarioResult& a, const ScenarioResult& b) {
                         auto rank = [&](const std::string& id) {
                           auto it = order.find(id);
                           return it == order.end() ? order.size() : it->second;
                         };
                         return rank(a.scenario) < rank(b.scenario);
                       });
    }
  }

  if (baseline) {
    for (auto& target : merged.targets)
      for (auto& r : target.results) r.known.reset();
    SystemClock clock;
    apply_baseline(merged, *baseline, today(clock));
  } else {
    merged.baseline_notes.assign(notes.begin(), notes.end());
  }

  out << console_summary(merged, fail_on, {false, use_color_for(options.color, STDOUT_FILENO)},
                         options.quiet);
  out.flush();  // before a report that goes to the same descriptor (/dev/stdout)
  return finish_reports(merged, fail_on, options.reports, err);
}

}  // namespace condspec
