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
              const RepresentationState& state = strong_resource(),
              const Deviations& deviations = {}) {
  return evaluate_preconditions(method, fields, state, deviations);
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
  EXPECT_EQ(eval("GET", {range, {"If-Range", imf(kLastModified)}}, changed_twice,
                 Deviations{.if_range_date_ignores_strength = true}),
            partial);
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

// --- Deviations: each one changes exactly its own rule ---

TEST(DeviationsTest, InmStrongCompare) {
  Deviations d{.inm_strong_compare = true};
  EXPECT_EQ(eval("GET", {{"If-None-Match", "W/\"abc\""}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-None-Match", kTag}}, weak_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-None-Match", kTag}}, strong_resource(), d), not_modified);
}

TEST(DeviationsTest, InmIgnoredStillDisplacesIms) {
  Deviations d{.inm_ignored = true};
  EXPECT_EQ(eval("GET", {{"If-None-Match", kTag}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-None-Match", "*"}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-None-Match", "\"zz\""}, {"If-Modified-Since", imf(kLastModified)}},
                 strong_resource(), d),
            proceed);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", imf(kLastModified)}}, strong_resource(), d),
            not_modified);
}

TEST(DeviationsTest, InmStarIgnored) {
  Deviations d{.inm_star_ignored = true};
  EXPECT_EQ(eval("GET", {{"If-None-Match", "*"}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-None-Match", kTag}}, strong_resource(), d), not_modified);
}

TEST(DeviationsTest, InmFirstTagOnly) {
  Deviations d{.inm_first_tag_only = true};
  EXPECT_EQ(eval("GET", {{"If-None-Match", "\"zz\", \"abc\""}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-None-Match", "\"abc\", \"zz\""}}, strong_resource(), d),
            not_modified);
  // Tags on separate field lines all count: the fault is about lists only.
  EXPECT_EQ(eval("GET", {{"If-None-Match", "\"zz\""}, {"If-None-Match", "\"abc\""}},
                 strong_resource(), d),
            not_modified);
}

TEST(DeviationsTest, InmEmptyElementsRejected) {
  Deviations d{.inm_empty_elements_rejected = true};
  EXPECT_EQ(eval("GET", {{"If-None-Match", ", \"abc\" ,, \"zz\""}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-None-Match", "\"zz\", \"abc\""}}, strong_resource(), d),
            not_modified);
}

TEST(DeviationsTest, InmFirstLineOnly) {
  Deviations d{.inm_first_line_only = true};
  EXPECT_EQ(eval("GET", {{"If-None-Match", "\"zz\""}, {"If-None-Match", "\"abc\""}},
                 strong_resource(), d),
            proceed);
  EXPECT_EQ(eval("GET", {{"If-None-Match", "\"zz\", \"abc\""}}, strong_resource(), d),
            not_modified);
}

TEST(DeviationsTest, Inm412OnGet) {
  Deviations d{.inm_412_on_get = true};
  EXPECT_EQ(eval("GET", {{"If-None-Match", kTag}}, strong_resource(), d), failed);
  EXPECT_EQ(eval("HEAD", {{"If-None-Match", kTag}}, strong_resource(), d), failed);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", imf(kLastModified)}}, strong_resource(), d),
            not_modified);
}

TEST(DeviationsTest, ImsIgnored) {
  Deviations d{.ims_ignored = true};
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", imf(kLastModified)}}, strong_resource(), d),
            proceed);
}

TEST(DeviationsTest, ImsWithInm) {
  Deviations d{.ims_with_inm = true};
  auto day_before = imf(kLastModified - days{1});
  EXPECT_EQ(eval("GET", {{"If-None-Match", kTag}, {"If-Modified-Since", day_before}},
                 strong_resource(), d),
            proceed);
  EXPECT_EQ(eval("GET", {{"If-None-Match", kTag}, {"If-Modified-Since", imf(kLastModified)}},
                 strong_resource(), d),
            not_modified);
  EXPECT_EQ(eval("GET", {{"If-None-Match", "\"zz\""}, {"If-Modified-Since", imf(kLastModified)}},
                 strong_resource(), d),
            proceed);
}

