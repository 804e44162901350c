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

namespace {

// The reports named on the command line, in that order; nullopt (with the
// reason written to `err`) when one cannot be read.
std::optional<std::vector<ReadReport>> read_inputs(const std::vector<std::string>& paths,
                                                   std::ostream& err) {
  std::vector<ReadReport> inputs;
  for (const auto& path : paths) {
    auto report = read_report(path);
    if (!report) {
      err << "condspec: " << report.error().message << "\n";
      return std::nullopt;
    }
    inputs.push_back(std::move(*report));
  }
  return inputs;
}

// The shards of one run merged into one run: the same N, each K once, each
// target once (a target is a URL and a protocol: "URL (h2)") and each of its
// scenarios from one shard only.
class ShardMerge {
 public:
  ShardMerge(const RunResult& first, const std::string& first_path)
      : first_(first), first_path_(first_path), shard_count_(first.shard_count) {
    merged_.tool_version = first.tool_version;
    merged_.started_at = first.started_at;
  }

  // Takes the results of `run`, read from `path`; false (the reason written
  // to `err`) when it is not a shard of the same run or repeats another's.
  bool add(RunResult& run, const std::string& path, std::ostream& err) {
    if (run.shard_count != shard_count_) {
      err << fmt::format("condspec: {} is {} but {} is {}: merge the shards of one run\n", path,
                         which_shard(run), first_path_, which_shard(first_));
      return false;
    }
    if (shard_count_ > 0 && !shards_.insert(run.shard_index).second) {
      err << fmt::format("condspec: {}: shard {}/{} is given twice\n", path, run.shard_index,
                         shard_count_);
      return false;
    }
    merged_.complete = merged_.complete && run.complete;
    merged_.elapsed = std::max(merged_.elapsed, run.elapsed);
    notes_.insert(run.baseline_notes.begin(), run.baseline_notes.end());
    for (auto& target : run.targets)
      if (!add_target(target, path, err)) return false;
    return true;
  }

  // The merged run, incomplete (and `err` says so) when shards are missing.
  RunResult finish(std::ostream& err) {
    std::vector<std::string> missing;
    for (int k = 1; k <= shard_count_; ++k)
      if (!shards_.contains(k)) missing.push_back(fmt::format("{}/{}", k, shard_count_));
    if (!missing.empty()) {
      merged_.complete = false;
      err << fmt::format("condspec: shard{} {} {} missing: the merged run is incomplete\n",
                         missing.size() == 1 ? "" : "s", join(missing, ", "),
                         missing.size() == 1 ? "is" : "are");
    }
    return std::move(merged_);
  }

  // What the shards' baselines said about themselves, each once.
  std::vector<std::string> notes() const { return {notes_.begin(), notes_.end()}; }

 private:
  bool add_target(TargetResult& target, const std::string& path, std::ostream& err) {
    const std::string label = target_label(target);
    auto [it, added] = target_index_.try_emplace(label, merged_.targets.size());
    if (added) {
      TargetResult copy = target;
      copy.results.clear();
      merged_.targets.push_back(std::move(copy));
    }
    TargetResult& into = merged_.targets[it->second];
    if (into.discovery.empty() && !target.discovery.empty()) {
      into.discovery = target.discovery;
      into.facts = target.facts;
      into.unusable = target.unusable;
    }
    for (auto& r : target.results) {
      auto [seen, first] = source_.try_emplace({label, r.scenario}, path);
      if (!first) {
        err << fmt::format(
            "condspec: {} and {} both hold scenario {} on {}: merge the shards of one run\n",
            seen->second, path, r.scenario, label);
        return false;
      }
      into.results.push_back(std::move(r));
    }
    return true;
  }

  const RunResult& first_;
  const std::string& first_path_;
  const int shard_count_;
  RunResult merged_;
  std::set<int> shards_;
  std::map<std::string, size_t> target_index_;                         // target -> merged_.targets
  std::map<std::pair<std::string, std::string>, std::string> source_;  // (target, scenario) -> file
  std::set<std::string> notes_;
};

// Suite order, as an unsharded run reports it (unchanged when the cases
// cannot be loaded).
void sort_in_suite_order(RunResult& merged, const CasesOptions& cases) {
  auto folders = cases_folders(cases.dirs, cases.no_default);
  auto suite = folders ? load_suite(*folders) : Loaded<Suite>(std::vector<Diagnostic>{});
  if (!suite) return;
  std::map<std::string, size_t> order;
  for (size_t i = 0; i < suite->scenarios.size(); ++i) order.emplace(suite->scenarios[i].id, i);
  auto rank = [&](const std::string& id) {
    auto it = order.find(id);
    return it == order.end() ? order.size() : it->second;
  };
  for (auto& target : merged.targets) {
    std::stable_sort(target.results.begin(), target.results.end(),
                     [&](const ScenarioResult& a, const ScenarioResult& b) {
                       return rank(a.scenario) < rank(b.scenario);
                     });
  }
}

// The given baseline judges the merged run afresh: the shards' own
// baselines no longer count.
void rejudge_with_baseline(RunResult& merged, const Baseline& baseline) {
  for (auto& target : merged.targets)
    for (auto& r : target.results) r.known.reset();
  SystemClock clock;
  apply_baseline(merged, baseline, today(clock));
}

}  // namespace

int merge_command(const MergeOptions& options, std::ostream& out, std::ostream& err) {
  if (!reports_can_be_written(options.reports, err)) return kExitUsage;
  auto inputs = read_inputs(options.inputs, err);
  if (!inputs) return kExitUsage;
  auto loaded_baseline = load_baseline_if_given(options.baseline);
  if (!loaded_baseline) {
    err << baseline_errors(loaded_baseline.error());
    return kExitUsage;
  }
  const std::optional<Baseline>& baseline = *loaded_baseline;
  const FailOn fail_on = options.fail_on.empty()
                             ? inputs->front().fail_on
                             : fail_on_from(options.fail_on).value_or(FailOn::must);

  ShardMerge merge(inputs->front().run, options.inputs.front());
  for (size_t i = 0; i < inputs->size(); ++i)
    if (!merge.add((*inputs)[i].run, options.inputs[i], err)) return kExitUsage;
  RunResult merged = merge.finish(err);
  sort_in_suite_order(merged, options.cases);
  if (baseline)
    rejudge_with_baseline(merged, *baseline);
  else
    merged.baseline_notes = merge.notes();

  out << console_summary(merged, fail_on, {false, use_color_for(options.color, STDOUT_FILENO)},
                         options.quiet);
  out.flush();  // before a report that goes to the same descriptor (/dev/stdout)
  return finish_reports(merged, fail_on, options.reports, err);
}

}  // namespace condspec
