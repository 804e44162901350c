#include "src/engine/gate.h"

#include <gtest/gtest.h>

#include <vector>

#include "src/engine/outcome.h"

namespace condspec {
namespace {

RunResult run_with(std::vector<Outcome> outcomes) {
  RunResult run;
  run.targets.emplace_back();
  for (auto o : outcomes) {
    ScenarioResult r;
    r.outcome = o;
    run.targets.back().results.push_back(r);
  }
  return run;
}

TEST(Gate, FailOnLevelsReadBackFromTheirNames) {
  for (FailOn level : kFailOnLevels) EXPECT_EQ(fail_on_from(to_string(level)), level);
  EXPECT_EQ(fail_on_from("should"), FailOn::should);
  EXPECT_EQ(fail_on_from("MUST"), std::nullopt);
  EXPECT_EQ(fail_on_from(""), std::nullopt);
  EXPECT_EQ(std::size(kFailOnLevels), 3u);
}

TEST(Gate, PassesWhenNothingBroken) {
  auto run = run_with({Outcome::pass, Outcome::info, Outcome::not_applicable});
  EXPECT_EQ(exit_code(run, FailOn::must), kExitPassed);
  EXPECT_EQ(gate_summary(run, FailOn::must), "gate passed (--fail-on must)");
}

TEST(Gate, WarnFailsOnlyAtShouldLevel) {
  auto run = run_with({Outcome::pass, Outcome::warn});
  EXPECT_EQ(exit_code(run, FailOn::must), kExitPassed);
  EXPECT_EQ(exit_code(run, FailOn::should), kExitGateFailed);
  EXPECT_EQ(gate_summary(run, FailOn::should),
            "gate failed: 0 MUST-level failures, 1 SHOULD-level warning (--fail-on should)");
}

TEST(Gate, FailureOutranksErrorAndNeverIgnoresIt) {
  auto run = run_with({Outcome::fail, Outcome::error});
  EXPECT_EQ(exit_code(run, FailOn::must), kExitGateFailed);
  EXPECT_EQ(gate_summary(run, FailOn::must), "gate failed: 1 MUST-level failure (--fail-on must)");
  EXPECT_EQ(exit_code(run, FailOn::never), kExitUnjudged);
}

TEST(Gate, ErrorsAndUnusableTargetsAreNotAPass) {
  auto run = run_with({Outcome::pass, Outcome::error});
  EXPECT_EQ(exit_code(run, FailOn::must), kExitUnjudged);
  EXPECT_EQ(gate_summary(run, FailOn::must), "not judged: 1 scenario ended in error");

  RunResult unusable;
  unusable.targets.emplace_back();
  unusable.targets.back().unusable = "connection refused";
  EXPECT_EQ(exit_code(unusable, FailOn::must), kExitUnjudged);
  EXPECT_EQ(gate_summary(unusable, FailOn::must), "not judged: 1 target could not be used");

  auto nothing = run_with({Outcome::not_applicable});
  EXPECT_EQ(exit_code(nothing, FailOn::must), kExitUnjudged);
}

TEST(Gate, KnownFailuresAreCountedApartAndDoNotFailTheGate) {
  auto run = run_with({Outcome::pass, Outcome::fail, Outcome::warn});
  run.targets[0].results[1].known = KnownFailure{"vendor bug 12", ""};
  run.targets[0].results[2].known = KnownFailure{"accepted", "2030-01-01"};
  const Tally t = tally(run);
  EXPECT_EQ(t.fail, 0);
  EXPECT_EQ(t.warn, 0);
  EXPECT_EQ(t.known, 2);
  EXPECT_EQ(t.total(), 3);
  EXPECT_EQ(exit_code(run, FailOn::should), kExitPassed);
  EXPECT_EQ(gate_summary(run, FailOn::should),
            "gate passed (--fail-on should; 2 known failures from the baseline)");
  EXPECT_FALSE(breaks_gate(run.targets[0].results[1], FailOn::must));
}

TEST(Gate, BreaksGateFollowsTheLevel) {
  ScenarioResult warn;
  warn.outcome = Outcome::warn;
  EXPECT_FALSE(breaks_gate(warn, FailOn::must));
  EXPECT_TRUE(breaks_gate(warn, FailOn::should));
  ScenarioResult fail;
  fail.outcome = Outcome::fail;
  EXPECT_TRUE(breaks_gate(fail, FailOn::must));
  EXPECT_FALSE(breaks_gate(fail, FailOn::never));
}

TEST(Gate, InterruptedRunIsNotAPass) {
  auto run = run_with({Outcome::pass});
  run.complete = false;
  EXPECT_EQ(exit_code(run, FailOn::must), kExitUnjudged);
  EXPECT_EQ(gate_summary(run, FailOn::must), "not judged: the run was interrupted");
}

}  // namespace
}  // namespace condspec
