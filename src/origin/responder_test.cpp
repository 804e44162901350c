#include "src/origin/responder.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>

#include "src/http/http_date.h"
#include "src/origin/replies.h"

namespace condspec {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;

const Seconds kNow = std::chrono::sys_days{std::chrono::year{2024} / 7 / 1} + hours{12};
const std::string kNowText = "Mon, 01 Jul 2024 12:00:00 GMT";

class ResponderTest : public ::testing::Test {
 protected:
  Responder& responder(std::set<std::string> faults = {}) {
    auto active = ActiveFaults::from_names(faults);
    EXPECT_TRUE(active.ok());
    responder_ = std::make_unique<Responder>(clock_, std::move(*active));
    return *responder_;
  }
  static Incoming request(std::string method, std::string path, Fields fields = {},
                          std::string body = {}) {
    return {.method = std::move(method),
            .path = std::move(path),
            .version = "HTTP/1.1",
            .fields = std::move(fields),
            .body = std::move(body)};
  }

  FixedClock clock_{kNow};
  std::unique_ptr<Responder> responder_;
};

TEST_F(ResponderTest, AnswersWithValuesNotBytes) {
  auto& origin = responder();
  auto strong = static_representation("/strong", false);
  auto get = origin.respond(request("GET", "/strong"));
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(get.fields, full_reply(strong, false, kNow).fields);
  EXPECT_EQ(get.content, strong.content);
  EXPECT_EQ(get.framing.chunked, false);
  EXPECT_EQ(get.framing.content_after_bodiless, false);
  EXPECT_EQ(get.framing.close_without_response, false);
  auto head = origin.respond(request("HEAD", "/strong"));
  EXPECT_EQ(head.fields, get.fields);
  EXPECT_EQ(head.content, "");
  auto revalidated =
      origin.respond(request("GET", "/strong", {{"If-None-Match", strong.etag->str()}}));
  EXPECT_EQ(revalidated.status, 304);
  EXPECT_EQ(revalidated.fields, not_modified_reply(strong, kNow).fields);
  EXPECT_EQ(origin.respond(request("GET", "/strong", {{"If-Match", "\"zz\""}})).fields,
            bare_reply(412, kNow).fields);
  EXPECT_EQ(origin.respond(request("GET", "/nothing")).status, 404);
  EXPECT_EQ(origin.respond(request("POST", "/weak", {{"If-Match", "\"zz\""}})).status, 405);
  EXPECT_EQ(*origin.respond(request("OPTIONS", "*")).fields.find("Allow"),
            "GET, HEAD, PUT, DELETE, OPTIONS");
}

TEST_F(ResponderTest, RangesAndIfRange) {
  auto& origin = responder();
  auto strong = static_representation("/strong", false);
  const Field range{"Range", "bytes=0-1"};
  auto part = origin.respond(request("GET", "/strong", {range}));
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.content, "co");
  EXPECT_TRUE(part.fields.has("Content-Type"));
  auto lean = origin.respond(request("GET", "/strong", {range, {"If-Range", strong.etag->str()}}));
  EXPECT_EQ(lean.status, 206);
  EXPECT_FALSE(lean.fields.has("Content-Type"));
  EXPECT_EQ(origin.respond(request("GET", "/strong", {range, {"If-Range", "\"zz\""}})).status, 200);
  EXPECT_EQ(origin.respond(request("GET", "/strong", {{"Range", "bytes=9999-"}})).status, 416);
  EXPECT_EQ(origin.respond(request("GET", "/plain", {range})).status, 200);
}

