// The baseline: its file format and diagnostics, known failures, entries
// that no longer fail, expiry, and writing one from a run.

#include "runner/baseline.h"

#include <gtest/gtest.h>

#include "reports/sample_run_for_tests.h"
#include "src/engine/gate.h"

namespace condspec {
namespace {

using testing::sample_run;

Baseline parse_ok(std::string_view text) {
  auto parsed = parse_baseline(text, "b.yaml");
  EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : render(parsed.error()));
  return parsed.ok() ? *parsed : Baseline{};
}

std::string parse_error(std::string_view text) {
  auto parsed = parse_baseline(text, "b.yaml");
  return parsed.ok() ? "(parsed)" : render(parsed.error());
}

TEST(Baseline, ParsesYamlAndJson) {
  auto yaml = parse_ok(
      "known_failures:\n"
      "  - scenario: inm-weak-form-of-strong-tag\n"
      "    requirement: 9110-13.1.2-weak-compare\n"
      "    reason: vendor bug 12\n"
      "    expires: 2030-01-31\n");
  ASSERT_EQ(yaml.entries.size(), 1u);
  EXPECT_EQ(yaml.entries[0].reason, "vendor bug 12");
  EXPECT_EQ(yaml.entries[0].expires, "2030-01-31");
  auto json = parse_ok(
      R"({"known_failures": [{"scenario": "s", "requirement": "r", "target": "http://x/", "reason": "why"}]})");
  ASSERT_EQ(json.entries.size(), 1u);
  EXPECT_EQ(json.entries[0].target, "http://x/");
}

TEST(Baseline, DiagnosticsNameFileLineAndColumn) {
  EXPECT_EQ(parse_error("known_failures:\n  - scenario: s\n    requirement: r\n    reson: x\n"),
            "b.yaml:4:5: unknown key 'reson' (expected scenario, requirement, target, protocol, "
            "reason, expires)\n"
            "    reson: x\n"
            "    ^");
  EXPECT_EQ(parse_error("known_failures:\n  - scenario: s\n    requirement: r\n"),
            "b.yaml:2:5: a known failure needs 'reason'\n"
            "  - scenario: s\n"
            "    ^");
  EXPECT_EQ(parse_error("known_failures:\n  - scenario: s\n    requirement: r\n    reason: x\n"
                        "    expires: next week\n"),
            "b.yaml:5:14: expires 'next week' is not a date YYYY-MM-DD\n"
            "    expires: next week\n"
            "             ^");
  EXPECT_EQ(parse_error("known_failures:\n  - scenario: s\n    requirement: r\n"
                        "    reason: \"TODO: say why this failure is accepted\"\n"),
            "b.yaml:4:13: the entry for s / r still has the placeholder reason; say why this "
            "failure is accepted\n"
            "    reason: \"TODO: say why this failure is accepted\"\n"
            "            ^");
  EXPECT_EQ(parse_error("failures: []\n"),
            "b.yaml:1:1: expected a map with a 'known_failures' list\n"
            "failures: []\n"
            "^");
}

// The baseline is read with the case files' machinery (src/cases/yaml_reading.h):
// every problem is reported, in file order, and a broken file is a diagnostic,
// not an exception.
TEST(Baseline, EveryProblemInFileOrder) {
  EXPECT_EQ(parse_error("known_failures:\n"
                        "  - scenario: [s]\n"
                        "    requirement: r\n"
                        "    reason: x\n"
                        "  - 7\n"
                        "  - { scenario: s, requirement: r, reason: x, reason: y }\n"
                        "  - { [k]: v, scenario: s, requirement: r, reason: x }\n"
                        "  - { scenario: s, reason: x }\n"
                        "extra: 1\n"),
            "b.yaml:2:15: 'scenario' must be a single value\n"
            "  - scenario: [s]\n"
            "              ^\n"
            "b.yaml:5:5: each known failure is a map with scenario, requirement and reason\n"
            "  - 7\n"
            "    ^\n"
            "b.yaml:6:47: duplicate key 'reason' in known failure (first at 6:36)\n"
            "  - { scenario: s, requirement: r, reason: x, reason: y }\n"
            "                                              ^\n"
            "b.yaml:7:7: keys in known failure must be names, got a list\n"
            "  - { [k]: v, scenario: s, requirement: r, reason: x }\n"
            "      ^\n"
            "b.yaml:8:5: a known failure needs 'requirement'\n"
            "  - { scenario: s, reason: x }\n"
            "    ^\n"
            "b.yaml:9:1: unknown key 'extra' (expected known_failures)\n"
            "extra: 1\n"
            "^");
  EXPECT_EQ(parse_error("known_failures: x\n"),
            "b.yaml:1:17: known_failures must be a list\n"
            "known_failures: x\n"
            "                ^");
  EXPECT_EQ(parse_error("known_failures:\n  - scenario: s\n   requirement: r\n"),
            "b.yaml:3:4: did not find expected '-' indicator (while parsing a block collection at "
            "2:3)\n"
            "   requirement: r\n"
            "   ^");
  EXPECT_EQ(parse_baseline("known_failures:\n", "b.yaml")->entries.size(), 0u);
}

TEST(Baseline, ErrorsArePrintedAfterTheProgramName) {
  auto unreadable = load_baseline("/nonexistent/b.yaml");
  ASSERT_FALSE(unreadable.ok());
  EXPECT_EQ(baseline_errors(unreadable.error()),
            "condspec: /nonexistent/b.yaml: cannot read the baseline file\n");
  auto parsed = parse_baseline("failures: []\nx: 1\n", "b.yaml");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(baseline_errors(parsed.error()),
            "condspec: b.yaml:1:1: expected a map with a 'known_failures' list\n"
            "failures: []\n"
            "^\n");
}

TEST(Baseline, KnownFailureDoesNotFailTheGate) {
  RunResult run = sample_run();
  apply_baseline(run,
                 parse_ok("known_failures:\n  - scenario: inm-weak-form-of-strong-tag\n"
                          "    requirement: 9110-13.1.2-weak-compare\n    reason: vendor bug\n"),
                 "2026-11-22");
  ASSERT_TRUE(run.targets[0].results[0].known);
  EXPECT_EQ(run.targets[0].results[0].known->reason, "vendor bug");
  EXPECT_EQ(tally(run).fail, 0);
  EXPECT_EQ(tally(run).known, 1);
  EXPECT_TRUE(run.baseline_notes.empty());
}

TEST(Baseline, OtherTargetOrRequirementIsNotCovered) {
  RunResult run = sample_run();
  apply_baseline(run,
                 parse_ok("known_failures:\n  - scenario: inm-weak-form-of-strong-tag\n"
                          "    requirement: 9110-13.1.2-weak-compare\n"
                          "    target: http://elsewhere/\n    reason: vendor bug\n"
                          "  - scenario: inm-weak-form-of-strong-tag\n"
                          "    requirement: 9110-15.4.5-no-content\n    reason: r\n"),
                 "2026-11-22");
  EXPECT_FALSE(run.targets[0].results[0].known);
  EXPECT_EQ(run.baseline_notes,
            std::vector<std::string>{"baseline entry inm-weak-form-of-strong-tag / "
                                     "9110-15.4.5-no-content no longer fails: remove it"});
}

TEST(Baseline, EntryThatNowPassesIsReportedAndExpiredEntriesCountAgain) {
  RunResult run = sample_run();
  apply_baseline(run,
                 parse_ok("known_failures:\n"
                          "  - scenario: inm-exact\n    requirement: 9110-13.1.2-weak-compare\n"
                          "    reason: was broken\n"
                          "  - scenario: inm-weak-form-of-strong-tag\n"
                          "    requirement: 9110-13.1.2-weak-compare\n    reason: r\n"
                          "    expires: 2026-11-21\n"
                          "  - scenario: inm-own-weak-tag\n    requirement: x\n    reason: n/a "
                          "scenarios say nothing\n"),
                 "2026-11-22");
  EXPECT_FALSE(run.targets[0].results[0].known);
  EXPECT_EQ(run.baseline_notes,
            (std::vector<std::string>{
                "baseline entry inm-weak-form-of-strong-tag / 9110-13.1.2-weak-compare expired "
                "on 2026-11-21: the failure counts again",
                "baseline entry inm-exact / 9110-13.1.2-weak-compare no longer fails: remove "
                "it"}));
  // The last day of an entry still applies.
  RunResult same_day = sample_run();
  apply_baseline(same_day,
                 parse_ok("known_failures:\n  - scenario: inm-weak-form-of-strong-tag\n"
                          "    requirement: 9110-13.1.2-weak-compare\n    reason: r\n"
                          "    expires: 2026-11-22\n"),
                 "2026-11-22");
  EXPECT_TRUE(same_day.targets[0].results[0].known);
}

TEST(Baseline, WrittenFromARunWithPlaceholderReasons) {
  const std::string text = write_baseline(sample_run());
  EXPECT_EQ(text,
            "# condspec baseline: known failures that do not fail the gate (condspec run "
            "--baseline FILE).\n"
            "# Replace every placeholder reason with why the failure is accepted; condspec "
            "refuses\n"
            "# the placeholder. Optional per entry: expires: YYYY-MM-DD (the last day it "
            "applies).\n"
            "known_failures:\n"
            "  - scenario: \"inm-weak-form-of-strong-tag\"\n"
            "    requirement: \"9110-13.1.2-weak-compare\"\n"
            "    reason: \"TODO: say why this failure is accepted\"\n"
            "  - scenario: \"nm-304-carries-cache-control\"\n"
            "    requirement: \"9110-15.4.5-carry-fields\"\n"
            "    reason: \"TODO: say why this failure is accepted\"\n");
  EXPECT_NE(parse_error(text).find("still has the placeholder reason"), std::string::npos);
  RunResult empty;
  EXPECT_TRUE(write_baseline(empty).ends_with("known_failures: []\n"));
}

TEST(Baseline, AnEntryMayNameAProtocol) {
  const Baseline h2_only = parse_ok(
      "known_failures:\n  - scenario: inm-weak-form-of-strong-tag\n"
      "    requirement: 9110-13.1.2-weak-compare\n    protocol: h2\n    reason: CDN bug\n");
  ASSERT_EQ(h2_only.entries.size(), 1u);
  EXPECT_EQ(h2_only.entries[0].protocol, Protocol::h2);
  EXPECT_EQ(parse_error("known_failures:\n  - scenario: s\n    requirement: r\n    reason: x\n"
                        "    protocol: http/2\n"),
            "b.yaml:5:15: protocol 'http/2' is not one of http/1.1, h2, h2c\n"
            "    protocol: http/2\n"
            "              ^");

  // Over h2 the failure is known; over HTTP/1.1 it still counts.
  RunResult run = testing::sample_run_over_two_protocols();
  apply_baseline(run, h2_only, "2026-11-22");
  EXPECT_FALSE(run.targets[0].results[0].known);
  ASSERT_TRUE(run.targets[1].results[0].known);
  EXPECT_EQ(tally(run).known, 1);
  EXPECT_EQ(tally(run).fail, 1);

  // Without a protocol an entry covers every protocol.
  RunResult both = testing::sample_run_over_two_protocols();
  apply_baseline(both,
                 parse_ok("known_failures:\n  - scenario: inm-weak-form-of-strong-tag\n"
                          "    requirement: 9110-13.1.2-weak-compare\n    reason: r\n"),
                 "2026-11-22");
  EXPECT_TRUE(both.targets[0].results[0].known);
  EXPECT_TRUE(both.targets[1].results[0].known);

  // An entry over a protocol where the scenario now passes says so.
  RunResult fixed = testing::sample_run_over_two_protocols();
  fixed.targets[1].results[0].outcome = Outcome::pass;
  fixed.targets[1].results[0].checks[0].outcome = Outcome::pass;
  apply_baseline(fixed, h2_only, "2026-11-22");
  EXPECT_EQ(
      fixed.baseline_notes,
      std::vector<std::string>{"baseline entry inm-weak-form-of-strong-tag / "
                               "9110-13.1.2-weak-compare over h2 no longer fails: remove it"});
}

TEST(Baseline, WrittenWithAProtocolOnlyWhereAFailureIsNotOverEveryProtocol) {
  RunResult run = testing::sample_run_over_two_protocols();
  // One URL over two protocols: the entries name no target.
  run.targets[1].url = run.targets[0].url;
  run.targets[1].results[3].outcome = Outcome::pass;  // the SHOULD holds over h2
  run.targets[1].results[3].checks[0].outcome = Outcome::pass;
  EXPECT_EQ(write_baseline(run).substr(write_baseline(run).find("known_failures:")),
            "known_failures:\n"
            "  - scenario: \"inm-weak-form-of-strong-tag\"\n"
            "    requirement: \"9110-13.1.2-weak-compare\"\n"
            "    reason: \"TODO: say why this failure is accepted\"\n"
            "  - scenario: \"nm-304-carries-cache-control\"\n"
            "    requirement: \"9110-15.4.5-carry-fields\"\n"
            "    protocol: \"http/1.1\"\n"
            "    reason: \"TODO: say why this failure is accepted\"\n");
}

}  // namespace
}  // namespace condspec
