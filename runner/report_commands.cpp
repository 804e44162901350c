// `condspec baseline` (a baseline file from a JSON report) and `condspec
// merge` (shard reports into one run): both read JSON reports and never run
// a scenario.

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "reports/atomic_file.h"
#include "reports/json_reader.h"
#include "runner/baseline.h"
#include "runner/cases_dir.h"
#include "runner/commands.h"
#include "src/cases/loader.h"

namespace condspec {

namespace {

Result<ReadReport> read_report(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{fmt::format("{}: cannot read the report", path)};
  std::stringstream text;
  text << in.rdbuf();
  return read_json_report(text.str(), path);
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
  const FailOn fail_on = options.fail_on.empty()       ? inputs.front().fail_on
                         : options.fail_on == "should" ? FailOn::should
                         : options.fail_on == "never"  ? FailOn::never
                                                       : FailOn::must;
  // Shards of one run: the same N, each K once.
  const int shard_count = inputs.front().run.shard_count;
  std::set<int> shards;
  std::map<std::string, size_t> target_index;                         // url -> merged.targets
  std::map<std::pair<std::string, std::string>, std::string> origin;  // (url, scenario) -> file
  std::set<std::string> notes;
  for (size_t i = 0; i < inputs.size(); ++i) {
    RunResult& run = inputs[i].run;
    const std::string& path = options.inputs[i];
    if (run.shard_count != shard_count) {
      err << fmt::format(
          "condspec: {} is {} but {} is {}: merge the shards of one run\n", path,
          run.shard_count ? fmt::format("shard {}/{}", run.shard_index, run.shard_count)
                          : std::string("not a shard"),
          options.inputs.front(),
          shard_count ? fmt::format("shard {}/{}", inputs.front().run.shard_index, shard_count)
                      : std::string("not a shard"));
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
      auto [it, added] = target_index.try_emplace(target.url, merged.targets.size());
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
        auto [seen, first] = origin.try_emplace({target.url, r.scenario}, path);
        if (!first) {
          err << fmt::format(
              "condspec: {} and {} both hold scenario {} on {}: merge the shards of one run\n",
              seen->second, path, r.scenario, target.url);
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
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    err << fmt::format("condspec: shard{} {} missing: the merged run is incomplete\n",
                       missing.size() == 1 ? " is" : "s are", list);
  }

  // Suite order, as an unsharded run reports it.
  auto suite = load_suite(resolve_cases_dir(options.cases_dir));
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

  out << console_summary(merged, fail_on, {}, options.quiet);
  out.flush();  // before a report that goes to the same descriptor (/dev/stdout)
  return finish_reports(merged, fail_on, options.reports, err);
}

}  // namespace condspec
