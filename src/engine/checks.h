#pragma once
// Judging one expectation of a step against the exchange that step produced.
// The check's kind gives the verdict (src/cases/checks/); it never decides
// its own severity: the level comes from the requirement in the catalog, and
// a broken check becomes outcome_for_broken(level). When a check cannot be
// judged at all (a template fails to render, an earlier step has no
// response, stray bytes were never looked for) the outcome is `error`, never
// a fail.

#include "src/cases/checks/judge.h"
#include "src/cases/model.h"
#include "src/engine/run_result.h"

namespace condspec {

// Judges `e` (whose requirement is `r`) against `in.exchange`. Fills every
// field of the CheckResult: step, requirement, rfc, section, level (from `r`),
// outcome, expected, actual and a one-sentence message (the requirement's
// summary on pass; what is wrong, or why it could not be judged, otherwise).
CheckResult evaluate_check(const Expectation& e, const Requirement& r, const CheckInput& in);

}  // namespace condspec
