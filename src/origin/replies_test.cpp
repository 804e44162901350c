#include "src/origin/replies.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "src/origin/resources.h"

namespace condspec {
namespace {

using std::chrono::hours;

const Seconds kNow = std::chrono::sys_days{std::chrono::year{2024} / 7 / 1} + hours{12};
const std::string kNowText = "Mon, 01 Jul 2024 12:00:00 GMT";

std::vector<std::string> names(const Fields& fields) {
  std::vector<std::string> out;
  for (const auto& field : fields) out.push_back(field.name);
  return out;
}

TEST(RepliesTest, BareAndAllow) {
  auto missing = bare_reply(404, kNow);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.fields, (Fields{{"Date", kNowText}, {"Content-Length", "0"}}));
  EXPECT_EQ(missing.content, "");
  EXPECT_EQ(bare_reply(204, kNow).fields, (Fields{{"Date", kNowText}}));
  auto options = allow_reply(204, "GET, HEAD", kNow);
  EXPECT_EQ(options.fields, (Fields{{"Date", kNowText}, {"Allow", "GET, HEAD"}}));
  auto refused = allow_reply(405, "GET", kNow);
  EXPECT_EQ(refused.fields,
            (Fields{{"Date", kNowText}, {"Content-Length", "0"}, {"Allow", "GET"}}));
}

TEST(RepliesTest, TheFieldsOfA200) {
  auto strong = static_representation("/strong", false);
  auto fields = representation_fields(strong, kNow);
  EXPECT_EQ(fields, (Fields{{"Date", kNowText},
                            {"Last-Modified", "Sat, 15 Jun 2024 10:00:00 GMT"},
                            {"ETag", strong.etag->str()},
                            {"Cache-Control", "max-age=60"},
                            {"Expires", "Mon, 01 Jul 2024 12:01:00 GMT"},
                            {"Vary", "Accept-Encoding"},
                            {"Content-Location", "/strong"},
                            {"Accept-Ranges", "bytes"},
                            {"Content-Type", "text/plain"}}));
  auto gzip = representation_fields(static_representation("/strong", true), kNow);
  EXPECT_EQ(*gzip.find("Content-Encoding"), "gzip");
  auto plain = representation_fields(static_representation("/plain", false), kNow);
  EXPECT_EQ(names(plain), (std::vector<std::string>{"Date", "Cache-Control", "Expires", "Vary",
                                                    "Accept-Ranges", "Content-Type"}));
  EXPECT_EQ(*plain.find("Accept-Ranges"), "none");
  // A modification time in the future is sent as the Date (8.8.2.1).
  Representation future{.last_modified = kNow + hours{1}};
  EXPECT_EQ(*representation_fields(future, kNow).find("Last-Modified"), kNowText);
}

TEST(RepliesTest, FullReplyToGetAndHead) {
  auto strong = static_representation("/strong", false);
  auto get = full_reply(strong, false, kNow);
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(*get.fields.find("Content-Length"), "2144");
  EXPECT_EQ(get.content, strong.content);
  auto head = full_reply(strong, true, kNow);
  EXPECT_EQ(head.fields, get.fields);
  EXPECT_EQ(head.content, "");
  EXPECT_EQ(get.framing.chunked, false);
  EXPECT_EQ(get.framing.content_after_bodiless, false);
}

TEST(RepliesTest, PartialReplyIsLeanWhenItAnswersIfRange) {
  auto strong = static_representation("/strong", false);
  const RangeRequest range{.kind = RangeRequest::single, .first = 1, .last = 3};
  auto full = partial_reply(strong, range, false, false, kNow);
  EXPECT_EQ(full.status, 206);
  EXPECT_EQ(names(full.fields),
            (std::vector<std::string>{"Date", "Last-Modified", "ETag", "Cache-Control", "Expires",
                                      "Vary", "Content-Location", "Accept-Ranges", "Content-Type",
                                      "Content-Range", "Content-Length"}));
  EXPECT_EQ(*full.fields.find("Content-Range"), "bytes 1-3/2144");
  EXPECT_EQ(*full.fields.find("Content-Length"), "3");
  EXPECT_EQ(full.content, "ond");
  auto lean = partial_reply(strong, range, true, false, kNow);
  EXPECT_FALSE(lean.fields.has("Content-Type"));
  EXPECT_FALSE(lean.fields.has("Last-Modified"));
  EXPECT_TRUE(lean.fields.has("ETag"));
  EXPECT_EQ(partial_reply(strong, range, false, true, kNow).content, "");
}

TEST(RepliesTest, NotModifiedCarriesOnlyTheFieldsItMay) {
  auto strong = static_representation("/strong", true);
  auto reply = not_modified_reply(strong, kNow);
  EXPECT_EQ(reply.status, 304);
  EXPECT_EQ(names(reply.fields),
            (std::vector<std::string>{"Date", "Last-Modified", "ETag", "Cache-Control", "Expires",
                                      "Vary", "Content-Location"}));
  EXPECT_EQ(*reply.fields.find("ETag"), strong.etag->str());
  EXPECT_EQ(reply.content, "");
  auto plain = not_modified_reply(static_representation("/plain", false), kNow);
  EXPECT_EQ(names(plain.fields),
            (std::vector<std::string>{"Date", "Cache-Control", "Expires", "Vary"}));
}

TEST(RepliesTest, RangeNotSatisfiable) {
  auto reply = range_not_satisfiable_reply(static_representation("/strong", false), kNow);
  EXPECT_EQ(reply.status, 416);
  EXPECT_EQ(
      reply.fields,
      (Fields{{"Date", kNowText}, {"Content-Length", "0"}, {"Content-Range", "bytes */2144"}}));
}

}  // namespace
}  // namespace condspec
