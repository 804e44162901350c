#include "src/origin/representation.h"

#include <gtest/gtest.h>

namespace condspec {
namespace {

using std::chrono::hours;

const Seconds kNow = std::chrono::sys_days{std::chrono::year{2024} / 7 / 1} + hours{12};

TEST(RepresentationTest, DigestIsStableAndFollowsTheBytes) {
  EXPECT_EQ(content_digest(""), "cbf29ce484222325");  // the FNV-1a offset basis
  EXPECT_EQ(content_digest("a"), "af63dc4c8601ec8c");
  EXPECT_EQ(content_digest("abc"), content_digest("abc"));
  EXPECT_NE(content_digest("abc"), content_digest("abd"));
}

TEST(RepresentationTest, LastModifiedIsNeverLaterThanNow) {
  Representation r;
  EXPECT_EQ(effective_last_modified(r, kNow), std::nullopt);
  r.last_modified = kNow - hours{1};
  EXPECT_EQ(effective_last_modified(r, kNow), kNow - hours{1});
  r.last_modified = kNow + hours{1};
  EXPECT_EQ(effective_last_modified(r, kNow), kNow);
}

TEST(RepresentationTest, StateForThePreconditions) {
  Representation r{.etag = EntityTag{.weak = true, .opaque = "x"},
                   .last_modified = kNow + hours{1},
                   .ranges_supported = true,
                   .changed_twice_within_last_modified = true};
  auto state = state_of(&r, kNow);
  EXPECT_TRUE(state.exists);
  EXPECT_EQ(state.etag, r.etag);
  EXPECT_EQ(state.last_modified, kNow);
  EXPECT_EQ(state.date, kNow);
  EXPECT_TRUE(state.ranges_supported);
  EXPECT_TRUE(state.changed_twice_within_last_modified);
  auto absent = state_of(nullptr, kNow);
  EXPECT_FALSE(absent.exists);
  EXPECT_FALSE(absent.etag);
  EXPECT_FALSE(absent.last_modified);
  EXPECT_EQ(absent.date, kNow);
}

}  // namespace
}  // namespace condspec
