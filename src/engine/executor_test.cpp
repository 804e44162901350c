// The executor and discovery against the real reference origin on 127.0.0.1.

#include "src/engine/executor.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string_view>
#include <thread>
#include <utility>

#include "src/cases/loader.h"
#include "src/core/result.h"
#include "src/engine/cache_target.h"
#include "src/engine/discovery.h"
#include "src/engine/outcome.h"
#include "src/engine/run.h"
#include "src/http/message.h"
#include "src/http/scripted_server_for_tests.h"
#include "src/http/url.h"
#include "src/http/wire_client.h"
#include "src/origin/instrumented_origin.h"
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
  - id: 9110-15.4.5-no-content
    rfc: "9110"
    section: "15.4.5"
    level: MUST
    summary: A 304 has no content.
    link: https://www.rfc-editor.org/rfc/rfc9110#section-15.4.5
)";

constexpr std::string_view kCases = R"(section: "13.1.2"
title: If-None-Match
scenarios:
  - id: exact-tag
    title: The current tag gets 304 with no content
    needs: [strong-etag]
    steps:
      - id: first
        assume: { status: [200] }
      - id: again
        request:
          headers:
            If-None-Match: "{{ first.etag }}"
        expect:
          - status: 304
            requirement: 9110-13.1.2-evaluate
          - no_content: true
            requirement: 9110-15.4.5-no-content
  - id: needs-a-date
    title: Needs If-Modified-Since
    needs: [if-modified-since]
    steps:
      - id: first
  - id: fail-then-cut-short
    title: A failure seen before a later step cannot go on
    needs: [strong-etag]
    steps:
      - id: first
      - id: again
        request:
          headers:
            If-None-Match: "{{ first.etag }}"
        expect:
          - status: 404
            requirement: 9110-13.1.2-evaluate
      - id: later
        request:
          headers:
            X-Missing: "{{ first.field.X-Not-Sent }}"
  - id: control-fails
    title: A control step that does not hold
    steps:
      - id: first
        assume: { status: [304] }
  - id: same-second
    title: A step answered in the second of an earlier Date
    steps:
      - id: first
        assume: { status: [200] }
      - id: again
        assume: { status: [200], date: "{{ first.date }}" }
        expect:
          - status: 200
            requirement: 9110-15.4.5-no-content
  - id: another-second
    title: A step not answered in the second named
    steps:
      - id: first
        assume: { status: [200], date: "Sun, 06 Nov 1994 08:49:37 GMT" }
  - id: last-modified-of-that-second
    title: A response whose Last-Modified names the second of an earlier one
    steps:
      - id: first
        assume: { status: [200] }
      - id: again
        assume: { status: [200], last_modified: "{{ first.last_modified }}" }
        expect:
          - status: 200
            requirement: 9110-15.4.5-no-content
  - id: last-modified-of-another-second
    title: A response whose Last-Modified is not the second named, with the scenario's reason
    steps:
      - id: first
        assume:
          status: [200]
          last_modified: "Sun, 06 Nov 1994 08:49:37 GMT"
          reason: the two writes did not change the resource within one second
  - id: cache-another-second
    title: A cache scenario whose step is not answered in the second named
    steps:
      - id: first
        origin:
          headers:
            Cache-Control: max-age=60
        assume: { status: [200], date: "Sun, 06 Nov 1994 08:49:37 GMT" }
  - id: answers-garbage
    title: A malformed If-None-Match gets a response
    steps:
      - id: garbage
        request:
          headers:
            If-None-Match: '"open'
        expect:
          - responds: true
            requirement: 9110-13.1.2-evaluate
      - id: after
)";

class ExecutorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto origin = ReferenceOrigin::start(OriginOptions{&clock_, faults_, "127.0.0.1", 0});
    ASSERT_TRUE(origin.ok()) << origin.error().message;
    origin_ = std::move(*origin);
    auto catalog = parse_catalog(kCatalog, "requirements.yaml");
    ASSERT_TRUE(catalog.ok()) << render(catalog.error());
    suite_.requirements = *catalog;
    auto scenarios = parse_case_file(kCases, "cases.yaml", suite_.requirements, nullptr);
    ASSERT_TRUE(scenarios.ok()) << render(scenarios.error());
    suite_.scenarios = *scenarios;
  }

  TargetConfig target(const std::string& path) {
    TargetConfig t;
    t.url = *parse_url(origin_->base_url() + path);
    t.client.deadline = std::chrono::milliseconds{2000};
    return t;
  }

  FixedClock clock_{Seconds{std::chrono::sys_days{std::chrono::year{2026} / 11 / 22}}};
  std::set<std::string> faults_;
  std::unique_ptr<ReferenceOrigin> origin_;
  Suite suite_;
};