TEST_F(ResponderTest, WritableLifecycle) {
  auto& origin = responder();
  EXPECT_EQ(origin.respond(request("GET", "/writable")).status, 404);
  EXPECT_EQ(origin.respond(request("PUT", "/writable", {{"If-Match", "*"}}, "x")).status, 412);
  auto created = origin.respond(request("PUT", "/writable", {{"Content-Type", "text/x"}}, "first"));
  EXPECT_EQ(created.status, 201);
  EXPECT_EQ(created.fields, (Fields{{"Date", kNowText},
                                    {"Content-Length", "0"},
                                    {"ETag", "\"" + content_digest("first") + "\""},
                                    {"Last-Modified", kNowText}}));
  auto got = origin.respond(request("GET", "/writable"));
  EXPECT_EQ(got.content, "first");
  EXPECT_EQ(*got.fields.find("Content-Type"), "text/x");
  EXPECT_EQ(origin.respond(request("PUT", "/writable", {{"If-None-Match", "*"}}, "again")).status,
            412);
  EXPECT_EQ(origin.respond(request("PUT", "/writable", {}, "second")).status, 204);
  EXPECT_EQ(origin.respond(request("GET", "/writable")).content, "second");
  EXPECT_EQ(origin.respond(request("DELETE", "/writable")).status, 204);
  EXPECT_EQ(origin.respond(request("DELETE", "/writable")).status, 404);
}

TEST_F(ResponderTest, FaultsAskForBrokenFramingWithFlags) {
  auto chunked = responder({"chunked-with-content-length"}).respond(request("GET", "/plain"));
  EXPECT_TRUE(chunked.framing.chunked);
  EXPECT_EQ(chunked.content, static_representation("/plain", false).content);  // not chunked yet
  EXPECT_EQ(*chunked.fields.find("Content-Length"), "2144");

  auto http10 = request("GET", "/plain");
  http10.version = "HTTP/1.0";
  auto to_http10 = responder({"chunked-to-http10"}).respond(http10);
  EXPECT_TRUE(to_http10.framing.chunked);
  EXPECT_FALSE(to_http10.fields.has("Content-Length"));

  auto head = responder({"body-after-head"}).respond(request("HEAD", "/strong"));
  EXPECT_TRUE(head.framing.content_after_bodiless);
  EXPECT_EQ(head.content.size(), 2144u);

  auto options = responder({"body-after-204"}).respond(request("OPTIONS", "/strong"));
  EXPECT_EQ(options.status, 204);
  EXPECT_TRUE(options.framing.content_after_bodiless);

  auto dropped = responder({"inm-unbalanced-quote-drops"})
                     .respond(request("GET", "/strong", {{"If-None-Match", "\"open"}}));
  EXPECT_TRUE(dropped.framing.close_without_response);
  EXPECT_FALSE(responder_->respond(request("GET", "/strong")).framing.close_without_response);
}

TEST_F(ResponderTest, TransportErrorsAndStalledHeads) {
  EXPECT_EQ(responder().transport_error(400).fields,
            (Fields{{"Date", kNowText}, {"Content-Length", "0"}}));
  EXPECT_EQ(responder_->stalled_head_wait(), std::nullopt);
  EXPECT_EQ(*responder({"date-rfc850"}).transport_error(400).fields.find("Date"),
            "Monday, 01-Jul-24 12:00:00 GMT");
  EXPECT_EQ(responder({"answers-before-header-ends"}).stalled_head_wait(), milliseconds{100});
}

TEST_F(ResponderTest, FaultMemoryBelongsToOneOrigin) {
  auto ending = [](const Reply& reply) { return reply.content.substr(reply.content.size() - 9); };
  auto& first = responder({"strong-tag-unstable-content"});
  EXPECT_EQ(ending(first.respond(request("GET", "/strong"))), "00000001\n");
  EXPECT_EQ(first.respond(request("HEAD", "/strong")).content, "");         // counted, not sent
  EXPECT_EQ(ending(first.respond(request("GET", "/weak"))), "nal GET.\n");  // not counted
  EXPECT_EQ(ending(first.respond(request("GET", "/strong"))), "00000003\n");
  auto& second = responder({"strong-tag-unstable-content"});
  EXPECT_EQ(ending(second.respond(request("GET", "/strong"))), "00000001\n");
}

}  // namespace
}  // namespace condspec