TEST(DeviationsTest, ImsRfc850Unparsed) {
  Deviations d{.ims_rfc850_unparsed = true};
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", imf(kLastModified)}}, strong_resource(), d),
            not_modified);
  EXPECT_EQ(
      eval("GET", {{"If-Modified-Since", format_rfc850(kLastModified)}}, strong_resource(), d),
      proceed);
  EXPECT_EQ(
      eval("GET", {{"If-Modified-Since", format_asctime(kLastModified)}}, strong_resource(), d),
      not_modified);
}

TEST(DeviationsTest, ImsAsctimeUnparsed) {
  Deviations d{.ims_asctime_unparsed = true};
  EXPECT_EQ(
      eval("GET", {{"If-Modified-Since", format_rfc850(kLastModified)}}, strong_resource(), d),
      not_modified);
  EXPECT_EQ(
      eval("GET", {{"If-Modified-Since", format_asctime(kLastModified)}}, strong_resource(), d),
      proceed);
}

TEST(DeviationsTest, ImsLeapSecondInvalid) {
  const std::string leap = "Sat, 31 Dec 2016 23:59:60 GMT";
  auto old = strong_resource();
  old.last_modified = std::chrono::sys_days{std::chrono::year{2016} / 6 / 15};
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", leap}}, old, Deviations{}), not_modified);
  Deviations d{.ims_leap_second_invalid = true};
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", leap}}, old, d), proceed);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", "Sat, 31 Dec 2016 23:59:59 GMT"}}, old, d),
            not_modified);
}

TEST(DeviationsTest, ImsAsctimeLocalWest) {
  Deviations d{.ims_asctime_local_west = true};
  // An hour before Last-Modified, but read five hours later: "not modified".
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", format_asctime(kLastModified - hours{1})}},
                 strong_resource(), d),
            not_modified);
  EXPECT_EQ(
      eval("GET", {{"If-Modified-Since", imf(kLastModified - hours{1})}}, strong_resource(), d),
      proceed);
  EXPECT_EQ(
      eval("GET", {{"If-Modified-Since", format_asctime(kLastModified)}}, strong_resource(), d),
      not_modified);
}

TEST(DeviationsTest, ImsTwoDigitYearFuture) {
  Deviations d{.ims_two_digit_year_future = true};
  EXPECT_EQ(
      eval("GET", {{"If-Modified-Since", "Sunday, 06-Nov-94 08:49:37 GMT"}}, strong_resource(), d),
      not_modified);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", format_rfc850(kLastModified - days{1})}},
                 strong_resource(), d),
            proceed);
}

TEST(DeviationsTest, ImsInvalid412) {
  Deviations d{.ims_invalid_412 = true};
  auto lm = imf(kLastModified);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", "garbage"}}, strong_resource(), d), failed);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", lm + ", " + lm}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", lm}}, strong_resource(), d), not_modified);
}

TEST(DeviationsTest, ImsListHonoured) {
  Deviations d{.ims_list_honoured = true};
  auto lm = imf(kLastModified);
  auto day_before = imf(kLastModified - days{1});
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", lm + ", " + day_before}}, strong_resource(), d),
            not_modified);
  EXPECT_EQ(
      eval("GET", {{"If-Modified-Since", lm}, {"If-Modified-Since", lm}}, strong_resource(), d),
      not_modified);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", day_before + ", " + lm}}, strong_resource(), d),
            proceed);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", "garbage"}}, strong_resource(), d), proceed);
}

TEST(DeviationsTest, ImsOneSecondSlack) {
  Deviations d{.ims_one_second_slack = true};
  EXPECT_EQ(
      eval("GET", {{"If-Modified-Since", imf(kLastModified - seconds{1})}}, strong_resource(), d),
      not_modified);
  EXPECT_EQ(
      eval("GET", {{"If-Modified-Since", imf(kLastModified - seconds{2})}}, strong_resource(), d),
      proceed);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", imf(kLastModified)}}, strong_resource(), d),
            not_modified);
}

