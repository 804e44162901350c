#include "src/origin/preconditions.h"

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <string>

#include "src/core/text.h"
#include "src/http/http_date.h"

namespace condspec {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::seconds;

const Seconds kLastModified = std::chrono::sys_days{std::chrono::year{2024} / 6 / 15} + hours{10};
const Seconds kDate = std::chrono::sys_days{std::chrono::year{2024} / 7 / 1} + hours{12};
const std::string kTag = "\"abc\"";

RepresentationState strong_resource() {
  return {.exists = true,
          .etag = EntityTag{.weak = false, .opaque = "abc"},
          .last_modified = kLastModified,
          .date = kDate,
          .ranges_supported = true};
}

RepresentationState weak_resource() {
  auto state = strong_resource();
  state.etag->weak = true;
  return state;
}

RepresentationState resource_without_validators() {
  auto state = strong_resource();
  state.etag.reset();
  state.last_modified.reset();
  return state;
}

RepresentationState absent_resource() {
  return {.exists = false, .date = kDate, .ranges_supported = true};
}

std::string imf(Seconds t) {
  return format_imf_fixdate(t);
}

Decision eval(std::string_view method, Fields fields,
              const RepresentationState& state = strong_resource()) {
  return evaluate_preconditions(method, fields, state);
}

constexpr auto proceed = Decision::proceed;
constexpr auto partial = Decision::partial;
constexpr auto not_modified = Decision::not_modified;
constexpr auto failed = Decision::precondition_failed;

TEST(DecisionTest, Names) {
  EXPECT_EQ(to_string(proceed), "proceed");
  EXPECT_EQ(to_string(partial), "partial");
  EXPECT_EQ(to_string(not_modified), "not_modified");
  EXPECT_EQ(to_string(failed), "precondition_failed");
}

TEST(PreconditionsTest, UnconditionalRequestsProceed) {
  EXPECT_EQ(eval("GET", {}), proceed);
  EXPECT_EQ(eval("HEAD", {}), proceed);
  EXPECT_EQ(eval("PUT", {}), proceed);
  EXPECT_EQ(eval("PUT", {}, absent_resource()), proceed);
}

// --- If-Match (13.1.1) ---

TEST(IfMatchTest, StrongComparison) {
  EXPECT_EQ(eval("GET", {{"If-Match", kTag}}), proceed);
  EXPECT_EQ(eval("GET", {{"If-Match", "\"zz\""}}), failed);
  EXPECT_EQ(eval("GET", {{"If-Match", "W/\"abc\""}}), failed);
  EXPECT_EQ(eval("GET", {{"If-Match", "\"ABC\""}}), failed);
  EXPECT_EQ(eval("GET", {{"If-Match", "W/\"abc\""}}, weak_resource()), failed);
  EXPECT_EQ(eval("GET", {{"If-Match", kTag}}, weak_resource()), failed);
  EXPECT_EQ(eval("PUT", {{"If-Match", "\"zz\""}}), failed);
  EXPECT_EQ(eval("DELETE", {{"If-Match", kTag}}), proceed);
}

TEST(IfMatchTest, AnyListedTagMatches) {
  EXPECT_EQ(eval("GET", {{"If-Match", "\"zz\", \"abc\""}}), proceed);
  EXPECT_EQ(eval("GET", {{"If-Match", " , \"zz\" ,, \"abc\" ,"}}), proceed);
  // Repeated field lines are one list (5.3).
  EXPECT_EQ(eval("GET", {{"If-Match", "\"zz\""}, {"If-Match", kTag}}), proceed);
  EXPECT_EQ(eval("GET", {{"If-Match", "\"zz\""}, {"If-Match", "\"yy\""}}), failed);
}

TEST(IfMatchTest, StarMeansTheRepresentationExists) {
  EXPECT_EQ(eval("GET", {{"If-Match", "*"}}), proceed);
  EXPECT_EQ(eval("GET", {{"If-Match", "*"}}, weak_resource()), proceed);
  EXPECT_EQ(eval("GET", {{"If-Match", "*"}}, resource_without_validators()), proceed);
  EXPECT_EQ(eval("PUT", {{"If-Match", "*"}}, absent_resource()), failed);
}

TEST(IfMatchTest, NoTagListMatchesARepresentationWithoutETag) {
  EXPECT_EQ(eval("GET", {{"If-Match", "\"abc\""}}, resource_without_validators()), failed);
  EXPECT_EQ(eval("PUT", {{"If-Match", "\"abc\""}}, absent_resource()), failed);
}

TEST(IfMatchTest, InvalidValueNeverMatches) {
  EXPECT_EQ(eval("GET", {{"If-Match", "abc"}}), failed);
  EXPECT_EQ(eval("GET", {{"If-Match", "*, \"abc\""}}), failed);
  EXPECT_EQ(eval("GET", {{"If-Match", ""}}), failed);
}

// --- If-Unmodified-Since (13.1.4) ---

TEST(IfUnmodifiedSinceTest, HoldsWhenNotModifiedAfterTheDate) {
  EXPECT_EQ(eval("GET", {{"If-Unmodified-Since", imf(kLastModified)}}), proceed);
  EXPECT_EQ(eval("GET", {{"If-Unmodified-Since", imf(kDate)}}), proceed);
  EXPECT_EQ(eval("GET", {{"If-Unmodified-Since", imf(kLastModified - seconds{1})}}), failed);
  EXPECT_EQ(eval("PUT", {{"If-Unmodified-Since", imf(kLastModified - days{1})}}), failed);
}

TEST(IfUnmodifiedSinceTest, AcceptsObsoleteDateForms) {
  auto earlier = kLastModified - days{1};
  EXPECT_EQ(eval("GET", {{"If-Unmodified-Since", format_rfc850(earlier)}}), failed);
  EXPECT_EQ(eval("GET", {{"If-Unmodified-Since", format_asctime(earlier)}}), failed);
  EXPECT_EQ(eval("GET", {{"If-Unmodified-Since", format_asctime(kLastModified)}}), proceed);
}

TEST(IfUnmodifiedSinceTest, IgnoredWhenNotExactlyOneValidDate) {
  auto earlier = imf(kLastModified - days{1});
  EXPECT_EQ(eval("GET", {{"If-Unmodified-Since", "garbage"}}), proceed);
  EXPECT_EQ(eval("GET", {{"If-Unmodified-Since", "2024-06-14T10:00:00Z"}}), proceed);
  EXPECT_EQ(eval("GET", {{"If-Unmodified-Since", earlier + ", " + earlier}}), proceed);
  EXPECT_EQ(eval("GET", {{"If-Unmodified-Since", earlier}, {"If-Unmodified-Since", earlier}}),
            proceed);
}

TEST(IfUnmodifiedSinceTest, IgnoredWithoutModificationDate) {
  EXPECT_EQ(eval("GET", {{"If-Unmodified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"}},
                 resource_without_validators()),
            proceed);
}

TEST(IfUnmodifiedSinceTest, IgnoredWhenIfMatchIsPresent) {
  auto earlier = imf(kLastModified - days{1});
  EXPECT_EQ(eval("GET", {{"If-Match", kTag}, {"If-Unmodified-Since", earlier}}), proceed);
  EXPECT_EQ(eval("GET", {{"If-Match", "\"zz\""}, {"If-Unmodified-Since", imf(kDate)}}), failed);
}

// --- If-None-Match (13.1.2) ---

TEST(IfNoneMatchTest, FalseGives304ForGetAndHead412Otherwise) {
  EXPECT_EQ(eval("GET", {{"If-None-Match", kTag}}), not_modified);
  EXPECT_EQ(eval("HEAD", {{"If-None-Match", kTag}}), not_modified);
  EXPECT_EQ(eval("PUT", {{"If-None-Match", kTag}}), failed);
  EXPECT_EQ(eval("DELETE", {{"If-None-Match", kTag}}), failed);
  EXPECT_EQ(eval("POST", {{"If-None-Match", kTag}}), failed);
  EXPECT_EQ(eval("PATCH", {{"If-None-Match", kTag}}), failed);
}

TEST(IfNoneMatchTest, WeakComparison) {
  EXPECT_EQ(eval("GET", {{"If-None-Match", "W/\"abc\""}}), not_modified);
  EXPECT_EQ(eval("GET", {{"If-None-Match", kTag}}, weak_resource()), not_modified);
  EXPECT_EQ(eval("GET", {{"If-None-Match", "W/\"abc\""}}, weak_resource()), not_modified);
  EXPECT_EQ(eval("PUT", {{"If-None-Match", "W/\"abc\""}}), failed);
  EXPECT_EQ(eval("GET", {{"If-None-Match", "\"ABC\""}}), proceed);
  EXPECT_EQ(eval("GET", {{"If-None-Match", "\"a bc\""}}), proceed);
  EXPECT_EQ(eval("GET", {{"If-None-Match", "\"zz\""}}), proceed);
}

TEST(IfNoneMatchTest, AnyListedTagMatches) {
  EXPECT_EQ(eval("GET", {{"If-None-Match", "\"zz\", \"abc\""}}), not_modified);
  EXPECT_EQ(eval("GET", {{"If-None-Match", ",\"zz\",,W/\"abc\","}}), not_modified);
  EXPECT_EQ(eval("GET", {{"If-None-Match", "\"zz\""}, {"If-None-Match", kTag}}), not_modified);
  EXPECT_EQ(eval("GET", {{"If-None-Match", "\"zz\", \"yy\""}}), proceed);
}

TEST(IfNoneMatchTest, StarIsFalseWhenTheRepresentationExists) {
  EXPECT_EQ(eval("GET", {{"If-None-Match", "*"}}), not_modified);
  EXPECT_EQ(eval("GET", {{"If-None-Match", "*"}}, resource_without_validators()), not_modified);
  EXPECT_EQ(eval("PUT", {{"If-None-Match", "*"}}), failed);
  EXPECT_EQ(eval("PUT", {{"If-None-Match", "*"}}, absent_resource()), proceed);
}

TEST(IfNoneMatchTest, NothingMatchesWithoutETagOrWithInvalidValue) {
  EXPECT_EQ(eval("GET", {{"If-None-Match", "\"abc\""}}, resource_without_validators()), proceed);
  EXPECT_EQ(eval("GET", {{"If-None-Match", "abc"}}), proceed);
  EXPECT_EQ(eval("GET", {{"If-None-Match", "*, \"abc\""}}), proceed);
}

// --- If-Modified-Since (13.1.3) ---

TEST(IfModifiedSinceTest, FalseWhenNotModifiedAfterTheDate) {
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", imf(kLastModified)}}), not_modified);
  EXPECT_EQ(eval("HEAD", {{"If-Modified-Since", imf(kLastModified)}}), not_modified);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", imf(kLastModified + hours{1})}}), not_modified);
  // A date in the future is valid under RFC 9110 (not under RFC 2616).
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", imf(kDate + days{1})}}), not_modified);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", imf(kLastModified - seconds{1})}}), proceed);
}

