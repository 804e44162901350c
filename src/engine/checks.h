#pragma once
// Judging one expectation of a step against the exchange that step produced.
// A check never decides its own severity: the level comes from the
// requirement in the catalog, and a broken check becomes
// outcome_for_broken(level). When a check cannot be judged at all (a template
// fails to render, an earlier step has no response, stray bytes were never
// looked for) the outcome is `error`, never a fail.

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "src/cases/model.h"
#include "src/cases/template.h"
#include "src/core/clock.h"
#include "src/engine/run_result.h"
#include "src/http/message.h"

namespace condspec {

struct CheckInput {
  std::string_view step;     // id of the step being judged
  const Exchange& exchange;  // its exchange (normally with a response)
  // Earlier steps of the same scenario by id: what same_fields_as,
  // content_equals and content_length_consistent compare with.
  std::map<std::string, const Exchange*, std::less<>> earlier;
  const RenderContext* render = nullptr;  // for `field: { equals: template }`
  Seconds now;                            // places RFC 850 two-digit years
};

// Judges `e` (whose requirement is `r`) against `in.exchange`. Fills every
// field of the CheckResult: step, requirement, rfc, section, level (from `r`),
// outcome, expected, actual and a one-sentence message (the requirement's
// summary on pass; what is wrong, or why it could not be judged, otherwise).
CheckResult evaluate_check(const Expectation& e, const Requirement& r, const CheckInput& in);

}  // namespace condspec
