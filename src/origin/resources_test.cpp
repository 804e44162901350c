#include "src/origin/resources.h"

#include <gtest/gtest.h>

#include "src/origin/content_coding.h"

namespace condspec {
namespace {

using std::chrono::hours;

TEST(ResourcesTest, Paths) {
  for (auto path : {"/strong", "/weak", "/plain", "/dated", "/generated"}) {
    EXPECT_TRUE(is_static_resource(path)) << path;
    EXPECT_TRUE(names_a_resource(path)) << path;
  }
  EXPECT_FALSE(is_static_resource("/writable"));
  EXPECT_TRUE(names_a_resource("/writable"));
  for (auto path : {"/", "*", "/strong/", "/STRONG", "/nothing", ""}) {
    EXPECT_FALSE(names_a_resource(path)) << path;
  }
}

TEST(ResourcesTest, StrongHasAStrongTagAndAGzipVariantWithItsOwn) {
  auto identity = static_representation("/strong", false);
  EXPECT_EQ(identity.content.size(), 2144u);
  EXPECT_TRUE(identity.content.starts_with("condspec reference origin strong   line 01 of 32"));
  EXPECT_EQ(identity.etag, (EntityTag{.weak = false, .opaque = content_digest(identity.content)}));
  EXPECT_EQ(identity.last_modified,
            std::chrono::sys_days{std::chrono::year{2024} / 6 / 15} + hours{10});
  EXPECT_TRUE(identity.ranges_supported);
  EXPECT_TRUE(identity.cacheable);
  EXPECT_EQ(identity.content_location, "/strong");
  EXPECT_FALSE(identity.content_encoding);
  EXPECT_FALSE(identity.identity_etag);

  auto gzip = static_representation("/strong", true);
  EXPECT_EQ(gzip.content, gzip_coded(identity.content));
  EXPECT_EQ(gzip.content_encoding, "gzip");
  EXPECT_EQ(gzip.etag, (EntityTag{.weak = false, .opaque = content_digest(gzip.content)}));
  EXPECT_NE(gzip.etag, identity.etag);
  EXPECT_EQ(gzip.identity_etag, identity.etag);
  EXPECT_EQ(gzip.last_modified, identity.last_modified);
}

TEST(ResourcesTest, WeakAndPlain) {
  auto weak = static_representation("/weak", true);  // identity only
  EXPECT_TRUE(weak.etag->weak);
  EXPECT_FALSE(weak.content_encoding);
  EXPECT_FALSE(weak.content_location);
  EXPECT_EQ(weak.last_modified,
            std::chrono::sys_days{std::chrono::year{2016} / 6 / 15} + hours{10});
  EXPECT_TRUE(weak.ranges_supported);

  auto plain = static_representation("/plain", false);
  EXPECT_FALSE(plain.etag);
  EXPECT_FALSE(plain.last_modified);
  EXPECT_FALSE(plain.ranges_supported);
  EXPECT_TRUE(plain.cacheable);
  EXPECT_TRUE(plain.content.starts_with("condspec reference origin plain    line 01 of 32"));
}

// /dated is a file server with entity tags turned off (Jetty, Go).
TEST(ResourcesTest, DatedHasLastModifiedAndRangesButNoTag) {
  auto dated = static_representation("/dated", true);  // identity only
  EXPECT_FALSE(dated.etag);
  EXPECT_FALSE(dated.content_encoding);
  EXPECT_EQ(dated.last_modified,
            std::chrono::sys_days{std::chrono::year{2024} / 6 / 15} + hours{10});
  EXPECT_TRUE(dated.ranges_supported);
  EXPECT_TRUE(dated.content.starts_with("condspec reference origin dated    line 01 of 32"));
}

// /generated is an application's page: rendered for each request, its tag
// computed from what was rendered.
TEST(ResourcesTest, GeneratedNamesTheRequestAndItsTagFollowsTheContent) {
  auto first = static_representation("/generated", false, 7);
  auto second = static_representation("/generated", false, 8);
  EXPECT_TRUE(first.content.ends_with("generated for request 00000007\n"));
  EXPECT_NE(first.content, second.content);
  EXPECT_EQ(first.etag, (EntityTag{.weak = false, .opaque = content_digest(first.content)}));
  EXPECT_NE(first.etag, second.etag);
  EXPECT_EQ(static_representation("/generated", false, 7).content, first.content);
  EXPECT_FALSE(first.last_modified);
  EXPECT_FALSE(first.ranges_supported);
  EXPECT_FALSE(first.cacheable);
}

TEST(ResourcesTest, WritableIsWhatWasStored) {
  const Seconds when = std::chrono::sys_days{std::chrono::year{2024} / 7 / 1};
  auto r = writable_representation({.content = "abc",
                                    .content_type = "text/x",
                                    .modified = when,
                                    .changed_twice_within_modified = true});
  EXPECT_EQ(r.content, "abc");
  EXPECT_EQ(r.content_type, "text/x");
  EXPECT_EQ(r.etag, (EntityTag{.weak = false, .opaque = content_digest("abc")}));
  EXPECT_EQ(r.last_modified, when);
  EXPECT_TRUE(r.ranges_supported);
  EXPECT_FALSE(r.cacheable);
  EXPECT_TRUE(r.changed_twice_within_last_modified);
  EXPECT_TRUE(r.written_by_client);
}

}  // namespace
}  // namespace condspec