TEST(IfModifiedSinceTest, AcceptsObsoleteDateForms) {
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", format_rfc850(kLastModified)}}), not_modified);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", format_asctime(kLastModified)}}), not_modified);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", format_asctime(kLastModified - hours{1})}}),
            proceed);
  // "94" is 1994, not 2094: more than 50 years ahead belongs to the past century.
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", "Sunday, 06-Nov-94 08:49:37 GMT"}}), proceed);
}

TEST(IfModifiedSinceTest, IgnoredWhenNotExactlyOneValidDate) {
  auto lm = imf(kLastModified);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", "garbage"}}), proceed);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", lm + "; length=2048"}}), proceed);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", to_lower(lm)}}), proceed);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", lm + ", " + lm}}), proceed);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", lm}, {"If-Modified-Since", lm}}), proceed);
}

TEST(IfModifiedSinceTest, IgnoredWithoutModificationDate) {
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", imf(kDate)}}, resource_without_validators()),
            proceed);
}

TEST(IfModifiedSinceTest, IgnoredForMethodsOtherThanGetAndHead) {
  EXPECT_EQ(eval("PUT", {{"If-Modified-Since", imf(kLastModified)}}), proceed);
  EXPECT_EQ(eval("POST", {{"If-Modified-Since", imf(kLastModified)}}), proceed);
  EXPECT_EQ(eval("DELETE", {{"If-Modified-Since", imf(kLastModified)}}), proceed);
}

