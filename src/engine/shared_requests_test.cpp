// The rule of which requests are sent once per target, and the single
// flight of SharedRequests: waiters get the sender's exchange, or send
// their own when it did not end cleanly.

#include "src/engine/shared_requests.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "src/http/url.h"

namespace condspec {
namespace {

using namespace std::chrono_literals;

Template text(std::string_view value) {
  return *parse_template(value, SourceLocation{});
}

Step plain_get() {
  Step step;
  step.id = "get";
  step.expect.push_back({StatusCheck{{200}}, "9110-15.3.1", {}});
  return step;
}

Scenario with(Step step) {
  Scenario scenario;
  scenario.id = "s";
  scenario.steps.push_back(std::move(step));
  return scenario;
}

Request request_of(const Step& step) {
  Request request;
  request.method = step.request.method;
  request.target = "/strong";
  return request;
}

Exchange clean_200() {
  Exchange exchange;
  exchange.request_bytes = "GET /strong HTTP/1.1\r\nHost: a\r\n\r\n";
  Response response;
  response.status = 200;
  response.content = "hello";
  response.framing = Framing::content_length;
  exchange.response = response;
  return exchange;
}

TEST(SharesRequests, APlainScenarioShares) {
  EXPECT_EQ(why_not_shared(with(plain_get())), std::nullopt);
  EXPECT_TRUE(step_may_share(plain_get(), request_of(plain_get())));
  Step head = plain_get();
  head.request.method = "HEAD";
  EXPECT_TRUE(step_may_share(head, request_of(head)));
}

TEST(SharesRequests, NotAScenarioThatJudgesTheConnectionPausesOrWrites) {
  Step split = plain_get();
  split.request.split_before = "If-None-Match";
  EXPECT_EQ(why_not_shared(with(split)), "it splits a header section");
  Step old = plain_get();
  old.request.version = "HTTP/1.0";
  EXPECT_EQ(why_not_shared(with(old)), "it sends another HTTP version");
  Step close = plain_get();
  close.request.fields.emplace_back("Connection", text("close"));
  EXPECT_EQ(why_not_shared(with(close)), "it sends a Connection field");
  Step responds = plain_get();
  responds.expect.push_back({RespondsCheck{}, "9112-9.3", {}});
  EXPECT_EQ(why_not_shared(with(responds)), "it judges whether the server answers at all");
  Step paused = plain_get();
  paused.pause_ms = 100;
  EXPECT_EQ(why_not_shared(with(paused)), "it pauses between steps");
  Step put = plain_get();
  put.request.method = "PUT";
  EXPECT_EQ(why_not_shared(with(put)), "it touches the writable URL or sends an unsafe method");
  Step writable = plain_get();
  writable.request.resource = Resource::unsafe;
  EXPECT_EQ(why_not_shared(with(writable)),
            "it touches the writable URL or sends an unsafe method");
  Step cache = plain_get();
  cache.origin = OriginSpec{};
  EXPECT_EQ(why_not_shared(with(cache)),
            "a cache scenario: a cache's state depends on the order of requests");
}

TEST(SharesRequests, NotAStepJudgedOnWhatFollowsItsResponseOrOnTime) {
  Step options = plain_get();
  options.request.method = "OPTIONS";
  EXPECT_EQ(why_step_not_shared(options, request_of(options)), "not a GET or HEAD");
  Step no_content = plain_get();
  no_content.expect.push_back({NoContentCheck{}, "9112-6.3-304-no-content", {}});
  EXPECT_EQ(why_step_not_shared(no_content, request_of(no_content)),
            "it judges the bytes after its response");
  Step exact = plain_get();
  exact.expect.push_back({ContentLengthExactCheck{}, "9112-6.3-cl", {}});
  EXPECT_EQ(why_step_not_shared(exact, request_of(exact)),
            "it judges the bytes after its response");
  Step date = plain_get();
  date.expect.push_back({DateNearNowCheck{60}, "9110-6.6.1-date", {}});
  EXPECT_EQ(why_step_not_shared(date, request_of(date)), "it judges Date against now");
  Step assumes = plain_get();
  assumes.assume_date = text("{{ current.last_modified }}");
  EXPECT_EQ(why_step_not_shared(assumes, request_of(assumes)), "it assumes the response's dates");
}

TEST(SharesRequests, OnlyAnExchangeThatEndedCleanly) {
  EXPECT_TRUE(shareable_exchange(clean_200()));
  Exchange failed = clean_200();
  failed.response.reset();
  failed.error = "timed out";
  EXPECT_FALSE(shareable_exchange(failed));
  Exchange by_close = clean_200();
  by_close.response->framing = Framing::close_delimited;
  EXPECT_FALSE(shareable_exchange(by_close));
  Exchange noted = clean_200();
  noted.response->framing_notes.push_back("both Transfer-Encoding and Content-Length");
  EXPECT_FALSE(shareable_exchange(noted));
  Exchange dropped = clean_200();
  dropped.response->content_dropped = 10;
  EXPECT_FALSE(shareable_exchange(dropped));
}

TEST(RequestIdentity, IsTheOriginAndTheBytesSent) {
  const Url url = *parse_url("http://127.0.0.1:8080/strong");
  Request get;
  get.target = "/strong";
  EXPECT_EQ(request_identity(url, get, Protocol::http1_1),
            "http://127.0.0.1:8080\nGET /strong HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n");
  Request tagged = get;
  tagged.fields.add("If-None-Match", "\"a\"");
  EXPECT_NE(request_identity(url, tagged, Protocol::http1_1),
            request_identity(url, get, Protocol::http1_1));
  const Url other = *parse_url("http://127.0.0.1:8081/strong");
  EXPECT_NE(request_identity(other, get, Protocol::http1_1),
            request_identity(url, get, Protocol::http1_1));
  // Over HTTP/2 the readable text of what was sent, as the exchange keeps it.
  EXPECT_EQ(request_identity(url, get, Protocol::h2c),
            "http://127.0.0.1:8080\nGET /strong HTTP/2\r\n:method: GET\r\n:scheme: http\r\n"
            ":authority: 127.0.0.1:8080\r\n:path: /strong\r\n\r\n");
}

TEST(SharedRequestsTest, TheFirstSendsAndTheOthersUseItsExchange) {
  SharedRequests shared;
  auto first = shared.claim("k", "a");
  EXPECT_TRUE(first.sender);
  EXPECT_FALSE(first.shared);
  shared.sent("k", clean_200());
  auto second = shared.claim("k", "b");
  EXPECT_FALSE(second.sender);
  ASSERT_TRUE(second.shared);
  EXPECT_EQ(second.shared->first_sent_by, "a");
  EXPECT_EQ(second.shared->exchange.response->content, "hello");
  EXPECT_EQ(shared.reused(), 1u);
}

TEST(SharedRequestsTest, AWaiterGetsTheExchangeInFlight) {
  SharedRequests shared;
  ASSERT_TRUE(shared.claim("k", "a").sender);
  std::optional<SharedRequests::Claim> waited;
  std::thread waiter([&] { waited = shared.claim("k", "b"); });
  std::this_thread::sleep_for(100ms);
  EXPECT_FALSE(waited);  // still waiting for the sender
  shared.sent("k", clean_200());
  waiter.join();
  ASSERT_TRUE(waited && waited->shared);
  EXPECT_EQ(waited->shared->first_sent_by, "a");
}

TEST(SharedRequestsTest, AfterAnExchangeThatFailedEachSendsItsOwn) {
  SharedRequests shared;
  ASSERT_TRUE(shared.claim("k", "a").sender);
  std::optional<SharedRequests::Claim> waited;
  std::thread waiter([&] { waited = shared.claim("k", "b"); });
  Exchange failed;
  failed.error = "the server closed the connection";
  shared.sent("k", failed);
  waiter.join();
  ASSERT_TRUE(waited);
  EXPECT_FALSE(waited->shared);
  EXPECT_FALSE(waited->sender);
  auto later = shared.claim("k", "c");
  EXPECT_FALSE(later.shared);
  EXPECT_FALSE(later.sender);
  EXPECT_EQ(shared.reused(), 0u);
}

TEST(SharedRequestsTest, AWaiterGivesUpWhenTheRunIsCancelled) {
  SharedRequests shared;
  ASSERT_TRUE(shared.claim("k", "a").sender);
  Cancellation cancel;
  std::optional<SharedRequests::Claim> waited;
  std::thread waiter([&] { waited = shared.claim("k", "b", &cancel); });
  cancel.cancel();
  waiter.join();
  ASSERT_TRUE(waited);
  EXPECT_FALSE(waited->shared);
}

TEST(SharedRequestsTest, DiscoveryOffersItsCleanExchangesFirstComeFirst) {
  SharedRequests shared;
  Exchange failed;
  failed.error = "timed out";
  shared.offer("bad", kSentByDiscovery, failed);
  EXPECT_TRUE(shared.claim("bad", "a").sender);  // nothing was offered
  shared.offer("k", kSentByDiscovery, clean_200());
  Exchange again = clean_200();
  again.response->content = "second";
  shared.offer("k", kSentByDiscovery, again);
  auto claim = shared.claim("k", "a");
  ASSERT_TRUE(claim.shared);
  EXPECT_EQ(claim.shared->first_sent_by, "discovery");
  EXPECT_EQ(claim.shared->exchange.response->content, "hello");
}

}  // namespace
}  // namespace condspec
