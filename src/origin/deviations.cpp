// Transitional: see deviations.h.

#include "src/origin/deviations.h"

#include <string>
#include <vector>

#include "src/core/text.h"
#include "src/http/http_date.h"

namespace condspec {
namespace {

using std::chrono::seconds;

bool is_get_or_head(std::string_view method) {
  return method == "GET" || method == "HEAD";
}

// RFC 9110 13.2.1: these methods neither select nor modify a representation.
bool selects_no_representation(std::string_view method) {
  return method == "CONNECT" || method == "OPTIONS" || method == "TRACE";
}

// An HTTP-date If-Range (RFC 9110 13.1.5): true only for an exact match with
// a Last-Modified that is strong.
bool if_range_date_holds(Seconds date, const RepresentationState& state,
                         const Deviations& deviations) {
  if (!last_modified_is_strong(state) && !deviations.if_range_date_ignores_strength) return false;
  // The deviation models Node's send, which compares with <=.
  if (deviations.if_range_date_not_after) return *state.last_modified <= date;
  return date == *state.last_modified;
}

// RFC 9110 13.1.5.
bool if_range_holds(std::string_view value, const RepresentationState& state,
                    const Deviations& deviations) {
  value = trim(value);
  if (deviations.if_range_date_first) {
    // A lenient date parser tried before anything else, quotes and all.
    std::string_view unquoted = value;
    if (unquoted.size() >= 2 && unquoted.front() == '"' && unquoted.back() == '"') {
      unquoted = unquoted.substr(1, unquoted.size() - 2);
    }
    if (auto date = parse_http_date(trim(unquoted), state.date)) {
      return if_range_date_holds(*date, state, deviations);
    }
  }
  // A DQUOTE among the first three characters makes it an entity-tag.
  bool looks_like_tag = value.substr(0, 3).find('"') != std::string_view::npos;
  if (looks_like_tag) {
    if (deviations.if_range_tag_never_matches) return false;
    auto tag = parse_entity_tag(value);
    if (!tag || !state.etag) return false;
    return deviations.if_range_weak_compare ? weak_match(*tag, *state.etag)
                                            : strong_match(*tag, *state.etag);
  }
  auto date = parse_http_date(value, state.date);
  return date && if_range_date_holds(*date, state, deviations);
}

}  // namespace

Decision evaluate_with_deviations(std::string_view method, const Fields& request,
                                  const RepresentationState& state, const Deviations& deviations) {
  if (selects_no_representation(method)) return Decision::proceed;
  if (deviations.head_ignores_conditionals && method == "HEAD") return Decision::proceed;
  bool get_or_head = is_get_or_head(method);

  auto not_modified_or_failed = [&] {
    return get_or_head ? Decision::not_modified : Decision::precondition_failed;
  };
  auto if_match = request.combined("If-Match");
  auto unmodified_since = request.combined("If-Unmodified-Since");
  auto modified_since = request.combined("If-Modified-Since");
  std::optional<std::string> if_none_match = request.combined("If-None-Match");
  auto if_none_match_false = [&] {
    return if_none_match && !if_none_match_holds(*if_none_match, state);
  };

  // Deviations that take a later step of 13.2.2 before an earlier one.
  if (if_match && deviations.inm_before_im && if_none_match_false()) {
    return not_modified_or_failed();
  }
  if (if_match && deviations.ims_before_im && !if_none_match && get_or_head && modified_since &&
      if_modified_since_holds(*modified_since, state) == false) {
    return Decision::not_modified;
  }
  if (!if_match && unmodified_since && deviations.inm_before_ius && if_none_match_false()) {
    return not_modified_or_failed();
  }

  // Step 1 and 2: If-Match, else If-Unmodified-Since.
  bool skip_validation = false;  // a deviation that leaves out steps 3 and 4
  if (if_match) {
    if (!if_match_holds(*if_match, state)) return Decision::precondition_failed;
    skip_validation = deviations.im_true_skips_inm;
  }
  if (unmodified_since && !if_match) {
    auto holds = if_unmodified_since_holds(*unmodified_since, state);
    if (holds == false) return Decision::precondition_failed;
    if (holds == true && deviations.ius_true_skips_inm) skip_validation = true;
  }

  // Deviations that take Range (step 5) before steps 3 and 4.
  const bool served_range = method == "GET" && state.ranges_supported && request.has("Range");
  auto if_range = request.combined("If-Range");
  if (served_range && !skip_validation) {
    if (deviations.range_before_validation && !if_range && (if_none_match || modified_since)) {
      return Decision::partial;
    }
    bool if_range_first =
        if_range && ((deviations.if_range_before_inm && if_none_match) ||
                     (deviations.if_range_before_ims && !if_none_match && modified_since));
    if (if_range_first) {
      return if_range_holds(*if_range, state, deviations) ? Decision::partial : Decision::proceed;
    }
  }

  // Step 3 and 4: If-None-Match, else If-Modified-Since (GET and HEAD only).
  if (skip_validation) {
    // straight on to step 5
  } else if (if_none_match) {
    if (!if_none_match_holds(*if_none_match, state)) return not_modified_or_failed();
  } else if (get_or_head && modified_since &&
             if_modified_since_holds(*modified_since, state) == false) {
    return Decision::not_modified;
  }

  // Step 5: Range, and If-Range, apply only to GET on a resource with ranges.
  const bool has_range = request.has("Range");
  if (if_range && !has_range && get_or_head && deviations.if_range_without_range_412 &&
      !if_range_holds(*if_range, state, deviations)) {
    return Decision::precondition_failed;  // If-Range taken for a kind of If-Match
  }
  if (if_range && has_range && method == "HEAD" && state.ranges_supported &&
      deviations.if_range_partial_on_head && if_range_holds(*if_range, state, deviations)) {
    return Decision::partial;  // the resume path does not check the method
  }
  const bool ranged_method = method == "GET" || (method == "HEAD" && deviations.range_on_head);
  if (!ranged_method || !has_range) return Decision::proceed;
  if (!state.ranges_supported) {
    bool refused = deviations.if_range_412_without_ranges && if_range &&
                   !if_range_holds(*if_range, state, deviations);
    return refused ? Decision::precondition_failed : Decision::proceed;
  }
  if (deviations.range_ignored_with_inm && if_none_match) return Decision::proceed;
  if (if_range && !deviations.if_range_ignored && !if_range_holds(*if_range, state, deviations)) {
    return Decision::proceed;
  }
  return Decision::partial;
}

}  // namespace condspec