TEST(IfModifiedSinceTest, IgnoredWhenIfNoneMatchIsPresent) {
  auto lm = imf(kLastModified);
  EXPECT_EQ(
      eval("GET", {{"If-None-Match", kTag}, {"If-Modified-Since", imf(kLastModified - days{1})}}),
      not_modified);
  EXPECT_EQ(eval("GET", {{"If-None-Match", "\"zz\""}, {"If-Modified-Since", lm}}), proceed);
  // Even an If-None-Match that matches nothing (it is invalid) displaces IMS.
  EXPECT_EQ(eval("GET", {{"If-None-Match", "abc"}, {"If-Modified-Since", lm}}), proceed);
}

// --- Range and If-Range (13.1.5, 14.2) ---

TEST(IfRangeTest, RangeAloneIsHonoured) {
  EXPECT_EQ(eval("GET", {{"Range", "bytes=0-0"}}), partial);
  EXPECT_EQ(eval("HEAD", {{"Range", "bytes=0-0"}}), proceed);
  EXPECT_EQ(eval("GET", {{"Range", "bytes=0-0"}},
                 [] {
                   auto s = strong_resource();
                   s.ranges_supported = false;
                   return s;
                 }()),
            proceed);
}

TEST(IfRangeTest, EntityTagUsesStrongComparison) {
  EXPECT_EQ(eval("GET", {{"Range", "bytes=0-0"}, {"If-Range", kTag}}), partial);
  EXPECT_EQ(eval("GET", {{"Range", "bytes=0-0"}, {"If-Range", "W/\"abc\""}}), proceed);
  EXPECT_EQ(eval("GET", {{"Range", "bytes=0-0"}, {"If-Range", "\"zz\""}}), proceed);
  EXPECT_EQ(eval("GET", {{"Range", "bytes=0-0"}, {"If-Range", "W/\"abc\""}}, weak_resource()),
            proceed);
  EXPECT_EQ(eval("GET", {{"Range", "bytes=0-0"}, {"If-Range", kTag}}, weak_resource()), proceed);
  EXPECT_EQ(
      eval("GET", {{"Range", "bytes=0-0"}, {"If-Range", kTag}}, resource_without_validators()),
      proceed);
}

