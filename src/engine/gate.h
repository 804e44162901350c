#pragma once
// The CI contract: the exit code of `condspec run`.
//   0 gate passed
//   1 gate failed: a requirement at or above the --fail-on level is broken
//   2 usage or case-file error (decided before a run; not computed here)
//   3 nothing could be judged reliably: a target was unusable, or a scenario
//     ended in `error` (an exchange failed), and no gate failure outranks it
// A conformance failure outranks an error: when both happen the verdict that
// was judged is the one CI should show.

#include <optional>
#include <string>
#include <string_view>

#include "src/engine/run_result.h"

namespace condspec {

enum class FailOn { must, should, never };
// Every level, in the order --fail-on lists them.
inline constexpr FailOn kFailOnLevels[] = {FailOn::must, FailOn::should, FailOn::never};

constexpr int kExitPassed = 0;
constexpr int kExitGateFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitUnjudged = 3;

// Scenario outcomes counted once each. A fail or warn that the baseline
// accepts counts as `known`, not as fail or warn.
struct Tally {
  int pass = 0, info = 0, warn = 0, fail = 0, known = 0, not_applicable = 0, error = 0;
  int unusable_targets = 0;
  int total() const { return pass + info + warn + fail + known + not_applicable + error; }
  int judged() const { return pass + info + warn + fail + known; }
};

std::string_view to_string(FailOn fail_on);  // "must", "should", "never"
// The level to_string names; nullopt for any other text.
std::optional<FailOn> fail_on_from(std::string_view text);

// Whether a scenario's outcome breaks the gate: fail (and warn under
// --fail-on should), unless the baseline knows it.
bool breaks_gate(const ScenarioResult& result, FailOn fail_on);

Tally tally(const RunResult& run);
// One target's share, counted as the run's totals are (a failure the
// baseline accepts is known, not fail), so per-target lines add up to them.
Tally tally(const TargetResult& target);
void add_to_tally(Tally& t, const TargetResult& target);
int exit_code(const RunResult& run, FailOn fail_on);
// One line for the console, e.g. "gate failed: 2 MUST-level failures (--fail-on must)".
std::string gate_summary(const RunResult& run, FailOn fail_on);

}  // namespace condspec