TEST(DeviationsTest, InmUnsafe304) {
  Deviations d{.inm_unsafe_304 = true};
  EXPECT_EQ(eval("PUT", {{"If-None-Match", kTag}}, strong_resource(), d), not_modified);
  EXPECT_EQ(eval("DELETE", {{"If-None-Match", "*"}}, strong_resource(), d), not_modified);
  EXPECT_EQ(eval("GET", {{"If-None-Match", kTag}}, strong_resource(), d), not_modified);
  // Only If-None-Match is affected: a false If-Match still gives 412.
  EXPECT_EQ(eval("PUT", {{"If-Match", "\"zz\""}}, strong_resource(), d), failed);
  EXPECT_EQ(eval("PUT", {{"If-None-Match", "\"zz\""}}, strong_resource(), d), proceed);
}

TEST(DeviationsTest, InmStarAbsent412) {
  Deviations d{.inm_star_absent_412 = true};
  EXPECT_EQ(eval("PUT", {{"If-None-Match", "*"}}, absent_resource(), d), failed);
  EXPECT_EQ(eval("PUT", {{"If-None-Match", "*"}}, strong_resource(), d), failed);
  EXPECT_EQ(eval("GET", {{"If-None-Match", "*"}}, strong_resource(), d), not_modified);
  EXPECT_EQ(eval("PUT", {{"If-None-Match", "\"zz\""}}, absent_resource(), d), proceed);
}

TEST(DeviationsTest, ImIgnored) {
  Deviations d{.im_ignored = true};
  auto day_before = imf(kLastModified - days{1});
  EXPECT_EQ(eval("GET", {{"If-Match", "\"zz\""}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("PUT", {{"If-Match", "\"zz\""}}, strong_resource(), d), proceed);
  // An ignored If-Match counts as absent, so If-Unmodified-Since is evaluated.
  EXPECT_EQ(
      eval("GET", {{"If-Match", kTag}, {"If-Unmodified-Since", day_before}}, strong_resource(), d),
      failed);
}

TEST(DeviationsTest, ImWeakCompare) {
  Deviations d{.im_weak_compare = true};
  EXPECT_EQ(eval("GET", {{"If-Match", "W/\"abc\""}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-Match", "W/\"abc\""}}, weak_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-Match", kTag}}, weak_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-Match", "\"zz\""}}, weak_resource(), d), failed);
}

TEST(DeviationsTest, ImWholeValue) {
  Deviations d{.im_whole_value = true};
  EXPECT_EQ(eval("GET", {{"If-Match", "\"zz\", \"abc\""}}, strong_resource(), d), failed);
  EXPECT_EQ(eval("GET", {{"If-Match", kTag}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-Match", " * "}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-Match", "W/\"abc\""}}, strong_resource(), d), failed);
}

TEST(DeviationsTest, ImNoEtagTrue) {
  Deviations d{.im_no_etag_true = true};
  EXPECT_EQ(eval("GET", {{"If-Match", "\"zz\""}}, resource_without_validators(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-Match", "\"zz\""}}, strong_resource(), d), failed);
  EXPECT_EQ(eval("PUT", {{"If-Match", "\"zz\""}}, absent_resource(), d), failed);
}

TEST(DeviationsTest, ImStarNeedsEtag) {
  Deviations d{.im_star_needs_etag = true};
  EXPECT_EQ(eval("GET", {{"If-Match", "*"}}, resource_without_validators(), d), failed);
  EXPECT_EQ(eval("GET", {{"If-Match", "*"}}, weak_resource(), d), proceed);
  EXPECT_EQ(eval("PUT", {{"If-Match", "*"}}, absent_resource(), d), failed);
}

