#include <gtest/gtest.h>

#include <array>
#include <set>
#include <string>

#include "src/core/text.h"
#include "src/http/http_date.h"
#include "src/origin/faults.h"

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

// The decision of the origin with `fault` switched on (none: the RFC's).
Decision eval(std::string_view method, Fields fields,
              const RepresentationState& state = strong_resource(), std::string_view fault = {}) {
  std::set<std::string> names;
  if (!fault.empty()) names.insert(std::string(fault));
  auto faults = ActiveFaults::from_names(names);
  EXPECT_TRUE(faults.ok()) << fault;
  return faults->evaluate(method, fields, state);
}

constexpr auto proceed = Decision::proceed;
constexpr auto partial = Decision::partial;
constexpr auto not_modified = Decision::not_modified;
constexpr auto failed = Decision::precondition_failed;

// --- Each fault that changes the evaluation changes exactly its own rule ---

TEST(FaultEvaluationTest, InmStrongCompare) {
  const std::string d = "inm-strong-compare";
  EXPECT_EQ(eval("GET", {{"If-None-Match", "W/\"abc\""}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-None-Match", kTag}}, weak_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-None-Match", kTag}}, strong_resource(), d), not_modified);
}

TEST(FaultEvaluationTest, InmIgnoredStillDisplacesIms) {
  const std::string d = "inm-ignored";
  EXPECT_EQ(eval("GET", {{"If-None-Match", kTag}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-None-Match", "*"}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-None-Match", "\"zz\""}, {"If-Modified-Since", imf(kLastModified)}},
                 strong_resource(), d),
            proceed);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", imf(kLastModified)}}, strong_resource(), d),
            not_modified);
}

TEST(FaultEvaluationTest, InmStarIgnored) {
  const std::string d = "inm-star-ignored";
  EXPECT_EQ(eval("GET", {{"If-None-Match", "*"}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-None-Match", kTag}}, strong_resource(), d), not_modified);
}

TEST(FaultEvaluationTest, InmFirstTagOnly) {
  const std::string d = "inm-first-tag-only";
  EXPECT_EQ(eval("GET", {{"If-None-Match", "\"zz\", \"abc\""}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-None-Match", "\"abc\", \"zz\""}}, strong_resource(), d),
            not_modified);
  // Tags on separate field lines all count: the fault is about lists only.
  EXPECT_EQ(eval("GET", {{"If-None-Match", "\"zz\""}, {"If-None-Match", "\"abc\""}},
                 strong_resource(), d),
            not_modified);
}

TEST(FaultEvaluationTest, InmEmptyElementsRejected) {
  const std::string d = "inm-empty-elements-rejected";
  EXPECT_EQ(eval("GET", {{"If-None-Match", ", \"abc\" ,, \"zz\""}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-None-Match", "\"zz\", \"abc\""}}, strong_resource(), d),
            not_modified);
}

TEST(FaultEvaluationTest, InmFirstLineOnly) {
  const std::string d = "inm-first-line-only";
  EXPECT_EQ(eval("GET", {{"If-None-Match", "\"zz\""}, {"If-None-Match", "\"abc\""}},
                 strong_resource(), d),
            proceed);
  EXPECT_EQ(eval("GET", {{"If-None-Match", "\"zz\", \"abc\""}}, strong_resource(), d),
            not_modified);
}

TEST(FaultEvaluationTest, Inm412OnGet) {
  const std::string d = "inm-412-on-get";
  EXPECT_EQ(eval("GET", {{"If-None-Match", kTag}}, strong_resource(), d), failed);
  EXPECT_EQ(eval("HEAD", {{"If-None-Match", kTag}}, strong_resource(), d), failed);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", imf(kLastModified)}}, strong_resource(), d),
            not_modified);
}

TEST(FaultEvaluationTest, InmUnsafe304) {
  const std::string d = "inm-unsafe-304";
  EXPECT_EQ(eval("PUT", {{"If-None-Match", kTag}}, strong_resource(), d), not_modified);
  EXPECT_EQ(eval("DELETE", {{"If-None-Match", "*"}}, strong_resource(), d), not_modified);
  EXPECT_EQ(eval("GET", {{"If-None-Match", kTag}}, strong_resource(), d), not_modified);
  // Only If-None-Match is affected: a false If-Match still gives 412.
  EXPECT_EQ(eval("PUT", {{"If-Match", "\"zz\""}}, strong_resource(), d), failed);
  EXPECT_EQ(eval("PUT", {{"If-None-Match", "\"zz\""}}, strong_resource(), d), proceed);
}