TEST_F(ExecutorTest, DiscoveryLearnsTheFactsOfEachResource) {
  auto strong = discover(target("/strong"), clock_.now());
  EXPECT_FALSE(strong.unusable);
  EXPECT_EQ(
      strong.facts,
      (Facts{"etag", "gzip", "gzip-distinct-etags", "if-match", "if-match-evaluated",
             "if-modified-since", "if-none-match", "if-none-match-evaluated", "if-none-match-star",
             "if-unmodified-since", "last-modified", "missing-404", "old-last-modified",
             "partial-content", "ranges", "same-content", "stable", "strong-etag"}));
  // The weak resource serves ranges too, but only /strong has a gzip variant.
  auto weak = discover(target("/weak"), clock_.now());
  EXPECT_EQ(weak.facts,
            (Facts{"etag", "if-match", "if-match-evaluated", "if-modified-since", "if-none-match",
                   "if-none-match-evaluated", "if-none-match-star", "if-unmodified-since",
                   "last-modified", "missing-404", "old-last-modified", "partial-content", "ranges",
                   "same-content", "stable", "weak-etag"}));
  auto plain = discover(target("/plain"), clock_.now());
  EXPECT_EQ(plain.facts, (Facts{"if-match-evaluated", "if-none-match-evaluated",
                                "if-none-match-star", "missing-404", "no-etag", "no-last-modified",
                                "no-ranges", "same-content", "stable"}));
  // /dated: dates and ranges without a tag; If-Match with a made-up tag is
  // still evaluated.
  auto dated = discover(target("/dated"), clock_.now());
  EXPECT_EQ(
      dated.facts,
      (Facts{"if-match-evaluated", "if-modified-since", "if-none-match-evaluated",
             "if-none-match-star", "if-unmodified-since", "last-modified", "missing-404", "no-etag",
             "old-last-modified", "partial-content", "ranges", "same-content", "stable"}));
  // /generated: new content with a new tag on every GET.
  auto generated = discover(target("/generated"), clock_.now());
  EXPECT_EQ(generated.facts, (Facts{"etag", "etag-follows-content", "if-match-evaluated",
                                    "if-none-match-evaluated", "if-none-match-star", "missing-404",
                                    "no-last-modified", "no-ranges", "strong-etag"}));
}

TEST_F(ExecutorTest, DiscoveryStopsAtATargetThatIsNotA200) {
  auto missing = discover(target("/nothing-here"), clock_.now());
  ASSERT_TRUE(missing.unusable);
  EXPECT_EQ(*missing.unusable,
            "GET " + origin_->base_url() +
                "/nothing-here answered 404 Not Found; condspec needs a URL whose GET answers 200 "
                "(give the URL of an existing resource)");
  EXPECT_EQ(missing.records.size(), 1u);
}

TEST_F(ExecutorTest, PassingScenarioKeepsEveryExchangeIncludingTheFollowUp) {
  auto t = target("/strong");
  auto d = discover(t, clock_.now());
  ScenarioEnv env{suite_, t, d.facts, clock_};
  auto result = run_scenario(*suite_.scenario("exact-tag"), env);
  EXPECT_EQ(result.outcome, Outcome::pass) << result.reason;
  ASSERT_EQ(result.checks.size(), 2u);
  ASSERT_EQ(result.exchanges.size(), 3u);
  EXPECT_FALSE(result.exchanges[1].follow_up);
  EXPECT_TRUE(result.exchanges[2].follow_up);  // proves nothing followed the 304
  EXPECT_TRUE(result.exchanges[1].exchange.stray_checked);
  EXPECT_TRUE(result.exchanges[1].exchange.stray_bytes.empty());
}