TEST(IfRangeTest, DateMustEqualAStrongLastModified) {
  auto range = Field{"Range", "bytes=0-0"};
  EXPECT_EQ(eval("GET", {range, {"If-Range", imf(kLastModified)}}), partial);
  EXPECT_EQ(eval("GET", {range, {"If-Range", format_rfc850(kLastModified)}}), partial);
  EXPECT_EQ(eval("GET", {range, {"If-Range", imf(kLastModified + seconds{1})}}), proceed);
  EXPECT_EQ(eval("GET", {range, {"If-Range", imf(kLastModified - seconds{1})}}), proceed);
  auto just_modified = strong_resource();
  just_modified.date = kLastModified;  // the same second: possibly modified again
  EXPECT_EQ(eval("GET", {range, {"If-Range", imf(kLastModified)}}, just_modified), proceed);
  just_modified.date = kLastModified + seconds{1};
  EXPECT_EQ(eval("GET", {range, {"If-Range", imf(kLastModified)}}, just_modified), partial);
  // Two changes within that second: the date is weak for good (8.8.2.2).
  auto changed_twice = just_modified;
  changed_twice.changed_twice_within_last_modified = true;
  EXPECT_EQ(eval("GET", {range, {"If-Range", imf(kLastModified)}}, changed_twice), proceed);
  EXPECT_EQ(eval("GET", {range, {"If-Range", imf(kLastModified)}}, resource_without_validators()),
            proceed);
}

TEST(IfRangeTest, InvalidValueIsFalse) {
  auto range = Field{"Range", "bytes=0-0"};
  EXPECT_EQ(eval("GET", {range, {"If-Range", "garbage"}}), proceed);
  EXPECT_EQ(eval("GET", {range, {"If-Range", "abc"}}), proceed);
  EXPECT_EQ(eval("GET", {range, {"If-Range", "\"abc"}}), proceed);
  EXPECT_EQ(eval("GET", {range, {"If-Range", kTag + ", " + kTag}}), proceed);
  EXPECT_EQ(eval("GET", {range, {"If-Range", kTag}, {"If-Range", kTag}}), proceed);
}

TEST(IfRangeTest, IgnoredWithoutRange) {
  EXPECT_EQ(eval("GET", {{"If-Range", "\"zz\""}}), proceed);
  EXPECT_EQ(eval("GET", {{"If-Range", "garbage"}}), proceed);
}

