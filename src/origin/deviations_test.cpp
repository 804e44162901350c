#include "src/origin/deviations.h"

#include <gtest/gtest.h>

#include <array>
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

std::string imf(Seconds t) {
  return format_imf_fixdate(t);
}

Decision eval(std::string_view method, Fields fields,
              const RepresentationState& state = strong_resource(),
              const Deviations& deviations = {}) {
  return evaluate_with_deviations(method, fields, state, deviations);
}

constexpr auto proceed = Decision::proceed;
constexpr auto partial = Decision::partial;
constexpr auto not_modified = Decision::not_modified;
constexpr auto failed = Decision::precondition_failed;

// --- Deviations: each one changes exactly its own rule ---

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

TEST(DeviationsTest, IfRangeDateIgnoresStrength) {
  auto range = Field{"Range", "bytes=0-0"};
  auto changed_twice = strong_resource();
  changed_twice.date = kLastModified + seconds{1};
  changed_twice.changed_twice_within_last_modified = true;
  EXPECT_EQ(eval("GET", {range, {"If-Range", imf(kLastModified)}}, changed_twice,
                 Deviations{.if_range_date_ignores_strength = true}),
            partial);
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