TEST(DeviationsTest, ImStarAbsentTrue) {
  Deviations d{.im_star_absent_true = true};
  EXPECT_EQ(eval("PUT", {{"If-Match", "*"}}, absent_resource(), d), proceed);
  EXPECT_EQ(eval("PUT", {{"If-Match", "\"zz\""}}, absent_resource(), d), failed);
  EXPECT_EQ(eval("GET", {{"If-Match", "*"}}, strong_resource(), d), proceed);
}

TEST(DeviationsTest, ImSkippedForRanges) {
  Deviations d{.im_skipped_for_ranges = true};
  EXPECT_EQ(eval("GET", {{"If-Match", "\"zz\""}, {"Range", "bytes=0-0"}}, strong_resource(), d),
            partial);
  EXPECT_EQ(eval("GET", {{"If-Match", "\"zz\""}}, strong_resource(), d), failed);
  EXPECT_EQ(eval("HEAD", {{"If-Match", "\"zz\""}, {"Range", "bytes=0-0"}}, strong_resource(), d),
            failed);
}

TEST(DeviationsTest, ImTrueSkipsInm) {
  Deviations d{.im_true_skips_inm = true};
  EXPECT_EQ(eval("GET", {{"If-Match", kTag}, {"If-None-Match", kTag}}, strong_resource(), d),
            proceed);
  EXPECT_EQ(eval("GET", {{"If-Match", kTag}, {"If-Modified-Since", imf(kLastModified)}},
                 strong_resource(), d),
            proceed);
  EXPECT_EQ(eval("GET", {{"If-Match", kTag}, {"Range", "bytes=0-0"}}, strong_resource(), d),
            partial);
  EXPECT_EQ(eval("GET", {{"If-Match", "\"zz\""}, {"If-None-Match", kTag}}, strong_resource(), d),
            failed);
  EXPECT_EQ(eval("GET", {{"If-None-Match", kTag}}, strong_resource(), d), not_modified);
}

TEST(DeviationsTest, InmBeforeIm) {
  Deviations d{.inm_before_im = true};
  EXPECT_EQ(eval("GET", {{"If-Match", "\"zz\""}, {"If-None-Match", kTag}}, strong_resource(), d),
            not_modified);
  EXPECT_EQ(eval("PUT", {{"If-Match", "\"zz\""}, {"If-None-Match", kTag}}, strong_resource(), d),
            failed);
  EXPECT_EQ(
      eval("GET", {{"If-Match", "\"zz\""}, {"If-None-Match", "\"yy\""}}, strong_resource(), d),
      failed);
  // Without If-Match the order of steps 2 and 3 is kept.
  EXPECT_EQ(
      eval("GET", {{"If-Unmodified-Since", imf(kLastModified - days{1})}, {"If-None-Match", kTag}},
           strong_resource(), d),
      failed);
}

TEST(DeviationsTest, ImsBeforeIm) {
  Deviations d{.ims_before_im = true};
  auto lm = imf(kLastModified);
  EXPECT_EQ(eval("GET", {{"If-Match", "\"zz\""}, {"If-Modified-Since", lm}}, strong_resource(), d),
            not_modified);
  EXPECT_EQ(
      eval("GET", {{"If-Match", "\"zz\""}, {"If-Modified-Since", imf(kLastModified - days{1})}},
           strong_resource(), d),
      failed);
  EXPECT_EQ(eval("GET", {{"If-Match", "\"zz\""}}, strong_resource(), d), failed);
}