// --- When to evaluate (13.2.1) ---

TEST(PreconditionsTest, MethodsThatSelectNoRepresentationIgnoreThem) {
  for (auto method : {"OPTIONS", "CONNECT", "TRACE"}) {
    EXPECT_EQ(eval(method, {{"If-Match", "\"zz\""}}), proceed) << method;
    EXPECT_EQ(eval(method, {{"If-None-Match", "*"}}), proceed) << method;
  }
}

// --- Order of evaluation (13.2.2): every combination of the five steps ---

enum class Step { if_match, if_unmodified_since, if_none_match, if_modified_since, if_range };
enum class Setting { absent, holds, fails };

// Field values that make each step's condition hold or fail on strong_resource().
Field field_for(Step step, Setting setting) {
  bool holds = setting == Setting::holds;
  switch (step) {
    case Step::if_match:
      return {"If-Match", holds ? kTag : "\"zz\""};
    case Step::if_unmodified_since:
      return {"If-Unmodified-Since", imf(holds ? kDate : kLastModified - days{1})};
    case Step::if_none_match:
      return {"If-None-Match", holds ? "\"zz\"" : kTag};
    case Step::if_modified_since:
      return {"If-Modified-Since", imf(holds ? kLastModified - days{1} : kLastModified)};
    case Step::if_range:
      return {"If-Range", holds ? kTag : "\"zz\""};
  }
  return {};
}

// The order of 13.2.2 written out over abstract outcomes, independently of
// the field parsing: the first step that is evaluated and fails decides.
Decision expected_decision(std::string_view method, const std::array<Setting, 5>& s) {
  auto at = [&](Step step) { return s[static_cast<size_t>(step)]; };
  bool get_or_head = method == "GET" || method == "HEAD";
  if (at(Step::if_match) == Setting::fails) return failed;
  if (at(Step::if_match) == Setting::absent && at(Step::if_unmodified_since) == Setting::fails) {
    return failed;
  }
  if (at(Step::if_none_match) == Setting::fails) return get_or_head ? not_modified : failed;
  if (get_or_head && at(Step::if_none_match) == Setting::absent &&
      at(Step::if_modified_since) == Setting::fails) {
    return not_modified;
  }
  if (method != "GET") return proceed;
  return at(Step::if_range) == Setting::fails ? proceed : partial;
}

TEST(EvaluationOrderTest, EveryCombinationOfSteps) {
  const Setting settings[] = {Setting::absent, Setting::holds, Setting::fails};
  int combinations = 0;
  for (auto method : {"GET", "HEAD", "PUT", "DELETE"}) {
    for (int code = 0; code < 243; ++code) {  // 3^5
      std::array<Setting, 5> chosen;
      Fields fields{{"Range", "bytes=0-0"}};
      int rest = code;
      for (size_t step = 0; step < 5; ++step) {
        chosen[step] = settings[rest % 3];
        rest /= 3;
        if (chosen[step] != Setting::absent) {
          auto field = field_for(static_cast<Step>(step), chosen[step]);
          fields.add(field.name, field.value);
        }
      }
      std::string request;
      for (const auto& line : fields) request += line.name + ": " + line.value + "; ";
      EXPECT_EQ(to_string(eval(method, fields)), to_string(expected_decision(method, chosen)))
          << method << " with " << request;
      ++combinations;
    }
  }
  EXPECT_EQ(combinations, 4 * 243);
}

// The pairs of 13.2.2 named in the requirement catalogue.
TEST(EvaluationOrderTest, NamedPairs) {
  auto range = Field{"Range", "bytes=0-0"};
  auto lm = imf(kLastModified);
  auto day_before = imf(kLastModified - days{1});
  EXPECT_EQ(eval("GET", {{"If-Match", "\"zz\""}, {"If-None-Match", kTag}}), failed);
  EXPECT_EQ(eval("GET", {{"If-Match", "\"zz\""}, {"If-Modified-Since", lm}}), failed);
  EXPECT_EQ(eval("GET", {{"If-Match", "\"zz\""}, range}), failed);
  EXPECT_EQ(eval("GET", {{"If-Match", kTag}, {"If-Unmodified-Since", day_before}}), proceed);
  EXPECT_EQ(eval("GET", {{"If-Unmodified-Since", day_before}, {"If-None-Match", kTag}}), failed);
  EXPECT_EQ(eval("GET", {{"If-Unmodified-Since", imf(kDate)}, {"If-None-Match", kTag}}),
            not_modified);
  EXPECT_EQ(eval("GET", {{"If-None-Match", kTag}, range, {"If-Range", kTag}}), not_modified);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", lm}, range, {"If-Range", kTag}}), not_modified);
  EXPECT_EQ(eval("GET", {{"If-Match", kTag},
                         {"If-Unmodified-Since", imf(kDate)},
                         {"If-None-Match", "\"zz\""},
                         {"If-Modified-Since", day_before},
                         range,
                         {"If-Range", kTag}}),
            partial);
}

