#include "src/origin/origin_script.h"

#include <gtest/gtest.h>

#include <chrono>

namespace condspec {
namespace {

const Seconds kNow =
    std::chrono::sys_days{std::chrono::year{2024} / 7 / 1} + std::chrono::hours{12};
const std::string kNowText = "Mon, 01 Jul 2024 12:00:00 GMT";
const std::string kModified = "Wed, 01 Jan 2020 00:00:00 GMT";

OriginScript script() {
  OriginScript s;
  s.fields = {{"Cache-Control", "max-age=1"},
              {"ETag", "\"v1\""},
              {"Last-Modified", kModified},
              {"Content-Type", "text/plain"},
              {"X-Condspec-Version", "1"}};
  s.content = "version 1\n";
  return s;
}

Incoming get(Fields fields = {}) {
  return Incoming{.method = "GET", .path = "/c/x/s", .version = "HTTP/1.1", .fields = fields};
}

ActiveFaults faults(std::string name = "") {
  std::set<std::string> names;
  if (!name.empty()) names.insert(name);
  return ActiveFaults::from_names(names).value();
}

TEST(OriginScript, AnswersTheScriptedFieldsWithDateAndContentLength) {
  Reply reply = answer_scripted(script(), get(), kNow, faults());
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.fields, (Fields{{"Date", kNowText},
                                  {"Cache-Control", "max-age=1"},
                                  {"ETag", "\"v1\""},
                                  {"Last-Modified", kModified},
                                  {"Content-Type", "text/plain"},
                                  {"X-Condspec-Version", "1"},
                                  {"Content-Length", "10"}}));
  EXPECT_EQ(reply.content, "version 1\n");

  OriginScript past = script();
  past.fields.add("Date", "Tue, 01 Jan 2019 00:00:00 GMT");
  reply = answer_scripted(past, get(), kNow, faults());
  EXPECT_EQ(*reply.fields.find("Date"), "Tue, 01 Jan 2019 00:00:00 GMT");
  EXPECT_EQ(reply.fields.count("Date"), 1u);
}

TEST(OriginScript, ValidationWithTheScriptedTagGets304WithoutContentMetadata) {
  Reply reply = answer_scripted(script(), get({{"If-None-Match", "\"v1\""}}), kNow, faults());
  EXPECT_EQ(reply.status, 304);
  EXPECT_EQ(reply.fields, (Fields{{"Date", kNowText},
                                  {"Cache-Control", "max-age=1"},
                                  {"ETag", "\"v1\""},
                                  {"Last-Modified", kModified},
                                  {"X-Condspec-Version", "1"}}));
  EXPECT_TRUE(reply.content.empty());

  EXPECT_EQ(
      answer_scripted(script(), get({{"If-Modified-Since", kModified}}), kNow, faults()).status,
      304);
  EXPECT_EQ(answer_scripted(script(), get({{"If-None-Match", "\"v0\""}}), kNow, faults()).status,
            200);
  EXPECT_EQ(answer_scripted(script(), get({{"If-Match", "\"v0\""}}), kNow, faults()).status, 412);
}

TEST(OriginScript, NotModifiedFieldsReplaceTheDerivedOnes) {
  OriginScript s = script();
  s.not_modified_fields = Fields{{"ETag", "\"other\""}};
  Reply reply = answer_scripted(s, get({{"If-None-Match", "\"v1\""}}), kNow, faults());
  EXPECT_EQ(reply.status, 304);
  EXPECT_EQ(reply.fields, (Fields{{"Date", kNowText}, {"ETag", "\"other\""}}));
}

TEST(OriginScript, OtherStatusesIgnorePreconditions) {
  OriginScript s = script();
  s.status = 503;
  Reply reply = answer_scripted(s, get({{"If-None-Match", "\"v1\""}}), kNow, faults());
  EXPECT_EQ(reply.status, 503);
  EXPECT_EQ(reply.content, "version 1\n");
}

TEST(OriginScript, HeadHasNoContentAndUnsafeMethodsAre405) {
  Incoming head = get();
  head.method = "HEAD";
  Reply reply = answer_scripted(script(), head, kNow, faults());
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(*reply.fields.find("Content-Length"), "10");
  EXPECT_TRUE(reply.content.empty());

  Incoming post = get();
  post.method = "POST";
  reply = answer_scripted(script(), post, kNow, faults());
  EXPECT_EQ(reply.status, 405);
  EXPECT_EQ(*reply.fields.find("Allow"), "GET, HEAD");
}

TEST(OriginScript, RangesOnlyWithAcceptRanges) {
  EXPECT_EQ(answer_scripted(script(), get({{"Range", "bytes=0-0"}}), kNow, faults()).status, 200);
  OriginScript s = script();
  s.fields.add("Accept-Ranges", "bytes");
  Reply reply = answer_scripted(s, get({{"Range", "bytes=0-0"}}), kNow, faults());
  EXPECT_EQ(reply.status, 206);
  EXPECT_EQ(reply.content, "v");
  EXPECT_EQ(*reply.fields.find("Content-Range"), "bytes 0-0/10");
  reply = answer_scripted(s, get({{"Range", "bytes=0-0"}, {"If-Range", "\"v0\""}}), kNow, faults());
  EXPECT_EQ(reply.status, 200);
  reply = answer_scripted(s, get({{"Range", "bytes=50-60"}}), kNow, faults());
  EXPECT_EQ(reply.status, 416);
}

TEST(OriginScript, AFaultOfTheReferenceOriginReshapesTheAnswers) {
  const Incoming validation = get({{"If-None-Match", "\"v1\""}});
  Reply reply = answer_scripted(script(), validation, kNow, faults("cl-zero-in-304"));
  EXPECT_EQ(reply.status, 304);
  EXPECT_EQ(*reply.fields.find("Content-Length"), "0");

  reply = answer_scripted(script(), validation, kNow, faults("body-after-304"));
  EXPECT_EQ(reply.content, "version 1\n");
  EXPECT_TRUE(reply.framing.content_after_bodiless);

  reply = answer_scripted(script(), validation, kNow, faults("304-drops-etag"));
  EXPECT_FALSE(reply.fields.has("ETag"));
}

}  // namespace
}  // namespace condspec
