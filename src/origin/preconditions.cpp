// The oracle of RFC 9110 13.1 and 13.2.2: see preconditions.h.

#include "src/origin/preconditions.h"

#include "src/core/text.h"
#include "src/http/http_date.h"

namespace condspec {
namespace {

using std::chrono::seconds;

// RFC 9110 13.2.1: these methods neither select nor modify a representation.
bool selects_no_representation(std::string_view method) {
  return method == "CONNECT" || method == "OPTIONS" || method == "TRACE";
}

// An HTTP-date If-Range: true only for an exact match with a Last-Modified
// that is strong.
bool if_range_date_holds(Seconds date, const RepresentationState& state) {
  return last_modified_is_strong(state) && date == *state.last_modified;
}

}  // namespace

std::string_view to_string(Decision decision) {
  switch (decision) {
    case Decision::proceed:
      return "proceed";
    case Decision::partial:
      return "partial";
    case Decision::not_modified:
      return "not_modified";
    case Decision::precondition_failed:
      return "precondition_failed";
  }
  return "unknown";
}

// --- The condition fields ---

bool if_match_holds(std::string_view value, const RepresentationState& state) {
  auto condition = parse_tag_condition(value);
  if (!condition) return false;  // an invalid value cannot match anything
  if (condition->any) return state.exists;
  if (!state.exists || !state.etag) return false;
  for (const auto& tag : condition->tags) {
    if (strong_match(tag, *state.etag)) return true;
  }
  return false;
}

bool if_none_match_holds(std::string_view value, const RepresentationState& state) {
  auto condition = parse_tag_condition(value);
  if (!condition) return true;  // an invalid value matches nothing
  if (condition->any) return !state.exists;
  if (!state.exists || !state.etag) return true;
  for (const auto& tag : condition->tags) {
    if (weak_match(tag, *state.etag)) return false;
  }
  return true;
}

// Ignored unless the value is exactly one valid HTTP-date (a list is not)
// and there is a modification date.
std::optional<bool> if_modified_since_holds(std::string_view value,
                                            const RepresentationState& state) {
  auto date = parse_http_date(trim(value), state.date);
  if (!date || !state.last_modified) return std::nullopt;
  return *state.last_modified > *date;
}

// Ignored unless the value is exactly one valid HTTP-date and there is a
// modification date.
std::optional<bool> if_unmodified_since_holds(std::string_view value,
                                              const RepresentationState& state) {
  auto date = parse_http_date(trim(value), state.date);
  if (!date || !state.last_modified) return std::nullopt;
  return *state.last_modified <= *date;
}

// An entity-tag matches by strong comparison; a date only a strong
// Last-Modified it equals. Anything else is false.
bool if_range_holds(std::string_view value, const RepresentationState& state) {
  value = trim(value);
  if (is_entity_tag_form(value)) {
    auto tag = parse_entity_tag(value);
    return tag && state.etag && strong_match(*tag, *state.etag);
  }
  auto date = parse_http_date(value, state.date);
  return date && if_range_date_holds(*date, state);
}

bool is_entity_tag_form(std::string_view if_range_value) {
  return trim(if_range_value).substr(0, 3).find('"') != std::string_view::npos;
}

bool last_modified_is_strong(const RepresentationState& state) {
  return state.last_modified && !state.changed_twice_within_last_modified &&
         state.date >= *state.last_modified + seconds{1};
}

// --- The steps ---

bool Evaluation::range_applies() const {
  return method == "GET" && has("Range") && state.ranges_supported;
}

namespace {

std::optional<bool> judge(const Evaluation& e, const char* field,
                          const ConditionEvaluator& evaluator) {
  auto value = e.request.combined(field);
  if (!value) return std::nullopt;
  return evaluator(*value, e.state);
}

}  // namespace

std::optional<bool> Evaluation::if_match() const {
  return judge(*this, "If-Match", conditions.if_match);
}
std::optional<bool> Evaluation::if_none_match() const {
  return judge(*this, "If-None-Match", conditions.if_none_match);
}
std::optional<bool> Evaluation::if_modified_since() const {
  return judge(*this, "If-Modified-Since", conditions.if_modified_since);
}
std::optional<bool> Evaluation::if_unmodified_since() const {
  return judge(*this, "If-Unmodified-Since", conditions.if_unmodified_since);
}
std::optional<bool> Evaluation::if_range() const {
  return judge(*this, "If-Range", conditions.if_range);
}

std::optional<Decision> if_match_step(const Evaluation& e) {
  if (e.if_match() == false) return Decision::precondition_failed;
  return std::nullopt;
}

std::optional<Decision> if_unmodified_since_step(const Evaluation& e) {
  if (!e.has("If-Match") && e.if_unmodified_since() == false) {
    return Decision::precondition_failed;
  }
  return std::nullopt;
}

std::optional<Decision> if_none_match_step(const Evaluation& e) {
  if (e.if_none_match() == false) {
    return e.get_or_head() ? Decision::not_modified : Decision::precondition_failed;
  }
  return std::nullopt;
}

std::optional<Decision> if_modified_since_step(const Evaluation& e) {
  if (e.get_or_head() && !e.has("If-None-Match") && e.if_modified_since() == false) {
    return Decision::not_modified;
  }
  return std::nullopt;
}

std::optional<Decision> range_step(const Evaluation& e) {
  if (e.range_applies() && e.if_range() != false) return Decision::partial;
  return Decision::proceed;
}

Decision evaluate_preconditions(std::string_view method, const Fields& request,
                                const RepresentationState& state, const PreconditionRules& rules) {
  if (selects_no_representation(method)) return Decision::proceed;
  const Evaluation evaluation{method, request, state, rules.conditions};
  for (const auto& step : rules.steps) {
    if (auto decision = step(evaluation)) return *decision;
  }
  return Decision::proceed;  // 6: every condition is met
}

}  // namespace condspec
