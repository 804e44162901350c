#pragma once
// Judging one check: what a check kind's judge sees (CheckInput) and what it
// decides (Verdict). A judge never decides the severity: the engine turns a
// `broken` verdict into the outcome its requirement's level gives it
// (src/engine/checks.h). When a check cannot be judged at all (a template
// fails to render, an earlier step has no response, stray bytes were never
// looked for) the verdict is `error`, never `broken`.

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "src/cases/template.h"
#include "src/core/clock.h"
#include "src/http/message.h"
#include "src/http/upstream_exchange.h"

namespace condspec {

struct CheckInput {
  std::string_view step;     // id of the step being judged
  const Exchange& exchange;  // its exchange (normally with a response)
  // Earlier steps of the same scenario by id: what same_fields_as,
  // content_equals and content_length_consistent compare with.
  std::map<std::string, const Exchange*, std::less<>> earlier;
  const RenderContext* render = nullptr;  // for `field: { equals: template }`
  Seconds now;                            // places RFC 850 two-digit years
  // In a cache run (`condspec cache`): the requests the cache sent the origin
  // for the scenario's resource during this step. nullptr otherwise.
  const std::vector<UpstreamExchange>* upstream = nullptr;
};

struct Verdict {
  enum class Kind { pass, broken, error };
  Kind kind = Kind::pass;
  std::string expected;
  std::string actual;
  std::string message;  // empty on pass: the requirement's summary is used
};

}  // namespace condspec