TEST(FaultEvaluationTest, InmStarAbsent412) {
  const std::string d = "inm-star-absent-412";
  EXPECT_EQ(eval("PUT", {{"If-None-Match", "*"}}, absent_resource(), d), failed);
  EXPECT_EQ(eval("PUT", {{"If-None-Match", "*"}}, strong_resource(), d), failed);
  EXPECT_EQ(eval("GET", {{"If-None-Match", "*"}}, strong_resource(), d), not_modified);
  EXPECT_EQ(eval("PUT", {{"If-None-Match", "\"zz\""}}, absent_resource(), d), proceed);
}

TEST(FaultEvaluationTest, InmSubstringMatch) {
  const std::string d = "inm-substring-match";
  EXPECT_EQ(eval("GET", {{"If-None-Match", "\"abcx\""}}), proceed);
  EXPECT_EQ(eval("GET", {{"If-None-Match", "\"abcx\""}}, strong_resource(), d), not_modified);
  EXPECT_EQ(eval("GET", {{"If-None-Match", "\"xab\""}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-None-Match", "\"zz\""}}, strong_resource(), d), proceed);
}

TEST(FaultEvaluationTest, InmNoEtag304) {
  const std::string d = "inm-no-etag-304";
  EXPECT_EQ(eval("GET", {{"If-None-Match", "\"zz\""}}, resource_without_validators()), proceed);
  EXPECT_EQ(eval("GET", {{"If-None-Match", "\"zz\""}}, resource_without_validators(), d),
            not_modified);
  EXPECT_EQ(eval("GET", {{"If-None-Match", "\"zz\""}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("PUT", {{"If-None-Match", "\"zz\""}}, absent_resource(), d), proceed);
}

TEST(FaultEvaluationTest, ImsIgnored) {
  const std::string d = "ims-ignored";
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", imf(kLastModified)}}, strong_resource(), d),
            proceed);
}

TEST(FaultEvaluationTest, ImsWithInm) {
  const std::string d = "ims-with-inm";
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

TEST(FaultEvaluationTest, ImsRfc850Unparsed) {
  const std::string d = "ims-rfc850-unparsed";
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", imf(kLastModified)}}, strong_resource(), d),
            not_modified);
  EXPECT_EQ(
      eval("GET", {{"If-Modified-Since", format_rfc850(kLastModified)}}, strong_resource(), d),
      proceed);
  EXPECT_EQ(
      eval("GET", {{"If-Modified-Since", format_asctime(kLastModified)}}, strong_resource(), d),
      not_modified);
}

TEST(FaultEvaluationTest, ImsAsctimeUnparsed) {
  const std::string d = "ims-asctime-unparsed";
  EXPECT_EQ(
      eval("GET", {{"If-Modified-Since", format_rfc850(kLastModified)}}, strong_resource(), d),
      not_modified);
  EXPECT_EQ(
      eval("GET", {{"If-Modified-Since", format_asctime(kLastModified)}}, strong_resource(), d),
      proceed);
}

TEST(FaultEvaluationTest, ImsLeapSecondInvalid) {
  const std::string leap = "Sat, 31 Dec 2016 23:59:60 GMT";
  auto old = strong_resource();
  old.last_modified = std::chrono::sys_days{std::chrono::year{2016} / 6 / 15};
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", leap}}, old, ""), not_modified);
  const std::string d = "ims-leap-second-invalid";
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", leap}}, old, d), proceed);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", "Sat, 31 Dec 2016 23:59:59 GMT"}}, old, d),
            not_modified);
}

TEST(FaultEvaluationTest, ImsAsctimeLocalWest) {
  const std::string d = "ims-asctime-local-west";
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

TEST(FaultEvaluationTest, ImsTwoDigitYearFuture) {
  const std::string d = "ims-two-digit-year-future";
  EXPECT_EQ(
      eval("GET", {{"If-Modified-Since", "Sunday, 06-Nov-94 08:49:37 GMT"}}, strong_resource(), d),
      not_modified);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", format_rfc850(kLastModified - days{1})}},
                 strong_resource(), d),
            proceed);
}

