#include "src/engine/gate.h"

#include <fmt/format.h>

#include "src/engine/outcome.h"

namespace condspec {

Tally tally(const RunResult& run) {
  Tally t;
  for (const auto& target : run.targets) add_to_tally(t, target);
  return t;
}

Tally tally(const TargetResult& target) {
  Tally t;
  add_to_tally(t, target);
  return t;
}

void add_to_tally(Tally& t, const TargetResult& target) {
  if (target.unusable) ++t.unusable_targets;
  for (const auto& r : target.results) {
    if (r.known && (r.outcome == Outcome::fail || r.outcome == Outcome::warn)) {
      ++t.known;
      continue;
    }
    switch (r.outcome) {
      case Outcome::pass:
        ++t.pass;
        break;
      case Outcome::info:
        ++t.info;
        break;
      case Outcome::warn:
        ++t.warn;
        break;
      case Outcome::fail:
        ++t.fail;
        break;
      case Outcome::not_applicable:
        ++t.not_applicable;
        break;
      case Outcome::error:
        ++t.error;
        break;
    }
  }
}

std::string_view to_string(FailOn fail_on) {
  switch (fail_on) {
    case FailOn::must:
      return "must";
    case FailOn::should:
      return "should";
    case FailOn::never:
      return "never";
  }
  return "?";
}

std::optional<FailOn> fail_on_from(std::string_view text) {
  for (FailOn level : kFailOnLevels)
    if (to_string(level) == text) return level;
  return std::nullopt;
}

bool breaks_gate(const ScenarioResult& result, FailOn fail_on) {
  if (result.known) return false;
  switch (fail_on) {
    case FailOn::must:
      return result.outcome == Outcome::fail;
    case FailOn::should:
      return result.outcome == Outcome::fail || result.outcome == Outcome::warn;
    case FailOn::never:
      return false;
  }
  return false;
}

namespace {
bool gate_failed(const Tally& t, FailOn fail_on) {
  switch (fail_on) {
    case FailOn::must:
      return t.fail > 0;
    case FailOn::should:
      return t.fail > 0 || t.warn > 0;
    case FailOn::never:
      return false;
  }
  return false;
}

bool unjudged(const Tally& t, const RunResult& run) {
  return !run.complete || t.unusable_targets > 0 || t.error > 0 || t.judged() == 0;
}

std::string plural(int n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}
}  // namespace

int exit_code(const RunResult& run, FailOn fail_on) {
  const Tally t = tally(run);
  if (gate_failed(t, fail_on)) return kExitGateFailed;
  if (unjudged(t, run)) return kExitUnjudged;
  return kExitPassed;
}

std::string gate_summary(const RunResult& run, FailOn fail_on) {
  const Tally t = tally(run);
  const std::string_view level = to_string(fail_on);
  if (gate_failed(t, fail_on)) {
    std::string what = plural(t.fail, "MUST-level failure");
    if (fail_on == FailOn::should && t.warn > 0)
      what += fmt::format(", {}", plural(t.warn, "SHOULD-level warning"));
    return fmt::format("gate failed: {} (--fail-on {})", what, level);
  }
  if (!run.complete) return "not judged: the run was interrupted";
  if (t.unusable_targets > 0)
    return fmt::format("not judged: {} could not be used", plural(t.unusable_targets, "target"));
  if (t.error > 0) return fmt::format("not judged: {} ended in error", plural(t.error, "scenario"));
  if (t.judged() == 0) return "not judged: no scenario applied to the target";
  if (t.known > 0)
    return fmt::format("gate passed (--fail-on {}; {} from the baseline)", level,
                       plural(t.known, "known failure"));
  return fmt::format("gate passed (--fail-on {})", level);
}

}  // namespace condspec