TEST_F(ExecutorTest, NotApplicableNamesTheMostBasicMissingFact) {
  Facts facts{"etag"};
  EXPECT_EQ(not_applicable_reason(*suite_.scenario("needs-a-date"), facts),
            "the target sends no valid Last-Modified");
  facts.insert("last-modified");
  EXPECT_EQ(not_applicable_reason(*suite_.scenario("needs-a-date"), facts),
            "the target's content changed between two GETs (it is generated per request)");
  facts.insert({"same-content", "stable"});
  EXPECT_EQ(not_applicable_reason(*suite_.scenario("needs-a-date"), facts),
            "the target does not evaluate If-Modified-Since (a SHOULD, judged separately)");
}

TEST_F(ExecutorTest, AFailedControlStepIsNotAVerdict) {
  auto t = target("/strong");
  ScenarioEnv env{suite_, t, Facts{}, clock_};
  auto result = run_scenario(*suite_.scenario("control-fails"), env);
  EXPECT_EQ(result.outcome, Outcome::not_applicable);
  EXPECT_EQ(result.reason, "step 'first' answered 200 OK; the scenario needs 304 to go on");
}

TEST_F(ExecutorTest, AssumedDateMustBeTheSecondOfTheResponse) {
  auto t = target("/strong");
  ScenarioEnv env{suite_, t, Facts{}, clock_};
  EXPECT_EQ(run_scenario(*suite_.scenario("same-second"), env).outcome, Outcome::pass);
  auto result = run_scenario(*suite_.scenario("another-second"), env);
  EXPECT_EQ(result.outcome, Outcome::not_applicable);
  EXPECT_EQ(result.reason,
            "step 'first' has Date Sun, 22 Nov 2026 00:00:00 GMT, not Sun, 06 Nov 1994 08:49:37 "
            "GMT; the scenario needs that second (so in each of 3 attempts)");
  // Every attempt's exchange is kept, the earlier ones marked.
  ASSERT_EQ(result.exchanges.size(), 3u);
  EXPECT_EQ(result.exchanges[0].missed_attempt, 1);
  EXPECT_EQ(result.exchanges[1].missed_attempt, 2);
  EXPECT_EQ(result.exchanges[2].missed_attempt, 0);
}

// Two changes within one second (RFC 9110 8.8.2.2) are asked of the
// resource's Last-Modified, and a scenario that cannot go on says why in its
// own words.
TEST_F(ExecutorTest, AssumedLastModifiedMustBeTheSecondNamedAndSaysTheScenariosReason) {
  auto t = target("/strong");
  ScenarioEnv env{suite_, t, Facts{}, clock_};
  auto same = run_scenario(*suite_.scenario("last-modified-of-that-second"), env);
  EXPECT_EQ(same.outcome, Outcome::pass) << same.reason;
  auto result = run_scenario(*suite_.scenario("last-modified-of-another-second"), env);
  EXPECT_EQ(result.outcome, Outcome::not_applicable);
  EXPECT_EQ(result.reason,
            "step 'first' has Last-Modified Sat, 15 Jun 2024 10:00:00 GMT, not Sun, 06 Nov 1994 "
            "08:49:37 GMT: the two writes did not change the resource within one second (so in "
            "each of 3 attempts)");
}

// A server whose answers carry the Dates given, one per request in the
// order they come, whatever the connection; the last is repeated.
class DatedAnswers {
 public:
  DatedAnswers(std::vector<std::string> dates, std::chrono::milliseconds delay = {})
      : server_([this, dates = std::move(dates), delay](wire_testing::Peer& peer, int) {
          while (!peer.read_request().empty()) {
            const size_t n = requests_++;
            std::this_thread::sleep_for(delay);
            const std::string& date = dates[std::min(n, dates.size() - 1)];
            if (!peer.write("HTTP/1.1 200 OK\r\nDate: " + date + "\r\nContent-Length: 2\r\n\r\nok"))
              return;
          }
        }) {}

  // Runs one scenario of `suite` against this server, as a cache when
  // `cache` is given.
  ScenarioResult run(const Suite& suite, const Clock& clock, std::string_view scenario,
                     std::optional<CacheTarget> cache = {}) const {
    TargetConfig t;
    t.url = server_.url("/");
    t.client.deadline = std::chrono::milliseconds{3000};
    t.cache = std::move(cache);
    ScenarioEnv env{suite, t, Facts{}, clock};
    return run_scenario(*suite.scenario(scenario), env);
  }
  size_t requests() const { return requests_; }