TEST(FaultEvaluationTest, ImsInvalid412) {
  const std::string d = "ims-invalid-412";
  auto lm = imf(kLastModified);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", "garbage"}}, strong_resource(), d), failed);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", lm + ", " + lm}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", lm}}, strong_resource(), d), not_modified);
}

TEST(FaultEvaluationTest, ImsListHonoured) {
  const std::string d = "ims-list-honoured";
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

TEST(FaultEvaluationTest, ImsOneSecondSlack) {
  const std::string d = "ims-one-second-slack";
  EXPECT_EQ(
      eval("GET", {{"If-Modified-Since", imf(kLastModified - seconds{1})}}, strong_resource(), d),
      not_modified);
  EXPECT_EQ(
      eval("GET", {{"If-Modified-Since", imf(kLastModified - seconds{2})}}, strong_resource(), d),
      proceed);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", imf(kLastModified)}}, strong_resource(), d),
            not_modified);
}

TEST(FaultEvaluationTest, ImsWithoutLm304) {
  const std::string d = "ims-without-lm-304";
  const Field since{"If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"};
  EXPECT_EQ(eval("GET", {since}, resource_without_validators()), proceed);
  EXPECT_EQ(eval("GET", {since}, resource_without_validators(), d), not_modified);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", "garbage"}}, resource_without_validators(), d),
            proceed);
  EXPECT_EQ(
      eval("GET", {{"If-Modified-Since", imf(kLastModified - days{1})}}, strong_resource(), d),
      proceed);
}

TEST(FaultEvaluationTest, ImsExactMatchOnly) {
  const std::string d = "ims-exact-match-only";
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", imf(kDate)}}), not_modified);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", imf(kDate)}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", imf(kLastModified)}}, strong_resource(), d),
            not_modified);
  EXPECT_EQ(
      eval("GET", {{"If-Modified-Since", imf(kLastModified - days{1})}}, strong_resource(), d),
      proceed);
}

TEST(FaultEvaluationTest, ImsOverridesInm) {
  const std::string d = "ims-overrides-inm";
  const Fields both{{"If-None-Match", "\"zz\""}, {"If-Modified-Since", imf(kLastModified)}};
  EXPECT_EQ(eval("GET", both), proceed);
  EXPECT_EQ(eval("GET", both, strong_resource(), d), not_modified);
  EXPECT_EQ(eval("PUT", both, strong_resource(), d), proceed);
  EXPECT_EQ(eval("GET",
                 {{"If-None-Match", "\"zz\""}, {"If-Modified-Since", imf(kLastModified - days{1})}},
                 strong_resource(), d),
            proceed);
  EXPECT_EQ(eval("GET", {{"If-None-Match", kTag}}, strong_resource(), d), not_modified);
}

TEST(FaultEvaluationTest, ImsFuture412) {
  const std::string d = "ims-future-412";
  const Field future{"If-Modified-Since", imf(kDate + days{1})};
  EXPECT_EQ(eval("GET", {future}), not_modified);
  EXPECT_EQ(eval("GET", {future}, strong_resource(), d), failed);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", imf(kDate)}}, strong_resource(), d), not_modified);
  EXPECT_EQ(eval("GET", {future}, resource_without_validators(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-None-Match", "\"zz\""}, future}, strong_resource(), d), proceed);
}

TEST(FaultEvaluationTest, ImIgnored) {
  const std::string d = "im-ignored";
  auto day_before = imf(kLastModified - days{1});
  EXPECT_EQ(eval("GET", {{"If-Match", "\"zz\""}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("PUT", {{"If-Match", "\"zz\""}}, strong_resource(), d), proceed);
  // An ignored If-Match counts as absent, so If-Unmodified-Since is evaluated.
  EXPECT_EQ(
      eval("GET", {{"If-Match", kTag}, {"If-Unmodified-Since", day_before}}, strong_resource(), d),
      failed);
}

TEST(FaultEvaluationTest, ImWeakCompare) {
  const std::string d = "im-weak-compare";
  EXPECT_EQ(eval("GET", {{"If-Match", "W/\"abc\""}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-Match", "W/\"abc\""}}, weak_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-Match", kTag}}, weak_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-Match", "\"zz\""}}, weak_resource(), d), failed);
}