// --- The rules are values: other evaluators, other orders ---

TEST(EvaluationTest, ConditionsAreAbsentTrueOrFalse) {
  const Fields request{{"If-Match", kTag}, {"If-None-Match", kTag}, {"Range", "bytes=0-0"}};
  const auto state = strong_resource();
  const ConditionEvaluators rfc;
  const Evaluation e{"GET", request, state, rfc};
  EXPECT_EQ(e.if_match(), true);
  EXPECT_EQ(e.if_none_match(), false);
  EXPECT_EQ(e.if_modified_since(), std::nullopt);
  EXPECT_EQ(e.if_range(), std::nullopt);
  EXPECT_TRUE(e.range_applies());
  EXPECT_FALSE((Evaluation{"HEAD", request, state, rfc}.range_applies()));
  const Fields invalid_date{{"If-Modified-Since", "garbage"}};
  EXPECT_EQ((Evaluation{"GET", invalid_date, state, rfc}.if_modified_since()), std::nullopt);
}

TEST(PreconditionRulesTest, AReplacedEvaluatorJudgesOnlyItsField) {
  PreconditionRules rules;
  rules.conditions.if_none_match = [](std::string_view, const RepresentationState&) {
    return true;
  };
  const auto state = strong_resource();
  EXPECT_EQ(evaluate_preconditions("GET", {{"If-None-Match", kTag}}, state, rules), proceed);
  EXPECT_EQ(evaluate_preconditions("GET", {{"If-Match", "\"zz\""}}, state, rules), failed);
  // Still present, so If-Modified-Since is still ignored (step 4).
  EXPECT_EQ(evaluate_preconditions(
                "GET", {{"If-None-Match", kTag}, {"If-Modified-Since", imf(kLastModified)}}, state,
                rules),
            proceed);
}

TEST(PreconditionRulesTest, StepsRunInTheOrderGiven) {
  const Fields both{{"If-Match", "\"zz\""}, {"If-None-Match", kTag}};
  EXPECT_EQ(eval("GET", both), failed);
  PreconditionRules rules;
  rules.steps = {if_none_match_step, if_match_step, if_unmodified_since_step,
                 if_modified_since_step, range_step};
  EXPECT_EQ(evaluate_preconditions("GET", both, strong_resource(), rules), not_modified);
  rules.steps.clear();  // no step decides: every condition counts as met
  EXPECT_EQ(evaluate_preconditions("GET", both, strong_resource(), rules), proceed);
  // 13.2.1 comes before any step.
  rules.steps = {if_match_step};
  EXPECT_EQ(evaluate_preconditions("OPTIONS", both, strong_resource(), rules), proceed);
}

TEST(PreconditionsTest, HelpersOfTheConditions) {
  EXPECT_TRUE(is_entity_tag_form("\"abc\""));
  EXPECT_TRUE(is_entity_tag_form(" W/\"abc\""));
  EXPECT_FALSE(is_entity_tag_form(imf(kLastModified)));
  auto state = strong_resource();
  EXPECT_TRUE(last_modified_is_strong(state));
  state.date = kLastModified;
  EXPECT_FALSE(last_modified_is_strong(state));
  state.date = kLastModified + seconds{1};
  EXPECT_TRUE(last_modified_is_strong(state));
  state.changed_twice_within_last_modified = true;
  EXPECT_FALSE(last_modified_is_strong(state));
  EXPECT_FALSE(last_modified_is_strong(resource_without_validators()));
}

}  // namespace
}  // namespace condspec
