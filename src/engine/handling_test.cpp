#include "src/engine/handling.h"

#include <gtest/gtest.h>

namespace condspec {
namespace {

// A scenario's handling: repaired when the client got ETag, passed through
// when it got none.
HandlingSpec etag_spec() {
  HandlingSpec spec;
  spec.step = "after";
  spec.repaired = {FieldCheck{.name = "ETag", .op = FieldCheck::Op::present}};
  spec.passed_through = {FieldCheck{.name = "ETag", .op = FieldCheck::Op::absent}};
  return spec;
}

Exchange answered(int status, Fields fields = {}) {
  Exchange exchange;
  Response response;
  response.status = status;
  response.fields = std::move(fields);
  exchange.response = response;
  return exchange;
}

UpstreamExchange upstream(int status, bool conditional, int connection = 0) {
  UpstreamExchange exchange;
  exchange.request.method = "GET";
  if (conditional) exchange.request.fields.add("If-None-Match", "\"v1\"");
  exchange.response.status = status;
  exchange.connection = connection;
  return exchange;
}

struct Evidence {
  std::vector<UpstreamExchange> first{upstream(200, false)};
  std::vector<UpstreamExchange> freshened{upstream(304, true)};
  std::vector<UpstreamExchange> after;

  UpstreamByStep by_step() const {
    return {{"first", &first}, {"freshened", &freshened}, {"after", &after}};
  }
};

Handling handling_of(const HandlingSpec& spec, const Exchange& exchange, const Evidence& e) {
  CheckInput input{spec.step, exchange, {}, nullptr, Seconds{}};
  return find_handling(spec, input, e.by_step());
}

TEST(Handling, RepairedWhenTheRepairedChecksHold) {
  const Handling h = handling_of(etag_spec(), answered(200, {{"ETag", "\"v1\""}}), Evidence{});
  EXPECT_EQ(to_string(h.kind), "repaired");
  EXPECT_EQ(h.step, "after");
  EXPECT_EQ(h.detail, "step 'after' got ETag: \"v1\"");
}

TEST(Handling, RefetchedWhenTheCacheAskedAgainWithoutConditionalsAfterThe304) {
  Evidence e;
  e.freshened.push_back(upstream(200, false));
  const Handling h = handling_of(etag_spec(), answered(200, {{"ETag", "\"v1\""}}), e);
  EXPECT_EQ(to_string(h.kind), "refetched");
  EXPECT_EQ(h.detail,
            "after the origin's 304 at step 'freshened' the cache asked it again without "
            "conditionals at step 'freshened', and step 'after' got ETag: \"v1\"");
}

TEST(Handling, AnUnconditionalRequestBeforeThe304IsNoRefetch) {
  Evidence e;
  e.first.push_back(upstream(200, false));
  EXPECT_EQ(handling_of(etag_spec(), answered(200, {{"ETag", "\"v1\""}}), e).kind,
            HandlingKind::repaired);
}

TEST(Handling, PassedThroughWhenOnlyThePassedThroughChecksHold) {
  const Handling h = handling_of(etag_spec(), answered(200), Evidence{});
  EXPECT_EQ(to_string(h.kind), "passed-through");
  EXPECT_EQ(h.detail, "step 'after' got ETag absent");
}

TEST(Handling, DamagedWhenNeitherHoldsOrNothingCame) {
  HandlingSpec spec = etag_spec();
  spec.repaired = {StatusCheck{.allowed = {200}}};
  spec.passed_through = {StatusCheck{.allowed = {304}}};
  const Handling h = handling_of(spec, answered(502), Evidence{});
  EXPECT_EQ(to_string(h.kind), "damaged");
  EXPECT_EQ(h.detail, "step 'after' got status 502");
  Exchange none;
  none.error = "connection closed";
  EXPECT_EQ(handling_of(spec, none, Evidence{}).detail,
            "step 'after' got no response (connection closed)");
}

TEST(Handling, SaysWhetherTheNextRequestWentOnTheConnectionOfThe304) {
  HandlingSpec spec = etag_spec();
  spec.connection = "freshened";
  Evidence e;
  e.freshened = {upstream(304, true, 3)};
  e.after = {upstream(200, true, 3)};
  const Exchange got = answered(200, {{"ETag", "\"v1\""}});
  EXPECT_EQ(handling_of(spec, got, e).detail,
            "step 'after' got ETag: \"v1\"; the cache sent the request of step 'after' on "
            "connection 3, the one the bytes after the origin's 304 came on");
  e.after = {upstream(200, true, 4)};
  const Handling other = handling_of(spec, got, e);
  EXPECT_EQ(to_string(other.kind), "repaired");
  EXPECT_EQ(other.detail,
            "connection not reused: the bytes after the origin's 304 came on connection 3, the "
            "request of step 'after' on connection 4; step 'after' got ETag: \"v1\"");
  e.after.clear();
  EXPECT_EQ(handling_of(spec, got, e).detail,
            "step 'after' got ETag: \"v1\"; no request went upstream at step 'after'");
}

}  // namespace
}  // namespace condspec