TEST(FaultEvaluationTest, ImWholeValue) {
  const std::string d = "im-whole-value";
  EXPECT_EQ(eval("GET", {{"If-Match", "\"zz\", \"abc\""}}, strong_resource(), d), failed);
  EXPECT_EQ(eval("GET", {{"If-Match", kTag}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-Match", " * "}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-Match", "W/\"abc\""}}, strong_resource(), d), failed);
}

TEST(FaultEvaluationTest, ImNoEtagTrue) {
  const std::string d = "im-no-etag-true";
  EXPECT_EQ(eval("GET", {{"If-Match", "\"zz\""}}, resource_without_validators(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-Match", "\"zz\""}}, strong_resource(), d), failed);
  EXPECT_EQ(eval("PUT", {{"If-Match", "\"zz\""}}, absent_resource(), d), failed);
}

TEST(FaultEvaluationTest, ImStarNeedsEtag) {
  const std::string d = "im-star-needs-etag";
  EXPECT_EQ(eval("GET", {{"If-Match", "*"}}, resource_without_validators(), d), failed);
  EXPECT_EQ(eval("GET", {{"If-Match", "*"}}, weak_resource(), d), proceed);
  EXPECT_EQ(eval("PUT", {{"If-Match", "*"}}, absent_resource(), d), failed);
}

TEST(FaultEvaluationTest, ImStarAbsentTrue) {
  const std::string d = "im-star-absent-true";
  EXPECT_EQ(eval("PUT", {{"If-Match", "*"}}, absent_resource(), d), proceed);
  EXPECT_EQ(eval("PUT", {{"If-Match", "\"zz\""}}, absent_resource(), d), failed);
  EXPECT_EQ(eval("GET", {{"If-Match", "*"}}, strong_resource(), d), proceed);
}

TEST(FaultEvaluationTest, ImSkippedForRanges) {
  const std::string d = "im-skipped-for-ranges";
  EXPECT_EQ(eval("GET", {{"If-Match", "\"zz\""}, {"Range", "bytes=0-0"}}, strong_resource(), d),
            partial);
  EXPECT_EQ(eval("GET", {{"If-Match", "\"zz\""}}, strong_resource(), d), failed);
  EXPECT_EQ(eval("HEAD", {{"If-Match", "\"zz\""}, {"Range", "bytes=0-0"}}, strong_resource(), d),
            failed);
}