 private:
  std::atomic<size_t> requests_{0};
  wire_testing::ScriptedServer server_;
};

// Two answers meant to share a second miss it whenever a second ends between
// them; the scenario runs again from its first step and is judged on the
// attempt that got them within one second. The first attempt's exchanges
// stay in the result, marked, since they were sent.
TEST_F(ExecutorTest, AScenarioThatMissedItsSecondIsRunAgain) {
  DatedAnswers server({"Sun, 22 Nov 2026 00:00:00 GMT", "Sun, 22 Nov 2026 00:00:01 GMT",
                       "Sun, 22 Nov 2026 00:00:02 GMT"});
  auto result = server.run(suite_, clock_, "same-second");
  EXPECT_EQ(result.outcome, Outcome::pass) << result.reason;
  EXPECT_EQ(server.requests(), 4u);
  // The first attempt's exchanges come first, marked; the checks judged the
  // second's.
  ASSERT_EQ(result.exchanges.size(), 4u);
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(result.exchanges[i].missed_attempt, i < 2 ? 1 : 0) << i;
  ASSERT_TRUE(result.exchanges[2].exchange.response);
  EXPECT_EQ(result.exchanges[2].exchange.response->fields.combined("Date"),
            "Sun, 22 Nov 2026 00:00:02 GMT");
  ASSERT_EQ(result.checks.size(), 1u);
  EXPECT_EQ(result.checks[0].outcome, Outcome::pass);
}

// Over a link so slow that one attempt takes a second, no attempt could get
// two answers within one: the scenario is not run again.
TEST_F(ExecutorTest, AnAttemptThatTookASecondIsNotRunAgain) {
  DatedAnswers server({"Sun, 22 Nov 2026 00:00:00 GMT", "Sun, 22 Nov 2026 00:00:01 GMT"},
                      std::chrono::milliseconds{600});
  auto result = server.run(suite_, clock_, "same-second");
  EXPECT_EQ(result.outcome, Outcome::not_applicable);
  EXPECT_EQ(result.reason,
            "step 'again' has Date Sun, 22 Nov 2026 00:00:01 GMT, not Sun, 22 Nov 2026 00:00:00 "
            "GMT; the scenario needs that second");
  EXPECT_EQ(server.requests(), 2u);
}

// A cache still holds what the first attempt stored, so a cache scenario is
// not run again.
TEST_F(ExecutorTest, ACacheScenarioThatMissedItsSecondIsNotRunAgain) {
  auto origin = InstrumentedOrigin::start({});
  ASSERT_TRUE(origin.ok()) << origin.error().message;
  DatedAnswers cache({"Sun, 22 Nov 2026 00:00:00 GMT"});
  auto result = cache.run(suite_, clock_, "cache-another-second",
                          CacheTarget{origin->get(), "h1", std::chrono::milliseconds{0}});
  EXPECT_EQ(result.outcome, Outcome::not_applicable);
  EXPECT_EQ(result.reason,
            "step 'first' has Date Sun, 22 Nov 2026 00:00:00 GMT, not Sun, 06 Nov 1994 08:49:37 "
            "GMT; the scenario needs that second");
  EXPECT_EQ(cache.requests(), 1u);
}

TEST_F(ExecutorTest, AFailureSeenBeforeTheScenarioIsCutShortStaysAFailure) {
  auto t = target("/strong");
  auto d = discover(t, clock_.now());
  ScenarioEnv env{suite_, t, d.facts, clock_};
  auto result = run_scenario(*suite_.scenario("fail-then-cut-short"), env);
  EXPECT_EQ(result.outcome, Outcome::fail);
  EXPECT_EQ(result.reason, "step 'later': step 'first' sent no X-Not-Sent");
}

TEST_F(ExecutorTest, AnExchangeThatFailsIsAnErrorWithTheEvidence) {
  auto t = target("/strong");
  t.url.port = 1;  // nothing listens there
  ScenarioEnv env{suite_, t, Facts{"strong-etag"}, clock_};
  auto result = run_scenario(*suite_.scenario("exact-tag"), env);
  EXPECT_EQ(result.outcome, Outcome::error);
  EXPECT_EQ(result.reason, "step 'first': connect to 127.0.0.1:1: connection refused");
  ASSERT_EQ(result.exchanges.size(), 1u);
  EXPECT_FALSE(result.exchanges[0].exchange.request_bytes.empty());
}

