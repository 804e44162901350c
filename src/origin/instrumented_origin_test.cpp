#include "src/origin/instrumented_origin.h"

#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <thread>

#include "src/http/wire_client.h"

namespace condspec {
namespace {

class InstrumentedOriginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto started = InstrumentedOrigin::start({.run_id = "0123456789abcdef0123456789abcdef"});
    ASSERT_TRUE(started.ok()) << started.error().message;
    origin_ = std::move(*started);
  }

  Response get(const std::string& path, Fields fields = {}, const std::string& method = "GET") {
    WireClient client(*parse_url(origin_->base_url()), {});
    Request request;
    request.method = method;
    request.target = path;
    request.fields = std::move(fields);
    Sent sent = client.send(request);
    EXPECT_TRUE(sent.exchange.ok()) << sent.exchange.error;
    return sent.exchange.response.value_or(Response{});
  }

  static OriginScript tagged(std::string tag) {
    OriginScript script;
    script.fields = {{"Cache-Control", "max-age=60"}, {"ETag", "\"" + tag + "\""}};
    script.content = "content of " + tag;
    return script;
  }

  std::unique_ptr<InstrumentedOrigin> origin_;
};

TEST_F(InstrumentedOriginTest, AFreshOriginHasAnUnguessablePrefix) {
  EXPECT_EQ(origin_->prefix(), "/c/0123456789abcdef0123456789abcdef/");
  EXPECT_TRUE(std::regex_match(fresh_run_id(), std::regex("[0-9a-f]{32}")));
  EXPECT_NE(fresh_run_id(), fresh_run_id());
}

TEST_F(InstrumentedOriginTest, AnswersTheScriptAndRecordsEveryRequest) {
  ASSERT_TRUE(origin_->script("h1/scenario", tagged("v1")).ok());
  const std::string path = origin_->prefix() + "h1/scenario";
  Response first = get(path);
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.content, "content of v1");
  Response second = get(path, {{"If-None-Match", "\"v1\""}});
  EXPECT_EQ(second.status, 304);

  ASSERT_EQ(origin_->received_count("h1/scenario"), 2u);
  auto record = origin_->received("h1/scenario", 1);
  ASSERT_EQ(record.size(), 1u);
  EXPECT_EQ(record[0].request.method, "GET");
  EXPECT_EQ(record[0].request.target, path);
  EXPECT_EQ(*record[0].request.fields.find("If-None-Match"), "\"v1\"");
  EXPECT_EQ(record[0].response.status, 304);
  EXPECT_TRUE(record[0].response.head.starts_with("HTTP/1.1 304 Not Modified\r\n"));

  // A later script answers from then on: the old tag no longer matches.
  ASSERT_TRUE(origin_->script("h1/scenario", tagged("v2")).ok());
  EXPECT_EQ(get(path, {{"If-None-Match", "\"v1\""}}).status, 200);
  EXPECT_EQ(origin_->received_under_prefix(), 3u);
}

TEST_F(InstrumentedOriginTest, APathBeforeThePrefixIsTheCachesOwn) {
  ASSERT_TRUE(origin_->script("s", tagged("v1")).ok());
  EXPECT_EQ(get("/condspec" + origin_->prefix() + "s").status, 200);
  EXPECT_EQ(origin_->received_count("s"), 1u);
}

TEST_F(InstrumentedOriginTest, ServesNothingOutsideThePrefixAndOnlyGetAndHeadUnderIt) {
  ASSERT_TRUE(origin_->script("s", tagged("v1")).ok());
  EXPECT_EQ(get("/").status, 404);
  EXPECT_EQ(get("/c/00000000000000000000000000000000/s").status, 404);
  EXPECT_EQ(origin_->refused_outside_prefix(), 2u);
  EXPECT_EQ(origin_->received_under_prefix(), 0u);

  Response unscripted = get(origin_->prefix() + "other");
  EXPECT_EQ(unscripted.status, 404);
  EXPECT_EQ(*unscripted.fields.find("Cache-Control"), "no-store");

  Response post = get(origin_->prefix() + "s", {{"Content-Length", "0"}}, "POST");
  EXPECT_EQ(post.status, 405);
  ASSERT_EQ(origin_->received_count("s"), 1u);
  EXPECT_EQ(origin_->received("s")[0].request.method, "POST");
  EXPECT_EQ(get(origin_->prefix() + "s", {}, "HEAD").status, 200);
}

