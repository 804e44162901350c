// The table of the reference origin's faults (faults.h): one entry per fault,
// with its name, the requirement it breaks, one line of why, and its hooks.
// The helpers the hooks use come first. To add a fault, add its entry where
// `condspec serve --list-faults` should show it; every test that iterates
// known_faults() then covers it.

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "src/core/text.h"
#include "src/http/entity_tag.h"
#include "src/http/http_date.h"
#include "src/origin/content_coding.h"
#include "src/origin/faults.h"
#include "src/origin/preconditions.h"
#include "src/origin/ranges.h"
#include "src/origin/replies.h"
#include "src/origin/representation.h"
#include "src/origin/resources.h"

namespace condspec {
namespace {

// If-None-Match as RFC 9110 13.1.2 evaluates it, but with `match` comparing
// each listed tag with the current one instead of the weak comparison.
bool if_none_match_compared_by(bool (*match)(const EntityTag& listed, const EntityTag& current),
                               std::string_view value, const RepresentationState& state) {
  auto condition = parse_tag_condition(value);
  if (!condition || condition->any || !state.exists || !state.etag) {
    return if_none_match_holds(value, state);
  }
  for (const auto& tag : condition->tags) {
    if (match(tag, *state.etag)) return false;
  }
  return true;
}

// If-Match as RFC 9110 13.1.1 evaluates it, but with `match` comparing each
// listed tag with the current one instead of the strong comparison.
bool if_match_compared_by(bool (*match)(const EntityTag& listed, const EntityTag& current),
                          std::string_view value, const RepresentationState& state) {
  auto condition = parse_tag_condition(value);
  if (!condition || condition->any || !state.exists || !state.etag) {
    return if_match_holds(value, state);
  }
  for (const auto& tag : condition->tags) {
    if (match(tag, *state.etag)) return true;
  }
  return false;
}

// For lm-after-date: the start of the day after tomorrow, later than Date by
// at least a day. It changes only at midnight, unlike an offset from now, so
// a date a client echoes from an earlier step maps back to the real one.
Seconds later_than_today(Seconds now) {
  return std::chrono::floor<std::chrono::days>(now) + std::chrono::days{2};
}

// If-Modified-Since (RFC 9110 13.1.3) once the server has read its date:
// ignored without a date or a modification date, else whether modified since.
std::optional<bool> modified_since(std::optional<Seconds> date, const RepresentationState& state) {
  if (!date || !state.last_modified) return std::nullopt;
  return *state.last_modified > *date;
}

// If-Modified-Since as a server reads it that does not understand one of the
// three date forms: a date in that form is ignored.
ConditionEvaluator ignoring_date_form(DateForm form) {
  return [form](std::string_view value, const RepresentationState& state) -> std::optional<bool> {
    if (http_date_form(trim(value), state.date) == form) return std::nullopt;
    return if_modified_since_holds(value, state);
  };
}

// Like Apache's mod_deflate, the server reads an If-None-Match tag of the
// identity variant as the tag of the coded variant it selected.
Incoming with_other_variant_tag_mapped(Incoming request, const Representation& r) {
  auto values = request.fields.all("If-None-Match");
  if (values.empty()) return request;
  request.fields.remove("If-None-Match");
  for (const auto& value : values) {
    std::string rewritten;
    for (auto element : split(value, ',')) {
      auto tag = parse_entity_tag(trim(element));
      if (!rewritten.empty()) rewritten += ", ";
      rewritten +=
          tag && weak_match(*tag, *r.identity_etag) ? r.etag->str() : std::string(trim(element));
    }
    request.fields.add("If-None-Match", rewritten);
  }
  return request;
}

// Whether a request's Range asks for bytes beyond the end of `r`.
bool range_is_unsatisfiable(const Incoming& request, const Representation& r) {
  auto range = parse_range(request.fields.combined("Range").value_or(""), r.content.size());
  return range.kind == RangeRequest::unsatisfiable;
}

// Whether a request carries any field that makes it conditional (13.1).
bool has_conditional_field(const Fields& fields) {
  for (auto name :
       {"If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since", "If-Range"}) {
    if (fields.has(name)) return true;
  }
  return false;
}

// Whether a Cache-Control or Pragma field lists a directive, e.g. no-cache.
bool lists_directive(const Fields& fields, const char* name, std::string_view directive) {
  auto value = fields.combined(name);
  if (!value) return false;
  for (auto element : split(*value, ',')) {
    if (iequals(trim(element), directive)) return true;
  }
  return false;
}

// The dates in a value that may be a list of HTTP-dates. IMF-fixdate and RFC
// 850 dates contain a comma of their own, so a list element that does not
// parse is retried joined with the next one. nullopt unless every element is
// a date.
std::optional<std::vector<Seconds>> date_list(std::string_view text, Seconds now) {
  auto pieces = split(text, ',');
  std::vector<Seconds> dates;
  for (size_t i = 0; i < pieces.size(); ++i) {
    if (auto date = parse_http_date(trim(pieces[i]), now)) {
      dates.push_back(*date);
      continue;
    }
    if (i + 1 < pieces.size()) {
      std::string joined = std::string(trim(pieces[i])) + "," + std::string(pieces[i + 1]);
      if (auto date = parse_http_date(trim(joined), now)) {
        dates.push_back(*date);
        ++i;
        continue;
      }
    }
    return std::nullopt;
  }
  if (dates.empty()) return std::nullopt;
  return dates;
}

}  // namespace

// The one function far over 80 lines, on purpose: it is the table.
const std::vector<Fault>& known_faults() {
  static const std::vector<Fault> table = {
      {"inm-strong-compare",
       "9110-13.1.2-weak-compare",
       "If-None-Match is compared strongly",
       {ReplaceCondition{&ConditionEvaluators::if_none_match,
                         [](std::string_view value, const RepresentationState& state) {
                           return if_none_match_compared_by(strong_match, value, state);
                         }}}},
      {"inm-ignored",
       "9110-13.1.2-evaluate",
       "If-None-Match is never evaluated",
       {ReplaceCondition{&ConditionEvaluators::if_none_match,
                         [](std::string_view, const RepresentationState&) { return true; }}},
       "9110-13.1.2-star-exists"},
      {"inm-star-ignored",
       "9110-13.1.2-star-exists",
       "If-None-Match: * never matches",
       {ReplaceCondition{&ConditionEvaluators::if_none_match,
                         [](std::string_view value, const RepresentationState& state) {
                           auto condition = parse_tag_condition(value);
                           return (condition && condition->any) ||
                                  if_none_match_holds(value, state);
                         }}}},
      {"inm-first-tag-only",
       "9110-13.1.2-list-match",
       "only the first tag of each If-None-Match field line is compared",
       // A parser that reads one tag per field line: lists on one line are cut
       // to their first tag, while tags on separate lines all count.
       {ReadConditions{[](Fields& request, std::string_view, const RepresentationState&) {
         if (!request.has("If-None-Match")) return;
         std::string firsts;
         for (const auto& line : request.all("If-None-Match")) {
           auto condition = parse_tag_condition(line);
           std::string first = !condition                ? line
                               : condition->any          ? std::string("*")
                               : condition->tags.empty() ? std::string()
                                                         : condition->tags.front().str();
           firsts += (firsts.empty() ? "" : ", ") + first;
         }
         request.set("If-None-Match", firsts);
       }}}},
      {"inm-empty-elements-rejected",
       "9110-5.6.1.2-empty-elements",
       "an If-None-Match list with empty members (stray commas) is treated as matching nothing",
       // A strict list parser: any empty member makes the whole value invalid,
       // and an invalid value matches nothing.
       {ReadConditions{[](Fields& request, std::string_view, const RepresentationState&) {
         auto value = request.combined("If-None-Match");
         if (!value) return;
         bool empty_member = false;
         for (auto member : split(*value, ',')) empty_member |= trim(member).empty();
         if (empty_member) request.set("If-None-Match", "invalid-list");
       }}}},
      {"inm-first-line-only",
       "9110-5.2-combined-lines",
       "only the first If-None-Match field line is read",
       {ReadConditions{[](Fields& request, std::string_view, const RepresentationState&) {
         if (const std::string* first = request.find("If-None-Match")) {
           request.set("If-None-Match", std::string(*first));
         }
       }}}},
      {"inm-412-on-get",
       "9110-13.1.2-get-head-304",
       "a false If-None-Match on GET or HEAD gives 412 instead of 304",
       {ReorderSteps{{if_match_step, if_unmodified_since_step,
                      [](const Evaluation& e) -> std::optional<Decision> {
                        if (e.if_none_match() == false) return Decision::precondition_failed;
                        return std::nullopt;
                      },
                      if_modified_since_step, range_step}}}},
      {"ims-ignored",
       "9110-13.1.3-should-evaluate",
       "If-Modified-Since is never evaluated",
       {ReplaceCondition{&ConditionEvaluators::if_modified_since,
                         [](std::string_view, const RepresentationState&) -> std::optional<bool> {
                           return std::nullopt;
                         }}}},
      {"ims-with-inm",
       "9110-13.1.3-ignore-with-inm",
       "If-Modified-Since is also evaluated when If-None-Match is present (ANDed)",
       // Both are judged and ANDed: a date that says "modified" overrules a
       // matching tag.
       {ReorderSteps{{if_match_step, if_unmodified_since_step,
                      [](const Evaluation& e) -> std::optional<Decision> {
                        if (e.get_or_head() && e.if_modified_since() == true) return std::nullopt;
                        return if_none_match_step(e);
                      },
                      if_modified_since_step, range_step}}}},
      {"ims-rfc850-unparsed",
       "9110-5.6.7-accept-rfc850",
       "If-Modified-Since in RFC 850 form is not understood (ignored)",
       // Servers that parse only IMF-fixdate (with strptime, or by comparing the
       // text with their own Last-Modified) see no date in the other forms.
       {ReplaceCondition{&ConditionEvaluators::if_modified_since,
                         ignoring_date_form(DateForm::rfc850)}}},
      {"ims-asctime-unparsed",
       "9110-5.6.7-accept-asctime",
       "If-Modified-Since in asctime form is not understood (ignored)",
       {ReplaceCondition{&ConditionEvaluators::if_modified_since,
                         ignoring_date_form(DateForm::asctime)}}},
      {"ims-two-digit-year-future",
       "9110-5.6.7-two-digit-year",
       "RFC 850 two-digit years in If-Modified-Since are read as 20yy",
       // The window of RFC 9110 5.6.7 centred so that every two-digit year lands
       // in 20yy.
       {ReplaceCondition{
           &ConditionEvaluators::if_modified_since,
           [](std::string_view value, const RepresentationState& state) -> std::optional<bool> {
             if (http_date_form(trim(value), state.date) != DateForm::rfc850) {
               return if_modified_since_holds(value, state);
             }
             const Seconds centre{std::chrono::sys_days{std::chrono::year{2049} / 7 / 1}};
             return modified_since(parse_http_date(trim(value), centre), state);
           }}}},
      {"ims-invalid-412",
       "9110-13.1.3-ignore-invalid",
       "an If-Modified-Since that is not a date gives 412",
       {ReorderSteps{{if_match_step, if_unmodified_since_step, if_none_match_step,
                      [](const Evaluation& e) -> std::optional<Decision> {
                        auto value = e.request.combined("If-Modified-Since");
                        if (e.get_or_head() && !e.has("If-None-Match") && value &&
                            !parse_http_date(trim(*value), e.state.date) &&
                            !date_list(trim(*value), e.state.date)) {
                          return Decision::precondition_failed;
                        }
                        return if_modified_since_step(e);
                      },
                      range_step}}}},
      {"ims-list-honoured",
       "9110-13.1.3-ignore-list",
       "an If-Modified-Since list is judged by its first date",
       {ReplaceCondition{
           &ConditionEvaluators::if_modified_since,
           [](std::string_view value, const RepresentationState& state) -> std::optional<bool> {
             auto date = parse_http_date(trim(value), state.date);
             if (!date) {
               if (auto list = date_list(trim(value), state.date)) date = list->front();
             }
             return modified_since(date, state);
           }}}},
      {"ims-one-second-slack",
       "9110-13.1.3-rule",
       "304 also when If-Modified-Since is one second before Last-Modified (a stale copy is "
       "declared current)",
       // Servers that round, or compare with a tolerance, serve 304 for a copy
       // that is one second older than the resource.
       {ReplaceCondition{
           &ConditionEvaluators::if_modified_since,
           [](std::string_view value, const RepresentationState& state) -> std::optional<bool> {
             auto date = parse_http_date(trim(value), state.date);
             if (date) *date += std::chrono::seconds{1};
             return modified_since(date, state);
           }}}},
      {"inm-substring-match",
       "9110-8.8.3.2-exact-octets",
       "an If-None-Match tag matches when it merely contains the current opaque tag",
       {ReplaceCondition{&ConditionEvaluators::if_none_match,
                         [](std::string_view value, const RepresentationState& state) {
                           auto contains = [](const EntityTag& listed, const EntityTag& current) {
                             return listed.opaque.find(current.opaque) != std::string::npos;
                           };
                           return if_none_match_compared_by(contains, value, state);
                         }}}},
      {"inm-no-etag-304",
       "9110-13.1.2-no-etag-true",
       "on a resource without an ETag, any If-None-Match tag list gets 304",
       {ReplaceCondition{&ConditionEvaluators::if_none_match,
                         [](std::string_view value, const RepresentationState& state) {
                           auto condition = parse_tag_condition(value);
                           if (condition && !condition->any && state.exists && !state.etag) {
                             return false;
                           }
                           return if_none_match_holds(value, state);
                         }}}},
      {"inm-true-empty-200",
       "9110-13.2.2-s6-all-true",
       "a GET whose If-None-Match does not match gets a 200 without the content",
       {ReshapeReply{[](Reply& reply, const ReplyContext& context) {
         if (context.request.method == "GET" && (reply.status == 200 || reply.status == 206) &&
             context.request.fields.has("If-None-Match")) {
           reply.content.clear();
           reply.fields.set("Content-Length", "0");
         }
       }}}},
      {"head-ignores-conditionals",
       "9110-13.2.1-head",
       "preconditions are not evaluated for HEAD (it always gets 200)",
       {ReorderSteps{{[](const Evaluation& e) -> std::optional<Decision> {
                        if (e.method == "HEAD") return Decision::proceed;
                        return std::nullopt;
                      },
                      if_match_step, if_unmodified_since_step, if_none_match_step,
                      if_modified_since_step, range_step}}},
       // A false If-None-Match on HEAD then gets 200, not 13.1.2's 304.
       "9110-13.1.2-get-head-304",
       "with If-None-Match"},
      {"ims-exact-match-only",
       "9110-13.1.3-304-on-false",
       "304 only when If-Modified-Since equals Last-Modified exactly (nginx's "
       "if_modified_since exact)",
       {ReplaceCondition{
           &ConditionEvaluators::if_modified_since,
           [](std::string_view value, const RepresentationState& state) -> std::optional<bool> {
             auto date = parse_http_date(trim(value), state.date);
             if (!date || !state.last_modified) return std::nullopt;
             return *date != *state.last_modified;
           }}}},
      {"ims-overrides-inm",
       "9110-13.2.2-s3-inm-over-ims",
       "a false If-Modified-Since gives 304 even when If-None-Match holds",
       {ReorderSteps{{if_match_step, if_unmodified_since_step, if_none_match_step,
                      [](const Evaluation& e) -> std::optional<Decision> {
                        // If-None-Match holds (step 3 did not decide); the date decides.
                        if (e.get_or_head() && e.has("If-None-Match") &&
                            e.if_modified_since() == false) {
                          return Decision::not_modified;
                        }
                        return std::nullopt;
                      },
                      if_modified_since_step, range_step}}}},
      {"ims-future-412",
       "9110-13.1.3-future-date",
       "an If-Modified-Since later than the server's clock gives 412",
       {ReorderSteps{{if_match_step, if_unmodified_since_step, if_none_match_step,
                      [](const Evaluation& e) -> std::optional<Decision> {
                        auto value = e.request.combined("If-Modified-Since");
                        if (e.get_or_head() && !e.has("If-None-Match") && value &&
                            e.state.last_modified) {
                          auto date = parse_http_date(trim(*value), e.state.date);
                          if (date && *date > e.state.date) return Decision::precondition_failed;
                        }
                        return if_modified_since_step(e);
                      },
                      range_step}}}},
      {"inm-unsafe-304",
       "9110-13.1.2-unsafe-412",
       "a false If-None-Match on PUT or DELETE gives 304 instead of 412",
       {ReorderSteps{{if_match_step, if_unmodified_since_step,
                      [](const Evaluation& e) -> std::optional<Decision> {
                        if (e.if_none_match() == false) return Decision::not_modified;
                        return std::nullopt;
                      },
                      if_modified_since_step, range_step}}}},
      {"inm-star-absent-412",
       "9110-13.1.2-star-absent",
       "If-None-Match: * gives 412 even when the resource does not exist (no create-only PUT)",
       {ReplaceCondition{&ConditionEvaluators::if_none_match,
                         [](std::string_view value, const RepresentationState& state) {
                           auto condition = parse_tag_condition(value);
                           return !(condition && condition->any) &&
                                  if_none_match_holds(value, state);
                         }}}},
      {"412-after-applying",
       "9110-15.5.13-no-side-effect",
       "a PUT or DELETE whose precondition is false is performed, then answered 412",
       // A server that checks the condition only after it has written: the 412
       // is right, the change it made is not.
       {OverrideDecision{[](Decision decision, const Incoming& request, const Representation*) {
          const bool unsafe = request.method == "PUT" || request.method == "DELETE";
          return unsafe && decision == Decision::precondition_failed ? Decision::proceed : decision;
        }},
        ReshapeReply{[](Reply& reply, const ReplyContext& context) {
          const bool unsafe = context.request.method == "PUT" || context.request.method == "DELETE";
          if (unsafe && context.evaluated == Decision::precondition_failed) {
            reply = bare_reply(412, context.now);
          }
        }}}},
      {"im-ignored",
       "9110-13.1.1-evaluate",
       "If-Match is never evaluated (Python http.server)",
       // A field the server does not evaluate counts as absent, so
       // If-Unmodified-Since is evaluated in its place.
       {ReadConditions{[](Fields& request, std::string_view, const RepresentationState&) {
         request.remove("If-Match");
       }}},
       "9110-13.1.1-no-etag"},
      {"im-weak-compare",
       "9110-13.1.1-strong-compare",
       "If-Match is compared weakly, so W/ tags match (send)",
       {ReplaceCondition{&ConditionEvaluators::if_match,
                         [](std::string_view value, const RepresentationState& state) {
                           return if_match_compared_by(weak_match, value, state);
                         }}}},
      {"im-whole-value",
       "9110-13.1.1-list-match",
       "If-Match is compared with the current tag as one string, so a list never matches",
       {ReplaceCondition{&ConditionEvaluators::if_match,
                         [](std::string_view value, const RepresentationState& state) {
                           if (trim(value) == "*") return if_match_holds(value, state);
                           auto tag = parse_entity_tag(trim(value));
                           return tag && state.exists && state.etag &&
                                  strong_match(*tag, *state.etag);
                         }}}},
      {"im-no-etag-true",
       "9110-13.1.1-no-etag",
       "If-Match is checked only when the resource has an ETag, so any tag passes without one",
       {ReplaceCondition{&ConditionEvaluators::if_match,
                         [](std::string_view value, const RepresentationState& state) {
                           auto condition = parse_tag_condition(value);
                           if (condition && !condition->any && state.exists && !state.etag) {
                             return true;
                           }
                           return if_match_holds(value, state);
                         }}}},
      {"im-star-needs-etag",
       "9110-13.1.1-star-exists",
       "If-Match: * gives 412 on a resource without an ETag (Django)",
       {ReplaceCondition{&ConditionEvaluators::if_match,
                         [](std::string_view value, const RepresentationState& state) {
                           auto condition = parse_tag_condition(value);
                           if (condition && condition->any) {
                             return state.exists && state.etag.has_value();
                           }
                           return if_match_holds(value, state);
                         }}}},
      {"im-star-absent-true",
       "9110-13.1.1-star-absent",
       "If-Match: * holds even when the resource does not exist, so a PUT creates it",
       {ReplaceCondition{&ConditionEvaluators::if_match,
                         [](std::string_view value, const RepresentationState& state) {
                           auto condition = parse_tag_condition(value);
                           return (condition && condition->any) || if_match_holds(value, state);
                         }}}},
      {"im-skipped-for-ranges",
       "9110-13.1.1-get-range",
       "If-Match is not evaluated on a GET with Range (a mismatch gets 206)",
       {ReadConditions{[](Fields& request, std::string_view method, const RepresentationState&) {
         if (method == "GET" && request.has("Range")) request.remove("If-Match");
       }}}},
      {"ius-ignored",
       "9110-13.1.4-evaluate",
       "If-Unmodified-Since is never evaluated (Python http.server)",
       {ReadConditions{[](Fields& request, std::string_view, const RepresentationState&) {
         request.remove("If-Unmodified-Since");
       }}}},
      {"ius-equal-fails",
       "9110-13.1.4-rule",
       "If-Unmodified-Since equal to Last-Modified gives 412 (a sub-second modification time is "
       "compared)",
       // A server comparing its sub-second modification time: the second the
       // client was sent counts as before it.
       {ReplaceCondition{
           &ConditionEvaluators::if_unmodified_since,
           [](std::string_view value, const RepresentationState& state) -> std::optional<bool> {
             auto date = parse_http_date(trim(value), state.date);
             if (!date || !state.last_modified) return std::nullopt;
             return *state.last_modified < *date;
           }}}},
      {"ius-with-im",
       "9110-13.1.4-ignore-with-im",
       "If-Unmodified-Since is evaluated even when If-Match is present (Apache, nginx)",
       {ReorderSteps{{if_match_step,
                      [](const Evaluation& e) -> std::
                                                  optional<Decision> {
                                                    if (e.if_unmodified_since() == false)
                                                      return Decision::precondition_failed;
                                                    return std::nullopt;
                                                  },
                      if_none_match_step, if_modified_since_step, range_step}}}},
      {"ius-invalid-412",
       "9110-13.1.4-ignore-invalid",
       "an If-Unmodified-Since that is not one valid date gives 412 (nginx)",
       {ReplaceCondition{
           &ConditionEvaluators::if_unmodified_since,
           [](std::string_view value, const RepresentationState& state) -> std::optional<bool> {
             if (state.last_modified && !parse_http_date(trim(value), state.date)) return false;
             return if_unmodified_since_holds(value, state);
           }}}},
      {"ius-no-date-412",
       "9110-13.1.4-ignore-no-date",
       "If-Unmodified-Since on a resource without Last-Modified gives 412 (nginx, Django, send)",
       {ReplaceCondition{
           &ConditionEvaluators::if_unmodified_since,
           [](std::string_view value, const RepresentationState& state) -> std::optional<bool> {
             if (!state.last_modified) return false;
             return if_unmodified_since_holds(value, state);
           }}}},
      {"ius-skipped-for-ranges",
       "9110-13.1.4-get-range",
       "If-Unmodified-Since is not evaluated on a GET with Range (a false one gets 206)",
       {ReadConditions{[](Fields& request, std::string_view method, const RepresentationState&) {
         if (method == "GET" && request.has("Range")) request.remove("If-Unmodified-Since");
       }}}},
      {"inm-before-im",
       "9110-13.2.2-s1-im-over-inm",
       "If-None-Match is decided before If-Match: a false If-Match with a matching If-None-Match "
       "gets 304",
       {ReorderSteps{{[](const Evaluation& e) -> std::optional<Decision> {
                        if (e.has("If-Match")) return if_none_match_step(e);
                        return std::nullopt;
                      },
                      if_match_step, if_unmodified_since_step, if_none_match_step,
                      if_modified_since_step, range_step}}}},
      {"ims-before-im",
       "9110-13.2.2-s1-im-over-ims",
       "If-Modified-Since is decided before If-Match: a false If-Match gets 304 when the date "
       "matches",
       {ReorderSteps{{[](const Evaluation& e) -> std::optional<Decision> {
                        if (e.has("If-Match")) return if_modified_since_step(e);
                        return std::nullopt;
                      },
                      if_match_step, if_unmodified_since_step, if_none_match_step,
                      if_modified_since_step, range_step}}}},
      {"range-before-im",
       "9110-13.2.2-s1-im-over-range",
       "an unsatisfiable Range gets 416 before If-Match is evaluated",
       // A server that validates Range while parsing the request, before it
       // looks at If-Match.
       {AnswerBeforeEvaluation{[](const Incoming& request, const Representation* selected,
                                  Seconds now) -> std::optional<Reply> {
         if (request.method == "GET" && selected && selected->ranges_supported &&
             request.fields.has("If-Match") && range_is_unsatisfiable(request, *selected)) {
           return range_not_satisfiable_reply(*selected, now);
         }
         return std::nullopt;
       }}}},
      {"im-true-skips-inm",
       "9110-13.2.2-s1-true-skips-ius",
       "a true If-Match ends the evaluation, so If-None-Match is never consulted",
       {ReorderSteps{{if_match_step, if_unmodified_since_step,
                      [](const Evaluation& e) -> std::optional<Decision> {
                        // Present, and true since step 1 passed: straight on to step 5.
                        if (e.has("If-Match")) return range_step(e);
                        return std::nullopt;
                      },
                      if_none_match_step, if_modified_since_step, range_step}}}},
      {"inm-before-ius",
       "9110-13.2.2-s2-ius-over-inm",
       "If-None-Match is decided before If-Unmodified-Since: a false date with a matching tag "
       "gets 304",
       {ReorderSteps{
           {if_match_step,
            [](const Evaluation& e) -> std::
                                        optional<Decision> {
                                          if (!e.has("If-Match") && e.has("If-Unmodified-Since")) {
                                            return if_none_match_step(e);
                                          }
                                          return std::nullopt;
                                        },
            if_unmodified_since_step, if_none_match_step, if_modified_since_step, range_step}}}},
      {"ius-true-skips-inm",
       "9110-13.2.2-s2-true-then-inm",
       "a true If-Unmodified-Since ends the evaluation, so If-None-Match is never consulted "
       "(Apache)",
       {ReorderSteps{{if_match_step, if_unmodified_since_step,
                      [](const Evaluation& e) -> std::optional<Decision> {
                        if (!e.has("If-Match") && e.if_unmodified_since() == true) {
                          return range_step(e);  // straight on to step 5
                        }
                        return std::nullopt;
                      },
                      if_none_match_step, if_modified_since_step, range_step}}}},
      {"date-twice",
       "9110-5.3-singleton-once",
       "a 200 carries its Date on two field lines (as when middleware adds one more)",
       {ReshapeReply{[](Reply& reply, const ReplyContext&) {
         const std::string* date = reply.fields.find("Date");
         if (reply.status == 200 && date) reply.fields.add("Date", std::string(*date));
       }}}},
      {"head-content-length-zero",
       "9110-8.6-cl-in-head",
       "a 200 to HEAD carries Content-Length: 0",
       {ReshapeReply{[](Reply& reply, const ReplyContext& context) {
         if (context.request.method == "HEAD" && reply.status == 200) {
           reply.fields.set("Content-Length", "0");
         }
       }}}},
      // Content that does not change: its tag is known without generating
      // it, so leaving it out of HEAD is the SHOULD's concern.
      {"head-drops-etag",
       "9110-9.3.2-head-mirrors-get",
       "a 200 to HEAD of content that does not change carries no ETag",
       {ReshapeReply{[](Reply& reply, const ReplyContext& context) {
         const bool generated = context.selected && context.selected->generated_per_request;
         if (context.request.method == "HEAD" && reply.status == 200 && !generated)
           reply.fields.remove("ETag");
       }}}},
      {"head-drops-generated-etag",
       "9110-9.3.2-head-omit-generated",
       "a 200 to HEAD of content generated per request carries no ETag (allowed: info)",
       {ReshapeReply{[](Reply& reply, const ReplyContext& context) {
         const bool generated = context.selected && context.selected->generated_per_request;
         if (context.request.method == "HEAD" && reply.status == 200 && generated)
           reply.fields.remove("ETag");
       }}}},
      {"body-after-304",
       "9110-15.4.5-no-content",
       "the 304 is followed by the content",
       // With the length a 200 would have, so only the stray bytes are wrong.
       // (Not after a 304 to HEAD, which has no content to send.)
       {ReshapeReply{[](Reply& reply, const ReplyContext& context) {
         if (reply.status != 304 || !context.selected) return;
         reply.fields.add("Content-Length", std::to_string(context.selected->content.size()));
         if (context.request.method == "HEAD") return;
         reply.content = context.selected->content;
         reply.framing.content_after_bodiless = true;
       }}},
       "9113-8.1.1-no-data-without-content",
       "over HTTP/2",
       Fault::Over::http2},
      {"cl-zero-in-304",
       "9110-8.6-cl-in-304",
       "the 304 carries Content-Length: 0",
       {ReshapeReply{[](Reply& reply, const ReplyContext&) {
         if (reply.status == 304) reply.fields.add("Content-Length", "0");
       }}}},
      {"304-drops-etag",
       "9110-15.4.5-etag",
       "the 304 has no ETag",
       {ReshapeReply{[](Reply& reply, const ReplyContext&) {
         if (reply.status == 304) reply.fields.remove("ETag");
       }}}},
      {"304-drops-cache-control",
       "9110-15.4.5-cache-control",
       "the 304 has no Cache-Control",
       {ReshapeReply{[](Reply& reply, const ReplyContext&) {
         if (reply.status == 304) reply.fields.remove("Cache-Control");
       }}}},
      {"304-drops-expires",
       "9110-15.4.5-expires",
       "the 304 has no Expires",
       {ReshapeReply{[](Reply& reply, const ReplyContext&) {
         if (reply.status == 304) reply.fields.remove("Expires");
       }}}},
      {"304-drops-vary",
       "9110-15.4.5-vary",
       "the 304 has no Vary",
       {ReshapeReply{[](Reply& reply, const ReplyContext&) {
         if (reply.status == 304) reply.fields.remove("Vary");
       }}}},
      {"304-drops-content-location",
       "9110-15.4.5-content-location",
       "the 304 has no Content-Location",
       {ReshapeReply{[](Reply& reply, const ReplyContext&) {
         if (reply.status == 304) reply.fields.remove("Content-Location");
       }}}},
      {"304-drops-date",
       "9110-15.4.5-date",
       "the 304 has no Date",
       {ReshapeReply{[](Reply& reply, const ReplyContext&) {
         if (reply.status == 304) reply.fields.remove("Date");
       }}}},
      {"304-content-type",
       "9110-15.4.5-minimal-metadata",
       "the 304 carries Content-Type",
       {ReshapeReply{[](Reply& reply, const ReplyContext& context) {
         if (reply.status == 304 && context.selected) {
           reply.fields.add("Content-Type", context.selected->content_type);
         }
       }}}},
      {"body-after-head",
       "9110-9.3.2-head-no-content",
       "the content is sent after a HEAD response",
       {ReshapeReply{[](Reply& reply, const ReplyContext& context) {
         if (context.request.method == "HEAD" && reply.status == 200 && context.selected) {
           reply.content = context.selected->content;
           reply.framing.content_after_bodiless = true;
         }
       }}},
       "9113-8.1.1-no-data-without-content",
       "over HTTP/2",
       Fault::Over::http2},
      {"lm-after-date",
       "9110-8.8.2.1-lm-le-date",
       "Last-Modified is a day or more later than Date",
       {ReshapeReply{[](Reply& reply, const ReplyContext& context) {
          if (reply.fields.has("Last-Modified")) {
            reply.fields.set("Last-Modified", format_imf_fixdate(later_than_today(context.now)));
          }
        }},
        // Clients echo the date they were sent: map it back to the real one, so
        // that the fault breaks only the field sent.
        ReadConditions{[](Fields& request, std::string_view, const RepresentationState& state) {
          if (!state.last_modified) return;
          const auto shift = later_than_today(state.date) - *state.last_modified;
          for (auto name : {"If-Modified-Since", "If-Unmodified-Since", "If-Range"}) {
            auto value = request.combined(name);
            auto date = value ? parse_http_date(trim(*value), state.date) : std::nullopt;
            if (date) request.set(name, format_imf_fixdate(*date - shift));
          }
        }}}},
      {"etag-unquoted",
       "9110-8.8.3-etag-syntax",
       "ETag is sent without its quotes",
       {ReshapeReply{[](Reply& reply, const ReplyContext&) {
          const auto* sent = reply.fields.find("ETag");
          if (auto tag = sent ? parse_entity_tag(*sent) : std::nullopt) {
            reply.fields.set("ETag", (tag->weak ? "W/" : "") + tag->opaque);
          }
        }},
        // Clients echo the tag they were sent: the bare text, or its weak form,
        // stands for the quoted tag, so that the fault breaks only the field sent.
        ReadConditions{[](Fields& request, std::string_view, const RepresentationState& state) {
          if (!state.etag) return;
          auto requote = [&](std::string_view element) {
            bool weak = element.starts_with("W/");
            auto opaque = weak ? element.substr(2) : element;
            if (opaque != state.etag->opaque) return std::string(element);
            return EntityTag{.weak = weak, .opaque = state.etag->opaque}.str();
          };
          for (auto name : {"If-Match", "If-None-Match", "If-Range"}) {
            auto values = request.all(name);
            if (values.empty()) continue;
            request.remove(name);
            for (auto& value : values) {
              std::string rewritten;
              for (auto element : split(value, ',')) {
                if (!rewritten.empty()) rewritten += ", ";
                rewritten += requote(trim(element));
              }
              request.add(name, rewritten);
            }
          }
        }}}},
      {"date-rfc850",
       "9110-5.6.7-generate-imf",
       "Date is sent in the obsolete RFC 850 form",
       {ReshapeReply{[](Reply& reply, const ReplyContext& context) {
         if (reply.fields.has("Date")) reply.fields.set("Date", format_rfc850(context.now));
       }}}},
      {"if-range-without-range-412",
       "9110-13.1.5-no-range-ignore",
       "If-Range without Range is evaluated like If-Match: a false one gets 412",
       {ReorderSteps{
           {if_match_step, if_unmodified_since_step, if_none_match_step, if_modified_since_step,
            [](const Evaluation& e) -> std::optional<Decision> {
              if (e.get_or_head() && !e.has("Range") && e.if_range() == false) {
                return Decision::precondition_failed;
              }
              return std::nullopt;
            },
            range_step}}}},
      {"if-range-412-without-ranges",
       "9110-13.1.5-no-support-ignore",
       "on a resource that serves no ranges, a Range request with a false If-Range gets 412",
       {ReorderSteps{
           {if_match_step, if_unmodified_since_step, if_none_match_step, if_modified_since_step,
            [](const Evaluation& e) -> std::optional<Decision> {
              if (e.method == "GET" && e.has("Range") && !e.state.ranges_supported &&
                  e.if_range() == false) {
                return Decision::precondition_failed;
              }
              return std::nullopt;
            },
            range_step}}}},
      {"if-range-tag-never-matches",
       "9110-13.1.5-etag-true-206",
       "an If-Range entity-tag never matches (compared with its quotes against the bare opaque "
       "tag), so a resumed download always restarts with a 200",
       {ReplaceCondition{&ConditionEvaluators::if_range,
                         [](std::string_view value, const RepresentationState& state) {
                           return !is_entity_tag_form(value) && if_range_holds(value, state);
                         }}}},
      {"if-range-ignored",
       "9110-13.1.5-false-200",
       "If-Range is never evaluated: a Range request is served in part whatever If-Range holds",
       {ReplaceCondition{&ConditionEvaluators::if_range,
                         [](std::string_view, const RepresentationState&) { return true; }}}},
      {"if-range-weak-compare",
       "9110-13.1.5-weak-never-true",
       "If-Range tags are compared weakly, so a W/ tag gets 206 (nginx, send)",
       {ReplaceCondition{&ConditionEvaluators::if_range,
                         [](std::string_view value, const RepresentationState& state) {
                           if (!is_entity_tag_form(value)) return if_range_holds(value, state);
                           auto tag = parse_entity_tag(trim(value));
                           return tag && state.etag && weak_match(*tag, *state.etag);
                         }}}},
      {"if-range-date-not-after",
       "9110-13.1.5-date-exact",
       "an If-Range date holds when Last-Modified is not after it (send compares with <=)",
       {ReplaceCondition{&ConditionEvaluators::if_range,
                         [](std::string_view value, const RepresentationState& state) {
                           if (is_entity_tag_form(value)) return if_range_holds(value, state);
                           auto date = parse_http_date(trim(value), state.date);
                           return date && last_modified_is_strong(state) &&
                                  *state.last_modified <= *date;
                         }}}},
      {"if-range-date-first",
       "9110-13.1.5-syntax-split",
       "If-Range is read as a date whenever it parses as one once its quotes are removed, before "
       "it is considered as an entity-tag",
       // A lenient date parser tried before anything else, quotes and all.
       {ReplaceCondition{&ConditionEvaluators::if_range,
                         [](std::string_view value, const RepresentationState& state) {
                           std::string_view unquoted = trim(value);
                           if (unquoted.size() >= 2 && unquoted.front() == '"' &&
                               unquoted.back() == '"') {
                             unquoted = unquoted.substr(1, unquoted.size() - 2);
                           }
                           if (auto date = parse_http_date(trim(unquoted), state.date)) {
                             return last_modified_is_strong(state) && *date == *state.last_modified;
                           }
                           return if_range_holds(value, state);
                         }}}},
      {"range-before-validation",
       "9110-14.2-after-preconditions",
       "a GET with Range (and no If-Range) is served 206 before If-None-Match and "
       "If-Modified-Since are evaluated",
       {ReorderSteps{{if_match_step, if_unmodified_since_step,
                      [](const Evaluation& e) -> std::optional<Decision> {
                        if (!e.has("If-Range") && range_step(e) == Decision::partial) {
                          return Decision::partial;
                        }
                        return std::nullopt;
                      },
                      if_none_match_step, if_modified_since_step, range_step}}}},
      {"range-on-head",
       "9110-14.2-get-only",
       "Range is honoured on HEAD (206)",
       {ReorderSteps{
           {if_match_step, if_unmodified_since_step, if_none_match_step, if_modified_since_step,
            [](const Evaluation& e) -> std::optional<Decision> {
              if (e.get_or_head() && e.has("Range") && e.state.ranges_supported &&
                  e.if_range() != false) {
                return Decision::partial;
              }
              return Decision::proceed;
            }}}}},
      {"range-ignored-with-inm",
       "9110-14.2-satisfiable-206",
       "a Range request carrying If-None-Match is served whole even when the condition holds",
       {ReorderSteps{
           {if_match_step, if_unmodified_since_step, if_none_match_step, if_modified_since_step,
            [](const Evaluation& e) -> std::optional<Decision> {
              if (e.has("If-None-Match")) return Decision::proceed;
              return std::nullopt;
            },
            range_step}}}},
      {"range-416-before-if-range",
       "9110-14.2-unsatisfiable-416",
       "an unsatisfiable Range gets 416 before If-Range is evaluated, even when If-Range is false",
       // A server that validates Range while parsing the request, before
       // If-Range says whether it applies: Range is honoured, hence the 416.
       {OverrideDecision{
           [](Decision decision, const Incoming& request, const Representation* selected) {
             if (decision == Decision::proceed && request.method == "GET" && selected &&
                 selected->ranges_supported && request.fields.has("If-Range") &&
                 range_is_unsatisfiable(request, *selected)) {
               return Decision::partial;
             }
             return decision;
           }}}},
      {"206-if-range-drops-etag",
       "9110-15.3.7-required-fields",
       "a 206 answering If-Range has no ETag and no Content-Location",
       {ReshapeReply{[](Reply& reply, const ReplyContext& context) {
         if (reply.status == 206 && context.request.fields.has("If-Range")) {
           reply.fields.remove("ETag");
           reply.fields.remove("Content-Location");
         }
       }}}},
      {"206-if-range-full-metadata",
       "9110-15.3.7-if-range-lean",
       "a 206 answering If-Range repeats Content-Type and Last-Modified (most servers)",
       {ReshapeReply{[](Reply& reply, const ReplyContext& context) {
         if (reply.status != 206 || !context.request.fields.has("If-Range") || !context.selected) {
           return;
         }
         const Fields full = representation_fields(*context.selected, context.now);
         for (auto name : {"Content-Type", "Last-Modified"}) {
           if (const auto* value = full.find(name)) reply.fields.add(name, *value);
         }
       }}}},
      {"206-lean-without-if-range",
       "9110-15.3.7-full-metadata",
       "a 206 to a request without If-Range leaves out Content-Type and Last-Modified",
       {ReshapeReply{[](Reply& reply, const ReplyContext& context) {
         if (reply.status == 206 && !context.request.fields.has("If-Range")) {
           reply.fields.remove("Content-Type");
           reply.fields.remove("Last-Modified");
         }
       }}}},
      {"206-no-content-range",
       "9110-15.3.7.1-content-range",
       "a 206 has no Content-Range",
       {ReshapeReply{[](Reply& reply, const ReplyContext&) {
         if (reply.status == 206) reply.fields.remove("Content-Range");
       }}}},
      {"if-range-before-inm",
       "9110-13.2.2-s3-inm-over-range",
       "a Range request with If-Range is answered 206 or 200 before If-None-Match is evaluated "
       "(Apache)",
       {ReorderSteps{{if_match_step, if_unmodified_since_step,
                      [](const Evaluation& e) -> std::optional<Decision> {
                        if (e.has("If-None-Match") && e.has("If-Range") && e.range_applies()) {
                          return range_step(e);
                        }
                        return std::nullopt;
                      },
                      if_none_match_step, if_modified_since_step, range_step}}}},
      {"if-range-before-ims",
       "9110-13.2.2-s4-ims-over-range",
       "a Range request with If-Range is answered 206 or 200 before If-Modified-Since is "
       "evaluated (Apache)",
       {ReorderSteps{{if_match_step, if_unmodified_since_step,
                      [](const Evaluation& e) -> std::optional<Decision> {
                        if (!e.has("If-None-Match") && e.has("If-Modified-Since") &&
                            e.has("If-Range") && e.range_applies()) {
                          return range_step(e);
                        }
                        return std::nullopt;
                      },
                      if_none_match_step, if_modified_since_step, range_step}}}},
      {"if-range-partial-on-head",
       "9110-13.2.2-s5-get-only",
       "a HEAD with Range and a true If-Range gets 206 (the resume path does not check the "
       "method)",
       // The resume path does not check the method.
       {ReorderSteps{
           {if_match_step, if_unmodified_since_step, if_none_match_step, if_modified_since_step,
            [](const Evaluation& e) -> std::optional<Decision> {
              if (e.method == "HEAD" && e.has("Range") && e.state.ranges_supported &&
                  e.if_range() == true) {
                return Decision::partial;
              }
              return std::nullopt;
            },
            range_step}}}},
      {"range-unknown-unit-416",
       "9110-14.2-unknown-unit-ignored",
       "a Range in a unit other than bytes gets 416 instead of being ignored",
       {ReadRange{[](std::string_view value, size_t length) {
         if (!is_bytes_range(std::string(value))) {
           return RangeRequest{.kind = RangeRequest::unsatisfiable};
         }
         return parse_range(value, length);
       }}},
       // With a true If-Range the same 416 also breaks step 5 of 13.2.2.
       "9110-13.2.2-s5-206-or-200",
       "with a true If-Range"},
      {"range-206-whole-content",
       "9110-14.2-satisfiable-206",
       "a satisfiable byte range gets a 206 holding the whole content",
       {ReadRange{[](std::string_view value, size_t length) {
         RangeRequest range = parse_range(value, length);
         if (range.kind == RangeRequest::single) {
           range.first = 0;
           range.last = length - 1;
         }
         return range;
       }}}},
      {"range-suffix-as-prefix",
       "9110-14.2-satisfiable-206",
       "a suffix range bytes=-N is read as bytes=0-N (Mojolicious)",
       {ReadRange{[](std::string_view value, size_t length) {
         const std::string text(trim(value));
         if (text.starts_with("bytes=-")) return parse_range("bytes=0-" + text.substr(7), length);
         return parse_range(value, length);
       }}}},
      {"if-range-unknown-unit-416",
       "9110-13.2.2-s5-206-or-200",
       "a Range in a unit other than bytes gets 416 when If-Range holds (ignored without it)",
       // A server that honours any Range once If-Range says the client's copy
       // is current, before it looks at the unit.
       {AnswerFirst{[](const Incoming& request, Seconds now) -> std::optional<Reply> {
         const std::string* range = request.fields.find("Range");
         const std::string* if_range = request.fields.find("If-Range");
         if (request.method != "GET" || !is_static_resource(request.path) || !range || !if_range ||
             is_bytes_range(*range))
           return std::nullopt;
         const Representation r = static_representation(
             request.path, accepts_gzip(request.fields.combined("Accept-Encoding")));
         if (!r.ranges_supported || !if_range_holds(*if_range, state_of(&r, now)))
           return std::nullopt;
         return range_not_satisfiable_reply(r, now);
       }}}},
      {"404-without-date",
       "9110-6.6.1-date-required",
       "a 404 carries no Date",
       {ReshapeReply{[](Reply& reply, const ReplyContext&) {
         if (reply.status == 404) reply.fields.remove("Date");
       }}}},
      {"412-without-date",
       "9110-15.5.13-date",
       "a 412 carries no Date",
       {ReshapeReply{[](Reply& reply, const ReplyContext&) {
         if (reply.status == 412) reply.fields.remove("Date");
       }}}},
      {"missing-412-before-404",
       "9110-13.2.1-non2xx-ignore",
       "a request for a missing resource with If-Match gets 412 instead of 404",
       {AnswerFirst{[](const Incoming& request, Seconds now) -> std::optional<Reply> {
         const bool server_wide = request.method == "OPTIONS" && request.path == "*";
         if (!names_a_resource(request.path) && !server_wide && request.fields.has("If-Match")) {
           return bare_reply(412, now);
         }
         return std::nullopt;
       }}}},
      {"missing-304-with-inm",
       "9110-13.2.1-non2xx-ignore",
       "a GET for a missing resource with If-None-Match gets 304 instead of 404",
       // A server that answers a cache's revalidation before it looks the
       // resource up.
       {AnswerFirst{[](const Incoming& request, Seconds now) -> std::optional<Reply> {
         if (request.method == "GET" && !names_a_resource(request.path) &&
             request.fields.has("If-None-Match")) {
           return bare_reply(304, now);
         }
         return std::nullopt;
       }}}},
      {"options-evaluates-preconditions",
       "9110-13.2.1-unselecting-methods",
       "OPTIONS with an If-Match that does not match gets 412",
       {AnswerFirst{[](const Incoming& request, Seconds now) -> std::optional<Reply> {
         if (request.method == "OPTIONS" && is_static_resource(request.path) &&
             request.fields.has("If-Match")) {
           return bare_reply(412, now);
         }
         return std::nullopt;
       }}}},
      {"ims-on-put-304",
       "9110-13.1.3-ignore-method",
       "a PUT with If-Modified-Since not before Last-Modified gets 304 and is not applied",
       // If-Modified-Since is for GET and HEAD only (13.1.3); this server
       // applies it to PUT, before any other precondition.
       {AnswerBeforeEvaluation{[](const Incoming& request, const Representation* selected,
                                  Seconds now) -> std::optional<Reply> {
         auto since = request.fields.combined("If-Modified-Since");
         auto date = since ? parse_http_date(trim(*since), now) : std::nullopt;
         if (request.method == "PUT" && selected && date && selected->last_modified &&
             *selected->last_modified <= *date) {
           return bare_reply(304, now);
         }
         return std::nullopt;
       }}}},
      {"lm-asctime",
       "9110-8.8.2-lm-syntax",
       "Last-Modified is sent in the obsolete asctime form",
       {ReshapeReply{[](Reply& reply, const ReplyContext& context) {
         // The representation's Last-Modified; a PUT's answer keeps its own.
         const auto* sent = reply.fields.find("Last-Modified");
         if (!sent || context.request.method == "PUT") return;
         if (auto date = parse_http_date(*sent, context.now)) {
           reply.fields.set("Last-Modified", format_asctime(*date));
         }
       }}}},
      {"ims-asctime-local-west",
       "9110-5.6.7-utc",
       "an If-Modified-Since in asctime form is read as local time five hours west of UTC",
       // asctime has no zone label; a server that reads it with mktime() in a
       // zone five hours west of UTC moves it five hours later.
       {ReplaceCondition{
           &ConditionEvaluators::if_modified_since,
           [](std::string_view value, const RepresentationState& state) -> std::optional<bool> {
             if (http_date_form(trim(value), state.date) != DateForm::asctime) {
               return if_modified_since_holds(value, state);
             }
             auto date = parse_http_date(trim(value), state.date);
             if (date) *date += std::chrono::hours{5};
             return modified_since(date, state);
           }}}},
      {"expires-extra-space",
       "9110-5.6.7-no-extra-ws",
       "Expires is sent with two spaces after the day name",
       {ReshapeReply{[](Reply& reply, const ReplyContext&) {
         if (const auto* sent = reply.fields.find("Expires")) {
           std::string expires = *sent;
           expires.insert(expires.find(',') + 1, " ");
           reply.fields.set("Expires", expires);
         }
       }}}},
      {"inm-no-cache-ignored",
       "9110-13.1.2-request-cc-irrelevant",
       "a request with Cache-Control: no-cache skips If-None-Match and gets the full 200",
       // A server that reads no-cache, which speaks to caches, as "do not
       // revalidate", and serves the full response.
       {OverrideDecision{[](Decision decision, const Incoming& request, const Representation*) {
         if (decision == Decision::not_modified &&
             (lists_directive(request.fields, "Cache-Control", "no-cache") ||
              lists_directive(request.fields, "Pragma", "no-cache"))) {
           return Decision::proceed;
         }
         return decision;
       }}}},
      {"304-on-max-age-0",
       "9110-15.4.5-scope",
       "an unconditional GET with Cache-Control: max-age=0 gets 304",
       // A server that takes a client's request for a fresh answer as a
       // revalidation, and has nothing newer to offer.
       {OverrideDecision{[](Decision decision, const Incoming& request, const Representation*) {
         const bool get_or_head = request.method == "GET" || request.method == "HEAD";
         if (get_or_head && !has_conditional_field(request.fields) &&
             lists_directive(request.fields, "Cache-Control", "max-age=0")) {
           return Decision::not_modified;
         }
         return decision;
       }}}},
      {"ims-without-lm-304",
       "9110-13.1.3-ignore-no-date",
       "a resource without Last-Modified compares If-Modified-Since with the epoch and gets 304",
       // Handlers that read a missing modification time as zero (the epoch):
       // every date looks "not modified since".
       {ReplaceCondition{
           &ConditionEvaluators::if_modified_since,
           [](std::string_view value, const RepresentationState& state) -> std::optional<bool> {
             if (!state.last_modified && parse_http_date(trim(value), state.date)) return false;
             return if_modified_since_holds(value, state);
           }}}},
      {"304-etag-first-listed",
       "9111-4.3.2-304-tag-identifies",
       "a 304 to an If-None-Match list names the first listed tag, not the one that matched",
       // A server that echoes the client's list instead of naming the tag that
       // matched.
       {ReshapeReply{[](Reply& reply, const ReplyContext& context) {
         auto listed = context.request.fields.combined("If-None-Match");
         if (reply.status != 304 || !listed || !reply.fields.has("ETag")) return;
         auto first = trim(split(*listed, ',').front());
         if (!first.empty() && first != "*") reply.fields.set("ETag", std::string(first));
       }}}},
      {"304-lm-differs",
       "9111-4.3.4-same-strong-validator",
       "the Last-Modified of a 304 is one second later than that of the 200",
       {ReshapeReply{[](Reply& reply, const ReplyContext& context) {
         const auto* sent = reply.fields.find("Last-Modified");
         auto date =
             sent && reply.status == 304 ? parse_http_date(*sent, context.now) : std::nullopt;
         if (date) {
           reply.fields.set("Last-Modified", format_imf_fixdate(*date + std::chrono::seconds{1}));
         }
       }}}},
      {"date-hour-behind",
       "9110-6.6.1-accuracy",
       "Date is one hour behind the actual time",
       {ReshapeReply{[](Reply& reply, const ReplyContext& context) {
         if (reply.fields.has("Date")) {
           reply.fields.set("Date", format_imf_fixdate(context.now - std::chrono::hours{1}));
         }
       }}}},
      {"etag-backslash",
       "9110-8.8.3-no-backslash",
       "entity tags contain a backslash",
       {ReshapeRepresentation{[](Representation& r, const Incoming&, FaultMemory&) {
         if (!r.written_by_client && r.etag) r.etag->opaque.insert(4, "\\");
       }}}},
      {"ims-leap-second-invalid",
       "9110-5.6.7-leap-second",
       "an If-Modified-Since whose seconds are 60 is not understood (ignored)",
       // Parsers built on a 0-59 range for seconds reject a leap second.
       {ReplaceCondition{
           &ConditionEvaluators::if_modified_since,
           [](std::string_view value, const RepresentationState& state) -> std::optional<bool> {
             if (trim(value).find(":60 ") != std::string_view::npos) return std::nullopt;
             return if_modified_since_holds(value, state);
           }}}},
      {"if-range-date-ignores-strength",
       "9110-13.1.5-date-weak-false",
       "an If-Range date equal to Last-Modified holds even after two changes within that second",
       {ReplaceCondition{&ConditionEvaluators::if_range,
                         [](std::string_view value, const RepresentationState& state) {
                           if (is_entity_tag_form(value)) return if_range_holds(value, state);
                           auto date = parse_http_date(trim(value), state.date);
                           return date && state.last_modified && *date == *state.last_modified;
                         }}}},
      {"gzip-shares-strong-tag",
       "9110-8.8.3.3-coding-distinct",
       "the gzip-coded variant of /strong carries the identity variant's strong ETag (Caddy, h2o)",
       {ReshapeRepresentation{[](Representation& r, const Incoming&, FaultMemory&) {
         if (r.identity_etag) r.etag = r.identity_etag;
       }}}},
      {"inm-matches-other-variant",
       "9110-8.8.3.3-selected-variant",
       "If-None-Match on the gzip variant also matches the identity variant's tag (Apache "
       "mod_deflate)",
       {RewriteRequest{[](Incoming& request, const Representation* selected) {
         if (selected && selected->identity_etag) {
           request = with_other_variant_tag_mapped(std::move(request), *selected);
         }
       }}}},
      {"gzip-own-tag-never-matches",
       "9110-13.1.2-evaluate",
       "If-None-Match never matches the gzip variant's own tag (the tag compared is not the one "
       "sent, as Apache's mod_deflate suffix)",
       // The tag the server compares is not the one its 200 carried: each
       // listed tag equal to the gzip variant's reads as another one.
       {RewriteRequest{[](Incoming& request, const Representation* selected) {
         if (!selected || !selected->identity_etag || !selected->etag) return;
         auto values = request.fields.all("If-None-Match");
         if (values.empty()) return;
         request.fields.remove("If-None-Match");
         for (const auto& value : values) {
           std::string rewritten;
           for (auto element : split(value, ',')) {
             auto tag = parse_entity_tag(trim(element));
             if (!rewritten.empty()) rewritten += ", ";
             rewritten += tag && weak_match(*tag, *selected->etag) ? std::string("\"compared\"")
                                                                   : std::string(trim(element));
           }
           request.fields.add("If-None-Match", rewritten);
         }
       }}}},
      {"gzip-without-vary",
       "9110-12.5.5-vary",
       "the responses of the gzip-coded variant carry no Vary, though the coding depends on "
       "Accept-Encoding",
       {ReshapeReply{[](Reply& reply, const ReplyContext& context) {
         if (context.selected && context.selected->content_encoding) reply.fields.remove("Vary");
       }}}},
      {"304-gzip-identity-etag",
       "9110-15.4.5-etag",
       "a 304 to a request that selected the gzip variant carries the identity variant's ETag",
       {ReshapeReply{[](Reply& reply, const ReplyContext& context) {
         if (reply.status == 304 && context.selected && context.selected->identity_etag &&
             reply.fields.has("ETag")) {
           reply.fields.set("ETag", context.selected->identity_etag->str());
         }
       }}}},
      {"strong-tag-unstable-content",
       "9110-8.8.1-strong-def",
       "the identity content of /strong ends with a per-request counter while its strong ETag "
       "stays the same",
       // The last bytes before the final newline count the requests.
       {ReshapeRepresentation{[](Representation& r, const Incoming& request, FaultMemory& memory) {
         if (request.path != "/strong" || r.content_encoding) return;
         auto counter = fmt::format("{:08x}", ++memory.count % 0x100000000ull);
         r.content.replace(r.content.size() - 1 - counter.size(), counter.size(), counter);
       }}}},
      {"etag-per-request",
       "9110-8.8.3-stable-etag",
       "the ETag of /strong's identity variant names the request while its content stays the same",
       // A tag built from something that changes per response: a timestamp,
       // or the node of a cluster that answered.
       {ReshapeRepresentation{[](Representation& r, const Incoming& request, FaultMemory& memory) {
         if (request.path != "/strong" || r.content_encoding || !r.etag) return;
         r.etag->opaque += fmt::format("-{:08x}", ++memory.count % 0x100000000ull);
       }}}},
      {"content-length-short",
       "9112-6.3-cl-body-match",
       "a 200 from a static resource without byte ranges announces a Content-Length one byte "
       "shorter than the content it writes, so a stray byte precedes the next response",
       // HEAD announces the same short length, so only the framing of the 200
       // to GET is wrong. Resources serving byte ranges are spared: range
       // requests built on the length received would change too.
       {ReshapeReply{[](Reply& reply, const ReplyContext& context) {
         const auto* selected = context.selected;
         const auto* announced = reply.fields.find("Content-Length");
         if (reply.status != 200 || !selected || selected->ranges_supported ||
             selected->written_by_client || !announced || *announced == "0" ||
             (context.request.method != "GET" && context.request.method != "HEAD")) {
           return;
         }
         reply.fields.set("Content-Length", std::to_string(std::stoul(*announced) - 1));
       }}}},
      {"chunked-with-content-length",
       "9112-6.2-no-cl-with-te",
       "a 200 to an HTTP/1.1 GET is sent chunked and carries Content-Length as well",
       {ReshapeReply{[](Reply& reply, const ReplyContext& context) {
         if (context.request.method == "GET" && reply.status == 200 &&
             context.request.version != "HTTP/1.0") {
           reply.framing.chunked = true;
         }
       }}}},
      {"chunked-to-http10",
       "9112-6.1-te-needs-1-1",
       "a 200 to an HTTP/1.0 GET is sent with Transfer-Encoding: chunked",
       {ReshapeReply{[](Reply& reply, const ReplyContext& context) {
         if (context.request.method == "GET" && reply.status == 200 &&
             context.request.version == "HTTP/1.0") {
           reply.framing.chunked = true;
           reply.fields.remove("Content-Length");
         }
       }}}},
      {"body-after-204",
       "9110-6.4.1-no-content-codes",
       "the 204 to OPTIONS is followed by content",
       {ReshapeReply{[](Reply& reply, const ReplyContext& context) {
         if (context.request.method == "OPTIONS" && reply.status == 204) {
           reply.content = "condspec content after a 204\n";
           reply.framing.content_after_bodiless = true;
         }
       }}},
       "9113-8.1.1-no-data-without-content",
       "over HTTP/2",
       Fault::Over::http2},
      {"put-reports-old-etag",
       "9110-8.8-validator-meaning",
       "a PUT that replaces the writable resource answers with the ETag of the old content",
       {ReshapeReply{[](Reply& reply, const ReplyContext& context) {
         const auto* previous = context.selected;
         if (context.request.method == "PUT" && reply.status == 204 && previous && previous->etag &&
             reply.fields.has("ETag")) {
           reply.fields.set("ETag", previous->etag->str());
         }
       }}}},
      {"put-transforms-content",
       "9110-9.3.4-put-validators",
       "PUT stores the content with its line ends turned into CRLF, yet answers with validators",
       // A text-normalising store: every line end is stored as CRLF.
       {RewriteRequest{[](Incoming& request, const Representation*) {
         if (request.method != "PUT") return;
         std::string stored;
         for (size_t i = 0; i < request.body.size(); ++i) {
           if (request.body[i] == '\n' && (i == 0 || request.body[i - 1] != '\r')) stored += '\r';
           stored += request.body[i];
         }
         request.body = stored;
       }}}},
      {"etag-from-length",
       "9110-8.8.1-strong-unique",
       "the writable resource's strong ETag is made from the content's length only",
       {ReshapeRepresentation{[](Representation& r, const Incoming&, FaultMemory&) {
         if (r.written_by_client) {
           r.etag = EntityTag{.opaque = "length-" + std::to_string(r.content.size())};
         }
       }}}},
      {"put-create-200",
       "9110-9.3.4-create-201",
       "a PUT that creates the writable resource answers 200 instead of 201",
       {ReshapeReply{[](Reply& reply, const ReplyContext& context) {
         if (context.request.method == "PUT" && reply.status == 201) reply.status = 200;
       }}}},
      {"inm-unbalanced-quote-drops",
       "9110-2.3-defensive-parse",
       "an If-None-Match with an unterminated quoted tag makes the server close the connection "
       "without answering, as a crashing parser would",
       {AnswerFirst{[](const Incoming& request, Seconds) -> std::optional<Reply> {
         // An odd number of double quotes: a quoted string that never ends.
         auto value = request.fields.combined("If-None-Match").value_or("");
         if (std::count(value.begin(), value.end(), '"') % 2 == 0) return std::nullopt;
         return Reply{.framing = {.close_without_response = true}};
       }}}},
      {"answers-before-header-ends",
       "9110-5.3-whole-header",
       "a header section that stops arriving halfway (nothing more for 100 ms) is answered from "
       "the field lines that came, before the rest of it arrives",
       {AnswerStalledHeads{std::chrono::milliseconds{100}}}},
      // HTTP/2's own framing (RFC 9113): these act on requests that came over
      // HTTP/2 only, the rows they break being judged over h2 and h2c only.
      {"h2-content-length-mismatch",
       "9113-8.1.1-content-length-data",
       "over HTTP/2, a 200 to GET announces a content-length one byte longer than the DATA "
       "frames of its stream carry",
       // HEAD announces the same length, so only the DATA of the 200 to GET
       // disagrees with it.
       {ReshapeReply{[](Reply& reply, const ReplyContext& context) {
         const auto* announced = reply.fields.find("Content-Length");
         const auto& method = context.request.method;
         if (context.request.version != "HTTP/2" || (method != "GET" && method != "HEAD") ||
             reply.status != 200 || !announced) {
           return;
         }
         reply.fields.set("Content-Length", std::to_string(std::stoul(*announced) + 1));
       }}}},
      {"h2-connection-field",
       "9113-8.2.2-no-connection-fields",
       "over HTTP/2, every response carries Connection: keep-alive and Keep-Alive: timeout=5, "
       "copied from HTTP/1.1",
       {ReshapeReply{[](Reply& reply, const ReplyContext& context) {
         if (context.request.version != "HTTP/2") return;
         reply.fields.add("Connection", "keep-alive");
         reply.fields.add("Keep-Alive", "timeout=5");
       }}}},
  };
  return table;
}

}  // namespace condspec