TEST_F(ExecutorTest, ARespondsCheckOnAnUnreachableTargetIsStillAnError) {
  auto t = target("/strong");
  t.url.port = 1;  // refused: nothing the server did
  ScenarioEnv env{suite_, t, Facts{}, clock_};
  auto result = run_scenario(*suite_.scenario("answers-garbage"), env);
  EXPECT_EQ(result.outcome, Outcome::error);
  EXPECT_TRUE(result.checks.empty());
}

class DroppingExecutorTest : public ExecutorTest {
 protected:
  DroppingExecutorTest() { faults_ = {"inm-unbalanced-quote-drops"}; }
};

TEST_F(DroppingExecutorTest, ADroppedRequestIsJudgedByARespondsCheckAndEndsTheScenario) {
  auto t = target("/strong");
  ScenarioEnv env{suite_, t, Facts{}, clock_};
  auto result = run_scenario(*suite_.scenario("answers-garbage"), env);
  EXPECT_EQ(result.outcome, Outcome::fail);
  EXPECT_EQ(result.reason, "step 'garbage': connection closed without a response");
  ASSERT_EQ(result.checks.size(), 1u);
  EXPECT_EQ(result.checks[0].actual, "connection closed without a response");
  ASSERT_EQ(result.exchanges.size(), 1u);  // step 'after' is never sent
}

class FaultyExecutorTest : public ExecutorTest {
 protected:
  FaultyExecutorTest() { faults_ = {"body-after-304"}; }
};

TEST_F(FaultyExecutorTest, ContentAfterA304IsCaughtByTheFollowUp) {
  auto t = target("/strong");
  auto d = discover(t, clock_.now());
  ScenarioEnv env{suite_, t, d.facts, clock_};
  auto result = run_scenario(*suite_.scenario("exact-tag"), env);
  EXPECT_EQ(result.outcome, Outcome::fail);
  ASSERT_EQ(result.checks.size(), 2u);
  EXPECT_EQ(result.checks[0].outcome, Outcome::pass);
  EXPECT_EQ(result.checks[1].requirement, "9110-15.4.5-no-content");
  EXPECT_EQ(result.checks[1].outcome, Outcome::fail);
  EXPECT_FALSE(result.exchanges[1].exchange.stray_bytes.empty());
}

TEST_F(ExecutorTest, ARunJudgesEachTargetOverItsProtocol) {
  // One URL, two targets: over HTTP/1.1, and over cleartext HTTP/2, which
  // the reference origin does not speak.
  TargetConfig over_http1 = target("/strong");
  TargetConfig over_h2c = target("/strong");
  over_h2c.client.protocol = Protocol::h2c;
  RunPlan plan;
  plan.targets = {over_http1, over_h2c};
  plan.selection.select = {"exact-tag"};
  RunResult run = run_suite(suite_, plan, clock_);
  ASSERT_EQ(run.targets.size(), 2u);
  EXPECT_EQ(run.targets[0].url, run.targets[1].url);
  EXPECT_EQ(run.targets[0].protocol, Protocol::http1_1);
  EXPECT_EQ(run.targets[1].protocol, Protocol::h2c);
  EXPECT_FALSE(run.targets[0].unusable);
  ASSERT_EQ(run.targets[0].results.size(), 1u);
  EXPECT_EQ(run.targets[0].results[0].outcome, Outcome::pass);
  ASSERT_TRUE(run.targets[1].unusable);
  EXPECT_EQ(*run.targets[1].unusable,
            "the first request to " + run.targets[1].url +
                " failed: the server answered the HTTP/2 connection preface with HTTP/1 "
                "('HTTP/1.1 400 Bad Request'): it does not speak HTTP/2 over cleartext with prior "
                "knowledge (h2c) on this port");
  // Its evidence: what was sent and the frames.
  ASSERT_EQ(run.targets[1].discovery.size(), 1u);
  EXPECT_FALSE(run.targets[1].discovery[0].exchange.frames.empty());
}

}  // namespace
}  // namespace condspec