TEST(DeviationsTest, IusIgnored) {
  Deviations d{.ius_ignored = true};
  auto day_before = imf(kLastModified - days{1});
  EXPECT_EQ(eval("GET", {{"If-Unmodified-Since", day_before}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("PUT", {{"If-Unmodified-Since", day_before}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-Match", "\"zz\""}}, strong_resource(), d), failed);
}

TEST(DeviationsTest, IusEqualFails) {
  Deviations d{.ius_equal_fails = true};
  EXPECT_EQ(eval("GET", {{"If-Unmodified-Since", imf(kLastModified)}}, strong_resource(), d),
            failed);
  EXPECT_EQ(
      eval("GET", {{"If-Unmodified-Since", imf(kLastModified + seconds{1})}}, strong_resource(), d),
      proceed);
  EXPECT_EQ(
      eval("GET", {{"If-Unmodified-Since", imf(kLastModified - days{1})}}, strong_resource(), d),
      failed);
}

TEST(DeviationsTest, IusWithIm) {
  Deviations d{.ius_with_im = true};
  auto day_before = imf(kLastModified - days{1});
  EXPECT_EQ(
      eval("GET", {{"If-Match", kTag}, {"If-Unmodified-Since", day_before}}, strong_resource(), d),
      failed);
  EXPECT_EQ(
      eval("GET", {{"If-Match", kTag}, {"If-Unmodified-Since", imf(kDate)}}, strong_resource(), d),
      proceed);
  EXPECT_EQ(eval("GET", {{"If-Match", "\"zz\""}, {"If-Unmodified-Since", imf(kDate)}},
                 strong_resource(), d),
            failed);
}

TEST(DeviationsTest, IusInvalid412) {
  Deviations d{.ius_invalid_412 = true};
  auto day_before = imf(kLastModified - days{1});
  EXPECT_EQ(eval("GET", {{"If-Unmodified-Since", "garbage"}}, strong_resource(), d), failed);
  EXPECT_EQ(
      eval("GET", {{"If-Unmodified-Since", day_before + ", " + day_before}}, strong_resource(), d),
      failed);
  EXPECT_EQ(eval("GET", {{"If-Unmodified-Since", imf(kDate)}}, strong_resource(), d), proceed);
  // Without Last-Modified the field is still ignored.
  EXPECT_EQ(eval("GET", {{"If-Unmodified-Since", "garbage"}}, resource_without_validators(), d),
            proceed);
}

TEST(DeviationsTest, IusNoDate412) {
  Deviations d{.ius_no_date_412 = true};
  EXPECT_EQ(eval("GET", {{"If-Unmodified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"}},
                 resource_without_validators(), d),
            failed);
  EXPECT_EQ(eval("GET", {{"If-Unmodified-Since", "garbage"}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-Unmodified-Since", imf(kDate)}}, strong_resource(), d), proceed);
}

TEST(DeviationsTest, IusSkippedForRanges) {
  Deviations d{.ius_skipped_for_ranges = true};
  auto day_before = imf(kLastModified - days{1});
  EXPECT_EQ(eval("GET", {{"If-Unmodified-Since", day_before}, {"Range", "bytes=0-0"}},
                 strong_resource(), d),
            partial);
  EXPECT_EQ(eval("GET", {{"If-Unmodified-Since", day_before}}, strong_resource(), d), failed);
}

TEST(DeviationsTest, IusTrueSkipsInm) {
  Deviations d{.ius_true_skips_inm = true};
  EXPECT_EQ(eval("GET", {{"If-Unmodified-Since", imf(kDate)}, {"If-None-Match", kTag}},
                 strong_resource(), d),
            proceed);
  EXPECT_EQ(
      eval("GET", {{"If-Unmodified-Since", imf(kLastModified - days{1})}, {"If-None-Match", kTag}},
           strong_resource(), d),
      failed);
  // An ignored date (no Last-Modified) does not skip If-None-Match.
  EXPECT_EQ(eval("GET", {{"If-Unmodified-Since", imf(kDate)}, {"If-None-Match", "*"}},
                 resource_without_validators(), d),
            not_modified);
}

TEST(DeviationsTest, InmBeforeIus) {
  Deviations d{.inm_before_ius = true};
  auto day_before = imf(kLastModified - days{1});
  EXPECT_EQ(eval("GET", {{"If-Unmodified-Since", day_before}, {"If-None-Match", kTag}},
                 strong_resource(), d),
            not_modified);
  EXPECT_EQ(eval("GET", {{"If-Unmodified-Since", day_before}, {"If-None-Match", "\"zz\""}},
                 strong_resource(), d),
            failed);
  // With If-Match present, step 1 still comes first.
  EXPECT_EQ(eval("GET", {{"If-Match", "\"zz\""}, {"If-None-Match", kTag}}, strong_resource(), d),
            failed);
}

// --- Range and If-Range deviations ---

const Field kRange{"Range", "bytes=0-0"};

TEST(DeviationsTest, IfRangeWithoutRange412) {
  Deviations d{.if_range_without_range_412 = true};
  EXPECT_EQ(eval("GET", {{"If-Range", "\"zz\""}}, strong_resource(), d), failed);
  EXPECT_EQ(eval("HEAD", {{"If-Range", "garbage"}}, resource_without_validators(), d), failed);
  EXPECT_EQ(eval("GET", {{"If-Range", kTag}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {kRange, {"If-Range", "\"zz\""}}, strong_resource(), d), proceed);
}

TEST(DeviationsTest, IfRange412WithoutRanges) {
  Deviations d{.if_range_412_without_ranges = true};
  auto no_ranges = strong_resource();
  no_ranges.ranges_supported = false;
  EXPECT_EQ(eval("GET", {kRange, {"If-Range", "\"zz\""}}, no_ranges, d), failed);
  EXPECT_EQ(eval("GET", {kRange, {"If-Range", kTag}}, no_ranges, d), proceed);
  EXPECT_EQ(eval("GET", {kRange}, no_ranges, d), proceed);
  EXPECT_EQ(eval("GET", {{"If-Range", "\"zz\""}}, no_ranges, d), proceed);
  EXPECT_EQ(eval("GET", {kRange, {"If-Range", "\"zz\""}}, strong_resource(), d), proceed);
}

TEST(DeviationsTest, IfRangeTagNeverMatches) {
  Deviations d{.if_range_tag_never_matches = true};
  EXPECT_EQ(eval("GET", {kRange, {"If-Range", kTag}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {kRange, {"If-Range", imf(kLastModified)}}, strong_resource(), d), partial);
  EXPECT_EQ(eval("GET", {kRange}, strong_resource(), d), partial);
}

TEST(DeviationsTest, IfRangeIgnored) {
  Deviations d{.if_range_ignored = true};
  EXPECT_EQ(eval("GET", {kRange, {"If-Range", "\"zz\""}}, strong_resource(), d), partial);
  EXPECT_EQ(eval("GET", {kRange, {"If-Range", "W/\"abc\""}}, strong_resource(), d), partial);
  // The preconditions before it still decide.
  EXPECT_EQ(
      eval("GET", {{"If-None-Match", kTag}, kRange, {"If-Range", "\"zz\""}}, strong_resource(), d),
      not_modified);
}

TEST(DeviationsTest, IfRangeWeakCompare) {
  Deviations d{.if_range_weak_compare = true};
  EXPECT_EQ(eval("GET", {kRange, {"If-Range", "W/\"abc\""}}, strong_resource(), d), partial);
  EXPECT_EQ(eval("GET", {kRange, {"If-Range", kTag}}, weak_resource(), d), partial);
  EXPECT_EQ(eval("GET", {kRange, {"If-Range", "\"zz\""}}, strong_resource(), d), proceed);
}

TEST(DeviationsTest, IfRangeDateNotAfter) {
  Deviations d{.if_range_date_not_after = true};
  EXPECT_EQ(
      eval("GET", {kRange, {"If-Range", imf(kLastModified + seconds{1})}}, strong_resource(), d),
      partial);
  EXPECT_EQ(eval("GET", {kRange, {"If-Range", imf(kLastModified)}}, strong_resource(), d), partial);
  EXPECT_EQ(
      eval("GET", {kRange, {"If-Range", imf(kLastModified - seconds{1})}}, strong_resource(), d),
      proceed);
}

TEST(DeviationsTest, IfRangeDateFirst) {
  Deviations d{.if_range_date_first = true};
  auto quoted = "\"" + imf(kLastModified) + "\"";
  EXPECT_EQ(eval("GET", {kRange, {"If-Range", quoted}}, strong_resource(), d), partial);
  EXPECT_EQ(eval("GET", {kRange, {"If-Range", quoted}}, strong_resource()), proceed);
  EXPECT_EQ(eval("GET", {kRange, {"If-Range", kTag}}, strong_resource(), d), partial);
  EXPECT_EQ(eval("GET", {kRange, {"If-Range", "W/\"abc\""}}, strong_resource(), d), proceed);
}

TEST(DeviationsTest, RangeBeforeValidation) {
  Deviations d{.range_before_validation = true};
  auto lm = imf(kLastModified);
  EXPECT_EQ(eval("GET", {kRange, {"If-None-Match", kTag}}, strong_resource(), d), partial);
  EXPECT_EQ(eval("GET", {kRange, {"If-Modified-Since", lm}}, strong_resource(), d), partial);
  // Steps 1 and 2 and the If-Range path keep their place.
  EXPECT_EQ(
      eval("GET", {kRange, {"If-Match", "\"zz\""}, {"If-None-Match", kTag}}, strong_resource(), d),
      failed);
  EXPECT_EQ(
      eval("GET", {kRange, {"If-Range", kTag}, {"If-None-Match", kTag}}, strong_resource(), d),
      not_modified);
  EXPECT_EQ(eval("GET", {{"If-None-Match", kTag}}, strong_resource(), d), not_modified);
}

TEST(DeviationsTest, RangeOnHead) {
  Deviations d{.range_on_head = true};
  EXPECT_EQ(eval("HEAD", {kRange}, strong_resource(), d), partial);
  EXPECT_EQ(eval("HEAD", {kRange, {"If-Range", "\"zz\""}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("PUT", {kRange}, strong_resource(), d), proceed);
}

TEST(DeviationsTest, RangeIgnoredWithInm) {
  Deviations d{.range_ignored_with_inm = true};
  EXPECT_EQ(eval("GET", {kRange, {"If-None-Match", "\"zz\""}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {kRange, {"If-None-Match", kTag}}, strong_resource(), d), not_modified);
  EXPECT_EQ(eval("GET", {kRange, {"If-Match", kTag}}, strong_resource(), d), partial);
}

TEST(DeviationsTest, IfRangeBeforeInm) {
  Deviations d{.if_range_before_inm = true};
  EXPECT_EQ(
      eval("GET", {{"If-None-Match", kTag}, kRange, {"If-Range", kTag}}, strong_resource(), d),
      partial);
  EXPECT_EQ(
      eval("GET", {{"If-None-Match", kTag}, kRange, {"If-Range", "\"zz\""}}, strong_resource(), d),
      proceed);
  EXPECT_EQ(eval("GET", {{"If-None-Match", kTag}, kRange}, strong_resource(), d), not_modified);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", imf(kLastModified)}, kRange, {"If-Range", kTag}},
                 strong_resource(), d),
            not_modified);
}

TEST(DeviationsTest, IfRangeBeforeIms) {
  Deviations d{.if_range_before_ims = true};
  auto lm = imf(kLastModified);
  EXPECT_EQ(
      eval("GET", {{"If-Modified-Since", lm}, kRange, {"If-Range", kTag}}, strong_resource(), d),
      partial);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", lm}, kRange}, strong_resource(), d), not_modified);
  EXPECT_EQ(
      eval("GET", {{"If-None-Match", kTag}, kRange, {"If-Range", kTag}}, strong_resource(), d),
      not_modified);
}

TEST(DeviationsTest, IfRangePartialOnHead) {
  Deviations d{.if_range_partial_on_head = true};
  EXPECT_EQ(eval("HEAD", {kRange, {"If-Range", kTag}}, strong_resource(), d), partial);
  EXPECT_EQ(eval("HEAD", {kRange, {"If-Range", "\"zz\""}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("HEAD", {kRange}, strong_resource(), d), proceed);
  EXPECT_EQ(
      eval("HEAD", {{"If-None-Match", kTag}, kRange, {"If-Range", kTag}}, strong_resource(), d),
      not_modified);
}

}  // namespace
}  // namespace condspec
