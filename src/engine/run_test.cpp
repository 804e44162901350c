// The scheduler of a run against the real reference origin on 127.0.0.1:
// what it shares between targets, and that the order of what it reports
// never depends on timing.

#include "src/engine/run.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "src/cases/loader.h"
#include "src/engine/outcome.h"
#include "src/http/scripted_server_for_tests.h"
#include "src/http/url.h"
#include "src/origin/reference_origin.h"

namespace condspec {
namespace {

constexpr std::string_view kCatalog = R"(requirements:
  - id: 9110-13.1.2-evaluate
    rfc: "9110"
    section: "13.1.2"
    level: MUST
    summary: If-None-Match is evaluated.
    link: https://www.rfc-editor.org/rfc/rfc9110#section-13.1.2
)";

constexpr std::string_view kCases = R"(section: "13.1.2"
title: If-None-Match
scenarios:
  - id: first-get
    title: A GET gets 200
    steps:
      - id: get
        expect:
          - status: 200
            requirement: 9110-13.1.2-evaluate
  - id: put-then-get
    title: What a PUT stored is what a GET shows
    needs: [unsafe-url]
    steps:
      - id: write
        request:
          method: PUT
          resource: unsafe
          body: "condspec run test\n"
        assume: { status: [200, 201, 204] }
      - id: read
        request:
          resource: unsafe
        expect:
          - status: 200
            requirement: 9110-13.1.2-evaluate
  - id: star-gets-304
    title: If-None-Match star gets 304
    needs: [if-none-match-star]
    steps:
      - id: star
        request:
          headers:
            If-None-Match: "*"
        expect:
          - status: 304
            requirement: 9110-13.1.2-evaluate
  - id: put-needing-a-tag
    title: A writable scenario that needs a fact of the target
    needs: [unsafe-url, strong-etag]
    steps:
      - id: write
        request:
          method: PUT
          resource: unsafe
          body: "condspec run test\n"
        expect:
          - status: [200, 201, 204]
            requirement: 9110-13.1.2-evaluate
)";

class RunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto origin = ReferenceOrigin::start(OriginOptions{&clock_, {}, "127.0.0.1", 0});
    ASSERT_TRUE(origin.ok()) << origin.error().message;
    origin_ = std::move(*origin);
    auto catalog = parse_catalog(kCatalog, "requirements.yaml");
    ASSERT_TRUE(catalog.ok()) << render(catalog.error());
    suite_.requirements = *catalog;
    auto scenarios = parse_case_file(kCases, "cases.yaml", suite_.requirements, nullptr);
    ASSERT_TRUE(scenarios.ok()) << render(scenarios.error());
    suite_.scenarios = *scenarios;
  }

  TargetConfig target(const std::string& path, bool writable = true) {
    TargetConfig t;
    t.url = *parse_url(origin_->base_url() + path);
    if (writable) t.unsafe = *parse_url(origin_->base_url() + "/writable");
    t.client.deadline = std::chrono::milliseconds{2000};
    return t;
  }

  static std::vector<std::string> ids(const TargetResult& target) {
    std::vector<std::string> out;
    for (const auto& r : target.results) out.push_back(r.scenario);
    return out;
  }

  FixedClock clock_{Seconds{std::chrono::sys_days{std::chrono::year{2026} / 11 / 22}}};
  std::unique_ptr<ReferenceOrigin> origin_;
  Suite suite_;
};

TEST_F(RunTest, OnlyScenariosSendingOnlyToTheWritableUrlAndNeedingNothingElseAreShared) {
  EXPECT_FALSE(touches_only_the_writable_url(*suite_.scenario("first-get")));
  EXPECT_TRUE(touches_only_the_writable_url(*suite_.scenario("put-then-get")));
  EXPECT_FALSE(touches_only_the_writable_url(*suite_.scenario("star-gets-304")));
  EXPECT_FALSE(touches_only_the_writable_url(*suite_.scenario("put-needing-a-tag")));
}

TEST_F(RunTest, TargetsSharingTheWritableUrlShareOneRunOfItsScenarios) {
  RunPlan plan;
  plan.targets = {target("/strong"), target("/weak"), target("/plain")};
  RunResult run = run_suite(suite_, plan, clock_);
  ASSERT_EQ(run.targets.size(), 3u);
  const ScenarioResult& shared = run.targets[0].results[1];
  ASSERT_EQ(shared.scenario, "put-then-get");
  EXPECT_EQ(shared.outcome, Outcome::pass) << shared.reason;
  ASSERT_EQ(shared.exchanges.size(), 2u);
  for (const auto& t : run.targets) {
    ASSERT_EQ(t.results.size(), 4u);
    const ScenarioResult& copy = t.results[1];
    // One run: the very same exchanges, to the microsecond.
    EXPECT_EQ(copy.elapsed, shared.elapsed);
    ASSERT_EQ(copy.exchanges.size(), 2u);
    EXPECT_EQ(copy.exchanges[0].exchange.elapsed, shared.exchanges[0].exchange.elapsed);
    EXPECT_EQ(copy.exchanges[1].exchange.response->head,
              shared.exchanges[1].exchange.response->head);
  }
  // A writable scenario that needs a fact of the target runs per target.
  EXPECT_EQ(run.targets[0].results[3].outcome, Outcome::pass);
  EXPECT_EQ(run.targets[1].results[3].outcome, Outcome::not_applicable);
  EXPECT_NE(run.targets[0].results[3].elapsed, run.targets[2].results[3].elapsed);
}

