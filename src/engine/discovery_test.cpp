// Discovery against the real reference origin on 127.0.0.1: the facts it can
// set are exactly the known facts, and they cover every fact the shipped
// scenarios need, so no scenario is not_applicable because of a misspelt or
// unreachable fact. Against a scripted server: a probe that fails is a
// missing fact.

#include "src/engine/discovery.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "src/cases/facts.h"
#include "src/cases/loader.h"
#include "src/cases/model.h"
#include "src/core/clock.h"
#include "src/core/result.h"
#include "src/http/scripted_server_for_tests.h"
#include "src/http/url.h"
#include "src/http/wire_client.h"
#include "src/origin/reference_origin.h"

namespace condspec {
namespace {

using namespace std::chrono_literals;
using wire_testing::Peer;
using wire_testing::ScriptedServer;

class DiscoveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto origin = ReferenceOrigin::start(OriginOptions{&clock_, {}, "127.0.0.1", 0});
    ASSERT_TRUE(origin.ok()) << origin.error().message;
    origin_ = std::move(*origin);
  }

  TargetConfig target(const std::string& path) {
    TargetConfig t;
    t.url = *parse_url(origin_->base_url() + path);
    t.client.deadline = std::chrono::milliseconds{2000};
    return t;
  }

  // Every fact discovery sets on the reference origin's resources; the
  // writable resource is given as --unsafe-url once.
  Facts facts_of_every_resource() {
    Facts all;
    for (const char* path : {"/strong", "/weak", "/plain", "/dated", "/generated"}) {
      TargetConfig t = target(path);
      if (std::string_view(path) == "/strong")
        t.unsafe = *parse_url(origin_->base_url() + "/writable");
      Discovery d = discover(t, clock_.now());
      EXPECT_FALSE(d.unusable) << path << ": " << d.unusable.value_or("");
      all.insert(d.facts.begin(), d.facts.end());
    }
    return all;
  }

  FixedClock clock_{Seconds{std::chrono::sys_days{std::chrono::year{2026} / 11 / 22}}};
  std::unique_ptr<ReferenceOrigin> origin_;
};

TEST_F(DiscoveryTest, SetsOnlyKnownFactsAndEachKnownFactOnSomeResource) {
  const Facts discovered = facts_of_every_resource();
  for (const auto& name : discovered)
    EXPECT_NE(find_fact(name), nullptr)
        << "discovery set '" << name << "', which is not a known fact";
  // cache-stores is learnt of a cache (cache_discovery.h), never of an origin.
  Facts known;
  for (const auto& f : known_facts())
    if (f.name != fact::cache_stores) known.emplace(f.name);
  EXPECT_EQ(discovered, known);
}

TEST_F(DiscoveryTest, UnsafeUrlComesFromTheRunOptionsOnly) {
  TargetConfig t = target("/strong");
  EXPECT_FALSE(discover(t, clock_.now()).facts.contains(fact::unsafe_url));
  t.unsafe = *parse_url(origin_->base_url() + "/writable");
  EXPECT_TRUE(discover(t, clock_.now()).facts.contains(fact::unsafe_url));
}

TEST_F(DiscoveryTest, EveryFactAShippedScenarioNeedsCanBeSet) {
  auto suite = load_suite(std::string(CONDSPEC_SOURCE_DIR) + "/cases");
  ASSERT_TRUE(suite.ok()) << render(suite.error());
  const Facts discovered = facts_of_every_resource();
  size_t needed = 0;
  for (const auto& scenario : suite->scenarios) {
    for (const auto& fact : scenario.needs) {
      ++needed;
      EXPECT_TRUE(discovered.contains(fact))
          << scenario.id << " needs '" << fact << "', which discovery never sets";
    }
  }
  EXPECT_GT(needed, 0u);  // the shipped cases do need facts: this test looked at them
}

// Lends a fixed number of connections and counts what it lent and got back.
class FixedBudget : public ConnectionBudget {
 public:
  explicit FixedBudget(size_t lendable) : lendable_(lendable) {}
  size_t borrow(size_t wanted) override {
    const size_t lent = std::min(wanted, lendable_);
    lendable_ -= lent;
    lent_ += lent;
    return lent;
  }
  void give_back(size_t count) override {
    lendable_ += count;
    returned_ += count;
  }
  size_t lent_ = 0;
  size_t returned_ = 0;

 private:
  size_t lendable_;
};

std::vector<std::string> names_of(const Discovery& d) {
  std::vector<std::string> names;
  for (const auto& record : d.records) names.push_back(record.step);
  return names;
}

// Probes sent on several connections at once learn the same facts, and
// record the same exchanges in the same order, as probes sent one by one.
TEST_F(DiscoveryTest, ProbesOnLentConnectionsLearnWhatProbesOneByOneLearn) {
  for (const char* path : {"/strong", "/weak", "/plain", "/dated", "/generated", "/nothing"}) {
    const Discovery one_by_one = discover(target(path), clock_.now());
    FixedBudget budget(4);
    const Discovery at_once = discover(target(path), clock_.now(), nullptr, &budget);
    EXPECT_EQ(at_once.facts, one_by_one.facts) << path;
    EXPECT_EQ(at_once.unusable, one_by_one.unusable) << path;
    EXPECT_EQ(names_of(at_once), names_of(one_by_one)) << path;
    for (const auto& record : at_once.records)
      EXPECT_TRUE(record.exchange.ok())
          << path << " " << record.step << ": " << record.exchange.error;
    EXPECT_EQ(budget.returned_, budget.lent_) << path;
    if (std::string_view(path) != "/nothing") {
      EXPECT_EQ(budget.lent_, 4u) << path;
    }
  }
  // The order is the one discovery always reported: the If-Match follow-up,
  // sent last, is recorded right after the probe it follows.
  FixedBudget budget(4);
  EXPECT_EQ(names_of(discover(target("/strong"), clock_.now(), nullptr, &budget)),
            (std::vector<std::string>{
                "discover-get", "discover-get-again", "discover-if-none-match",
                "discover-if-none-match-star", "discover-if-modified-since", "discover-if-match",
                "discover-if-match-current", "discover-if-unmodified-since", "discover-range",
                "discover-range-middle", "discover-range-suffix", "discover-identity",
                "discover-gzip", "discover-missing"}));
}

// A probe that fails after the one before it succeeded (here the gzip probe,
// which the server drops; an interruption does the same to any probe) is a
// missing fact, never a crash: found when SIGTERM came during discovery.
TEST(Discovery, AProbeThatFailsAfterItsPartnerSucceededIsAMissingFact) {
  ScriptedServer server([](Peer& peer, int) {
    const std::string request = peer.read_request();
    if (request.find("Accept-Encoding: gzip") != std::string::npos) return;  // dropped
    peer.write(
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nETag: \"x\"\r\nConnection: close\r\n\r\n"
        "hello");
  });
  TargetConfig target{server.url("/r"), std::nullopt, {}, {}};
  target.client.connect_timeout = 1000ms;
  target.client.deadline = 1000ms;
  Discovery d = discover(target, Seconds{std::chrono::seconds{1'800'000'000}});
  EXPECT_FALSE(d.unusable);
  EXPECT_TRUE(d.facts.contains("etag"));
  EXPECT_FALSE(d.facts.contains("gzip"));
}

}  // namespace
}  // namespace condspec