TEST_F(InstrumentedOriginTest, AScriptMayNameAFaultOfTheReferenceOrigin) {
  OriginScript broken = tagged("v1");
  broken.fault = "304-drops-etag";
  ASSERT_TRUE(origin_->script("s", broken).ok());
  Response reply = get(origin_->prefix() + "s", {{"If-None-Match", "\"v1\""}});
  EXPECT_EQ(reply.status, 304);
  EXPECT_FALSE(reply.fields.has("ETag"));

  broken.fault = "no-such-fault";
  auto refused = origin_->script("s", broken);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("no-such-fault"), std::string::npos);
}

TEST_F(InstrumentedOriginTest, TheRecordIsBounded) {
  ASSERT_TRUE(origin_->script("s", tagged("v1")).ok());
  WireClient client(*parse_url(origin_->base_url()), {});
  Request request;
  request.target = origin_->prefix() + "s";
  for (size_t i = 0; i < InstrumentedOrigin::kMaxRecorded + 5; ++i) client.send(request);
  EXPECT_EQ(origin_->received_count("s"), InstrumentedOrigin::kMaxRecorded);
  EXPECT_EQ(origin_->received_under_prefix(), InstrumentedOrigin::kMaxRecorded + 5);
}

// A cache pools its connections to the origin: one it keeps open after an
// answer does not hold the origin's stop, and so the end of a cache run
// (an interrupted one too), for the keep-alive timeout (5 s).
TEST_F(InstrumentedOriginTest, StopsAtOnceWhileTheCacheKeepsAConnectionOpen) {
  ASSERT_TRUE(origin_->script("kept", tagged("v1")));
  WireClient cache(*parse_url(origin_->base_url()), {});
  Request request;
  request.target = origin_->prefix() + "kept";
  Sent sent = cache.send(request);
  ASSERT_TRUE(sent.exchange.ok()) << sent.exchange.error;
  EXPECT_EQ(sent.exchange.response->status, 200);
  EXPECT_FALSE(sent.exchange.response->connection_close);
  // Long enough for the origin's worker to be waiting for a next request
  // (stopped before, it would not wait at all).
  std::this_thread::sleep_for(std::chrono::milliseconds{200});
  const auto start = std::chrono::steady_clock::now();
  origin_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds{1000});
}

// The record says which connection each request came on: numbered in the
// order the origin saw them, one number per connection however many
// requests it carried.
TEST_F(InstrumentedOriginTest, NumbersTheConnectionEachRequestCameOn) {
  ASSERT_TRUE(origin_->script("conn", tagged("v1")));
  Request request;
  request.target = origin_->prefix() + "conn";
  WireClient kept(*parse_url(origin_->base_url()), {});
  ASSERT_TRUE(kept.send(request).exchange.ok());
  ASSERT_TRUE(kept.send(request).exchange.ok());
  WireClient other(*parse_url(origin_->base_url()), {});
  ASSERT_TRUE(other.send(request).exchange.ok());
  ASSERT_TRUE(kept.send(request).exchange.ok());
  auto record = origin_->received("conn");
  ASSERT_EQ(record.size(), 4u);
  EXPECT_EQ(record[0].connection, 1);
  EXPECT_EQ(record[1].connection, 1);
  EXPECT_EQ(record[2].connection, 2);
  EXPECT_EQ(record[3].connection, 1);
}

TEST(InstrumentedOrigin, APortInUseIsAnError) {
  auto first = InstrumentedOrigin::start({});
  ASSERT_TRUE(first.ok());
  auto second = InstrumentedOrigin::start({.port = (*first)->port()});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().message,
            "cannot listen on 127.0.0.1:" + std::to_string((*first)->port()));
}

}  // namespace
}  // namespace condspec
