#pragma once
// The oracle: conditional requests evaluated exactly as RFC 9110 13.1 and
// 13.2.2 prescribe, the decision the reference origin takes for one request.
// Pure: the outcome depends only on the arguments.
//
// One function per condition field (13.1.1 to 13.1.5) and one per step of
// 13.2.2, run in order by evaluate_preconditions. Both are values in
// PreconditionRules, so that a deliberately faulty server (src/origin/faults.h)
// is built from the same steps with one of them replaced or moved; the default
// rules are the RFC's and nothing here knows of any fault.

#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "src/core/clock.h"
#include "src/http/entity_tag.h"
#include "src/http/fields.h"

namespace condspec {

// What the origin must do after evaluating the preconditions (13.2.2).
enum class Decision {
  proceed,              // perform the method; for GET, ignore Range (200)
  partial,              // GET with a Range that must be honoured (206 or 416)
  not_modified,         // 304
  precondition_failed,  // 412
};
std::string_view to_string(Decision decision);

// The selected representation (or its absence) as the origin knows it.
struct RepresentationState {
  bool exists = false;
  std::optional<EntityTag> etag;
  std::optional<Seconds> last_modified;
  // The Date of the response being generated: "now" for reading two-digit
  // years, and the basis for deciding whether Last-Modified is strong
  // (8.8.2.2: Date at least one second after it).
  Seconds date;
  bool ranges_supported = false;
  // The representation changed more than once within the second that
  // Last-Modified names, so that date can never be a strong validator.
  bool changed_twice_within_last_modified = false;
};

// --- The condition fields (13.1): each judges the combined field value ---

// true: the condition holds; false: it does not; nullopt: the field must be
// ignored (13.1.3 and 13.1.4 say when).
using ConditionEvaluator =
    std::function<std::optional<bool>(std::string_view value, const RepresentationState&)>;

bool if_match_holds(std::string_view value, const RepresentationState& state);       // 13.1.1
bool if_none_match_holds(std::string_view value, const RepresentationState& state);  // 13.1.2
// 13.1.3: true when the representation was modified since the date.
std::optional<bool> if_modified_since_holds(std::string_view value,
                                            const RepresentationState& state);
std::optional<bool> if_unmodified_since_holds(std::string_view value,  // 13.1.4
                                              const RepresentationState& state);
bool if_range_holds(std::string_view value, const RepresentationState& state);  // 13.1.5

// 13.1.5: an If-Range value with a DQUOTE among its first three characters is
// an entity-tag; any other is an HTTP-date.
bool is_entity_tag_form(std::string_view if_range_value);
// 8.8.2.2: a Last-Modified is strong when the Date shows at least one second
// has passed since, so no second change within that second went unnoticed.
bool last_modified_is_strong(const RepresentationState& state);

// How each condition field is judged.
struct ConditionEvaluators {
  ConditionEvaluator if_match = if_match_holds;
  ConditionEvaluator if_none_match = if_none_match_holds;
  ConditionEvaluator if_modified_since = if_modified_since_holds;
  ConditionEvaluator if_unmodified_since = if_unmodified_since_holds;
  ConditionEvaluator if_range = if_range_holds;
};

// --- The steps of 13.2.2 ---

// One request under evaluation: what each step reads.
struct Evaluation {
  std::string_view method;
  const Fields& request;  // repeated field lines are combined (5.3)
  const RepresentationState& state;
  const ConditionEvaluators& conditions;

  bool has(std::string_view field) const { return request.has(field); }
  bool get_or_head() const { return method == "GET" || method == "HEAD"; }
  // Range applies (14.2): a GET with Range, on a representation served in ranges.
  bool range_applies() const;
  // Each condition field judged by `conditions`; nullopt when the field is
  // absent or must be ignored. So `if_match() == false` reads "If-Match is
  // present and false".
  std::optional<bool> if_match() const;
  std::optional<bool> if_none_match() const;
  std::optional<bool> if_modified_since() const;
  std::optional<bool> if_unmodified_since() const;
  std::optional<bool> if_range() const;
};

// A step decides, or passes the request on to the next step (nullopt).
using EvaluationStep = std::function<std::optional<Decision>(const Evaluation&)>;

// 1. If-Match is present and false: 412.
std::optional<Decision> if_match_step(const Evaluation& e);
// 2. If-Match is absent and If-Unmodified-Since is present and false: 412.
std::optional<Decision> if_unmodified_since_step(const Evaluation& e);
// 3. If-None-Match is present and false: 304 for GET and HEAD, else 412.
std::optional<Decision> if_none_match_step(const Evaluation& e);
// 4. GET or HEAD, If-None-Match is absent, and If-Modified-Since is present and
// false: 304.
std::optional<Decision> if_modified_since_step(const Evaluation& e);
// 5. Range applies and If-Range is absent or true: 206 (or 416); otherwise the
// method is performed (6). Always decides.
std::optional<Decision> range_step(const Evaluation& e);

// The rules a server follows: RFC 9110's when default-constructed.
struct PreconditionRules {
  ConditionEvaluators conditions;
  std::vector<EvaluationStep> steps = {if_match_step, if_unmodified_since_step, if_none_match_step,
                                       if_modified_since_step, range_step};
};

// Evaluates If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since
// and If-Range by the steps of RFC 9110 13.2.2 (or of `rules`). Call it only
// when the response would otherwise be 2xx (13.2.1); methods that select no
// representation (CONNECT, OPTIONS, TRACE) always proceed.
Decision evaluate_preconditions(std::string_view method, const Fields& request,
                                const RepresentationState& state,
                                const PreconditionRules& rules = {});

}  // namespace condspec