TEST(FaultEvaluationTest, IusIgnored) {
  const std::string d = "ius-ignored";
  auto day_before = imf(kLastModified - days{1});
  EXPECT_EQ(eval("GET", {{"If-Unmodified-Since", day_before}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("PUT", {{"If-Unmodified-Since", day_before}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-Match", "\"zz\""}}, strong_resource(), d), failed);
}

TEST(FaultEvaluationTest, IusEqualFails) {
  const std::string d = "ius-equal-fails";
  EXPECT_EQ(eval("GET", {{"If-Unmodified-Since", imf(kLastModified)}}, strong_resource(), d),
            failed);
  EXPECT_EQ(
      eval("GET", {{"If-Unmodified-Since", imf(kLastModified + seconds{1})}}, strong_resource(), d),
      proceed);
  EXPECT_EQ(
      eval("GET", {{"If-Unmodified-Since", imf(kLastModified - days{1})}}, strong_resource(), d),
      failed);
}

TEST(FaultEvaluationTest, IusWithIm) {
  const std::string d = "ius-with-im";
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

TEST(FaultEvaluationTest, IusInvalid412) {
  const std::string d = "ius-invalid-412";
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

TEST(FaultEvaluationTest, IusNoDate412) {
  const std::string d = "ius-no-date-412";
  EXPECT_EQ(eval("GET", {{"If-Unmodified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"}},
                 resource_without_validators(), d),
            failed);
  EXPECT_EQ(eval("GET", {{"If-Unmodified-Since", "garbage"}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-Unmodified-Since", imf(kDate)}}, strong_resource(), d), proceed);
}

TEST(FaultEvaluationTest, IusSkippedForRanges) {
  const std::string d = "ius-skipped-for-ranges";
  auto day_before = imf(kLastModified - days{1});
  EXPECT_EQ(eval("GET", {{"If-Unmodified-Since", day_before}, {"Range", "bytes=0-0"}},
                 strong_resource(), d),
            partial);
  EXPECT_EQ(eval("GET", {{"If-Unmodified-Since", day_before}}, strong_resource(), d), failed);
}

const Field kRange{"Range", "bytes=0-0"};

TEST(FaultEvaluationTest, ImTrueSkipsInm) {
  const std::string d = "im-true-skips-inm";
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

TEST(FaultEvaluationTest, InmBeforeIm) {
  const std::string d = "inm-before-im";
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

TEST(FaultEvaluationTest, ImsBeforeIm) {
  const std::string d = "ims-before-im";
  auto lm = imf(kLastModified);
  EXPECT_EQ(eval("GET", {{"If-Match", "\"zz\""}, {"If-Modified-Since", lm}}, strong_resource(), d),
            not_modified);
  EXPECT_EQ(
      eval("GET", {{"If-Match", "\"zz\""}, {"If-Modified-Since", imf(kLastModified - days{1})}},
           strong_resource(), d),
      failed);
  EXPECT_EQ(eval("GET", {{"If-Match", "\"zz\""}}, strong_resource(), d), failed);
}

TEST(FaultEvaluationTest, IusTrueSkipsInm) {
  const std::string d = "ius-true-skips-inm";
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

TEST(FaultEvaluationTest, InmBeforeIus) {
  const std::string d = "inm-before-ius";
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

TEST(FaultEvaluationTest, IfRangeDateIgnoresStrength) {
  auto range = Field{"Range", "bytes=0-0"};
  auto changed_twice = strong_resource();
  changed_twice.date = kLastModified + seconds{1};
  changed_twice.changed_twice_within_last_modified = true;
  EXPECT_EQ(eval("GET", {range, {"If-Range", imf(kLastModified)}}, changed_twice), proceed);
  const std::string d = "if-range-date-ignores-strength";
  EXPECT_EQ(eval("GET", {range, {"If-Range", imf(kLastModified)}}, changed_twice, d), partial);
}

TEST(FaultEvaluationTest, IfRangeWithoutRange412) {
  const std::string d = "if-range-without-range-412";
  EXPECT_EQ(eval("GET", {{"If-Range", "\"zz\""}}, strong_resource(), d), failed);
  EXPECT_EQ(eval("HEAD", {{"If-Range", "garbage"}}, resource_without_validators(), d), failed);
  EXPECT_EQ(eval("GET", {{"If-Range", kTag}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {kRange, {"If-Range", "\"zz\""}}, strong_resource(), d), proceed);
}

TEST(FaultEvaluationTest, IfRange412WithoutRanges) {
  const std::string d = "if-range-412-without-ranges";
  auto no_ranges = strong_resource();
  no_ranges.ranges_supported = false;
  EXPECT_EQ(eval("GET", {kRange, {"If-Range", "\"zz\""}}, no_ranges, d), failed);
  EXPECT_EQ(eval("GET", {kRange, {"If-Range", kTag}}, no_ranges, d), proceed);
  EXPECT_EQ(eval("GET", {kRange}, no_ranges, d), proceed);
  EXPECT_EQ(eval("GET", {{"If-Range", "\"zz\""}}, no_ranges, d), proceed);
  EXPECT_EQ(eval("GET", {kRange, {"If-Range", "\"zz\""}}, strong_resource(), d), proceed);
}

TEST(FaultEvaluationTest, IfRangeTagNeverMatches) {
  const std::string d = "if-range-tag-never-matches";
  EXPECT_EQ(eval("GET", {kRange, {"If-Range", kTag}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {kRange, {"If-Range", imf(kLastModified)}}, strong_resource(), d), partial);
  EXPECT_EQ(eval("GET", {kRange}, strong_resource(), d), partial);
}

TEST(FaultEvaluationTest, IfRangeIgnored) {
  const std::string d = "if-range-ignored";
  EXPECT_EQ(eval("GET", {kRange, {"If-Range", "\"zz\""}}, strong_resource(), d), partial);
  EXPECT_EQ(eval("GET", {kRange, {"If-Range", "W/\"abc\""}}, strong_resource(), d), partial);
  // The preconditions before it still decide.
  EXPECT_EQ(
      eval("GET", {{"If-None-Match", kTag}, kRange, {"If-Range", "\"zz\""}}, strong_resource(), d),
      not_modified);
}

TEST(FaultEvaluationTest, IfRangeWeakCompare) {
  const std::string d = "if-range-weak-compare";
  EXPECT_EQ(eval("GET", {kRange, {"If-Range", "W/\"abc\""}}, strong_resource(), d), partial);
  EXPECT_EQ(eval("GET", {kRange, {"If-Range", kTag}}, weak_resource(), d), partial);
  EXPECT_EQ(eval("GET", {kRange, {"If-Range", "\"zz\""}}, strong_resource(), d), proceed);
}

TEST(FaultEvaluationTest, IfRangeDateNotAfter) {
  const std::string d = "if-range-date-not-after";
  EXPECT_EQ(
      eval("GET", {kRange, {"If-Range", imf(kLastModified + seconds{1})}}, strong_resource(), d),
      partial);
  EXPECT_EQ(eval("GET", {kRange, {"If-Range", imf(kLastModified)}}, strong_resource(), d), partial);
  EXPECT_EQ(
      eval("GET", {kRange, {"If-Range", imf(kLastModified - seconds{1})}}, strong_resource(), d),
      proceed);
}

TEST(FaultEvaluationTest, IfRangeDateFirst) {
  const std::string d = "if-range-date-first";
  auto quoted = "\"" + imf(kLastModified) + "\"";
  EXPECT_EQ(eval("GET", {kRange, {"If-Range", quoted}}, strong_resource(), d), partial);
  EXPECT_EQ(eval("GET", {kRange, {"If-Range", quoted}}, strong_resource()), proceed);
  EXPECT_EQ(eval("GET", {kRange, {"If-Range", kTag}}, strong_resource(), d), partial);
  EXPECT_EQ(eval("GET", {kRange, {"If-Range", "W/\"abc\""}}, strong_resource(), d), proceed);
}

TEST(FaultEvaluationTest, RangeBeforeValidation) {
  const std::string d = "range-before-validation";
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

TEST(FaultEvaluationTest, RangeOnHead) {
  const std::string d = "range-on-head";
  EXPECT_EQ(eval("HEAD", {kRange}, strong_resource(), d), partial);
  EXPECT_EQ(eval("HEAD", {kRange, {"If-Range", "\"zz\""}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("PUT", {kRange}, strong_resource(), d), proceed);
}

TEST(FaultEvaluationTest, RangeIgnoredWithInm) {
  const std::string d = "range-ignored-with-inm";
  EXPECT_EQ(eval("GET", {kRange, {"If-None-Match", "\"zz\""}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {kRange, {"If-None-Match", kTag}}, strong_resource(), d), not_modified);
  EXPECT_EQ(eval("GET", {kRange, {"If-Match", kTag}}, strong_resource(), d), partial);
}

TEST(FaultEvaluationTest, IfRangeBeforeInm) {
  const std::string d = "if-range-before-inm";
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

TEST(FaultEvaluationTest, IfRangeBeforeIms) {
  const std::string d = "if-range-before-ims";
  auto lm = imf(kLastModified);
  EXPECT_EQ(
      eval("GET", {{"If-Modified-Since", lm}, kRange, {"If-Range", kTag}}, strong_resource(), d),
      partial);
  EXPECT_EQ(eval("GET", {{"If-Modified-Since", lm}, kRange}, strong_resource(), d), not_modified);
  EXPECT_EQ(
      eval("GET", {{"If-None-Match", kTag}, kRange, {"If-Range", kTag}}, strong_resource(), d),
      not_modified);
}

TEST(FaultEvaluationTest, IfRangePartialOnHead) {
  const std::string d = "if-range-partial-on-head";
  EXPECT_EQ(eval("HEAD", {kRange, {"If-Range", kTag}}, strong_resource(), d), partial);
  EXPECT_EQ(eval("HEAD", {kRange, {"If-Range", "\"zz\""}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("HEAD", {kRange}, strong_resource(), d), proceed);
  EXPECT_EQ(
      eval("HEAD", {{"If-None-Match", kTag}, kRange, {"If-Range", kTag}}, strong_resource(), d),
      not_modified);
}

TEST(FaultEvaluationTest, HeadIgnoresConditionals) {
  const std::string d = "head-ignores-conditionals";
  EXPECT_EQ(eval("HEAD", {{"If-None-Match", kTag}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("HEAD", {{"If-Match", "\"zz\""}}, strong_resource(), d), proceed);
  EXPECT_EQ(eval("GET", {{"If-None-Match", kTag}}, strong_resource(), d), not_modified);
  EXPECT_EQ(eval("GET", {{"If-Match", "\"zz\""}}, strong_resource(), d), failed);
}

}  // namespace
}  // namespace condspec