TEST_F(RunTest, AnUnusableTargetGetsNoSharedResult) {
  RunPlan plan;
  plan.targets = {target("/nothing-here"), target("/strong")};
  RunResult run = run_suite(suite_, plan, clock_);
  ASSERT_TRUE(run.targets[0].unusable);
  EXPECT_TRUE(run.targets[0].results.empty());
  EXPECT_EQ(ids(run.targets[1]), (std::vector<std::string>{"first-get", "put-then-get",
                                                           "star-gets-304", "put-needing-a-tag"}));
  EXPECT_EQ(run.targets[1].results[1].outcome, Outcome::pass);
}

// A target whose first answer is not 200 cannot be tested: the scenarios
// that need no fact and were queued beside its discovery are not sent.
TEST_F(RunTest, AnUnusableTargetsQueuedScenariosAreNotSent) {
  std::atomic<int> requests{0};
  wire_testing::ScriptedServer server([&requests](wire_testing::Peer& peer, int) {
    while (!peer.read_request().empty()) {
      ++requests;
      if (!peer.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")) return;
    }
  });
  RunPlan plan;
  plan.jobs = 1;  // discovery is ranked first, so it ends before any scenario
  TargetConfig t;
  t.url = *parse_url("http://127.0.0.1:" + std::to_string(server.port()) + "/");
  t.client.deadline = std::chrono::milliseconds{2000};
  plan.targets = {t};
  RunResult run = run_suite(suite_, plan, clock_);
  ASSERT_TRUE(run.targets[0].unusable);
  EXPECT_TRUE(run.targets[0].results.empty());
  EXPECT_EQ(requests, 1);  // discovery's first GET only
}

TEST_F(RunTest, ResultsComeInTargetAndSuiteOrderWhateverTheJobs) {
  std::vector<TargetConfig> targets;
  for (int i = 0; i < 8; ++i)
    targets.push_back(
        target(std::string(i % 2 ? "/weak" : "/strong") + "?n=" + std::to_string(i), i % 3 != 0));
  std::vector<std::vector<std::string>> seen;
  for (int jobs : {1, 3, 6}) {
    RunPlan plan;
    plan.targets = targets;
    plan.jobs = jobs;
    size_t reported = 0;
    plan.on_result = [&](const TargetResult&, const ScenarioResult&) { ++reported; };
    RunResult run = run_suite(suite_, plan, clock_);
    std::vector<std::string> order;
    for (const auto& t : run.targets) {
      order.push_back(t.url);
      for (const auto& r : t.results)
        order.push_back(r.scenario + " " + std::string(to_string(r.outcome)));
    }
    EXPECT_EQ(reported, 8u * 4u);
    seen.push_back(order);
  }
  EXPECT_EQ(seen[0], seen[1]);
  EXPECT_EQ(seen[0], seen[2]);
  EXPECT_EQ(seen[0].size(), 8u * 5u);
}

TEST_F(RunTest, ShardsStillDiscoverEveryTargetAndShareWithinTheShard) {
  RunPlan plan;
  plan.targets = {target("/strong"), target("/weak")};
  plan.shard_index = 2;
  plan.shard_count = 2;
  RunResult run = run_suite(suite_, plan, clock_);
  // Pairs 1, 3, 5, 7: put-then-get and put-needing-a-tag of each target.
  EXPECT_FALSE(run.targets[0].discovery.empty());
  EXPECT_EQ(ids(run.targets[0]), (std::vector<std::string>{"put-then-get", "put-needing-a-tag"}));
  EXPECT_EQ(ids(run.targets[1]), (std::vector<std::string>{"put-then-get", "put-needing-a-tag"}));
  EXPECT_EQ(run.targets[0].results[0].elapsed, run.targets[1].results[0].elapsed);
}

// A run cancelled before it began: no target was discovered, and each says
// why it was not tested instead of reading as a target with nothing in it.
TEST_F(RunTest, ATargetNeverDiscoveredBeforeTheCancellationSaysSo) {
  Cancellation cancel;
  cancel.cancel();
  RunPlan plan;
  plan.targets = {target("/strong"), target("/weak")};
  plan.cancel = &cancel;
  RunResult run = run_suite(suite_, plan, clock_);
  EXPECT_FALSE(run.complete);
  ASSERT_EQ(run.targets.size(), 2u);
  for (const auto& t : run.targets) {
    EXPECT_EQ(t.unusable, "not tested: the run was interrupted before its discovery ended");
    EXPECT_TRUE(t.results.empty());
  }
}

}  // namespace
}  // namespace condspec
