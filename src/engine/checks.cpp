#include "src/engine/checks.h"

#include <fmt/format.h>

#include <exception>
#include <string>

#include "src/engine/outcome.h"

namespace condspec {

CheckResult evaluate_check(const Expectation& e, const Requirement& r, const CheckInput& in) {
  CheckResult result;
  result.step = std::string(in.step);
  result.requirement = r.id;
  result.rfc = r.rfc;
  result.section = r.section;
  result.level = r.level;
  Verdict verdict;
  try {
    verdict = judge(e.check, in);
  } catch (const std::exception& ex) {
    // Nothing may escape the library; a check that throws could not judge.
    verdict = {Verdict::Kind::error, "", "",
               fmt::format("The check could not be evaluated: {}.", ex.what())};
  }
  switch (verdict.kind) {
    case Verdict::Kind::pass:
      result.outcome = Outcome::pass;
      break;
    case Verdict::Kind::broken:
      result.outcome = outcome_for_broken(r.level);
      break;
    case Verdict::Kind::error:
      result.outcome = Outcome::error;
      break;
  }
  result.expected = std::move(verdict.expected);
  result.actual = std::move(verdict.actual);
  result.message = verdict.message.empty() && verdict.kind == Verdict::Kind::pass
                       ? r.summary
                       : std::move(verdict.message);
  return result;
}

}  // namespace condspec
