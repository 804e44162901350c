// Proof that the cache cases can fail and can pass: `condspec cache` against
// the reference cache (src/origin/reference_cache.h), clean and with each of
// its faults. Each fault breaks exactly its requirement; the clean cache
// passes every cache scenario, with the same verdicts run after run against
// the same warm cache; every cache scenario fails under some fault. Also the
// bad inputs of the cache command: each a clear message and exit 3, bounded.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "src/http/wire_client.h"
#include "src/origin/reference_cache.h"
#include "src/origin/reference_origin.h"
#include "tests/hostile_server.h"
#include "tests/process.h"
#include "tests/server_scripts.h"
#include "tests/test_files.h"

namespace condspec::test {
namespace {

struct CacheRun {
  Completed completed;
  std::map<std::string, std::string> outcome_by_scenario;
  std::set<std::string> broken;  // requirements with a fail, warn or info
  std::set<std::string> errors;  // scenarios ended in error
  // How the cache handled each broken origin: "kind: detail".
  std::map<std::string, std::string> handling_by_scenario;
};

CacheRun read_run(const Reported& reported) {
  CacheRun run{reported.completed, {}, {}, {}, {}};
  auto json = nlohmann::json::parse(reported.json, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return run;
  for (const auto& target : json["targets"])
    for (const auto& result : target["results"]) {
      const auto scenario = result["scenario"].get<std::string>();
      run.outcome_by_scenario[scenario] = result["outcome"].get<std::string>();
      if (result["outcome"] == "error") run.errors.insert(scenario);
      if (result.contains("handling"))
        run.handling_by_scenario[scenario] = result["handling"]["kind"].get<std::string>() + ": " +
                                             result["handling"]["detail"].get<std::string>();
      for (const auto& check : result["checks"])
        if (check["outcome"] == "fail" || check["outcome"] == "warn" || check["outcome"] == "info")
          run.broken.insert(check["requirement"].get<std::string>());
    }
  return run;
}

// `condspec cache` against a reference cache with these faults, the cache
// started in this process in front of the run's origin port.
CacheRun run_against_cache(const std::set<std::string>& faults) {
  const int origin_port = free_port();
  auto cache = ReferenceCache::start(
      {.upstream = "http://127.0.0.1:" + std::to_string(origin_port), .faults = faults});
  EXPECT_TRUE(cache) << (cache ? "" : cache.error().message);
  if (!cache) return {};
  return read_run(run_with_json_report(
      {(*cache)->base_url() + "/", "--origin-listen", "127.0.0.1:" + std::to_string(origin_port)},
      "cache"));
}

std::vector<std::string> cache_fault_names() {
  std::vector<std::string> names;
  for (const auto& f : known_cache_faults()) names.emplace_back(f.name);
  return names;
}

// One test for the whole proof, so that the runs (each mostly waiting for
// responses to go stale, and at its end for the cache's kept-alive upstream
// connections to the origin to end) run side by side and ctest stays short:
// the clean cache's cold and warm runs one after the other, the fault runs
// beside them.
TEST(CacheProof, TheCleanCachePassesEverythingTheSameWayTwiceAndEachScenarioCanFail) {
  const int origin_port = free_port();
  auto cache =
      ReferenceCache::start({.upstream = "http://127.0.0.1:" + std::to_string(origin_port)});
  ASSERT_TRUE(cache);
  auto run_once = [&] {
    return read_run(run_with_json_report(
        {(*cache)->base_url() + "/", "--origin-listen", "127.0.0.1:" + std::to_string(origin_port)},
        "cache"));
  };
  const auto names = cache_fault_names();
  std::vector<CacheRun> under_fault(names.size());
  CacheRun cold, warm;
  std::atomic<size_t> next{0};
  {
    std::vector<std::jthread> workers;
    workers.emplace_back([&] {
      cold = run_once();
      // The same cache, now warm: each run asks for resources of its own.
      warm = run_once();
    });
    for (int w = 0; w < 7; ++w)
      workers.emplace_back([&] {
        for (size_t i = next++; i < names.size(); i = next++)
          under_fault[i] = run_against_cache({names[i]});
      });
  }
  ASSERT_FALSE(cold.outcome_by_scenario.empty()) << cold.completed.out << cold.completed.err;
  EXPECT_EQ(cold.completed.exit_code, 0) << cold.completed.out;
  std::set<std::string> never_failed;
  for (const auto& [scenario, outcome] : cold.outcome_by_scenario) {
    EXPECT_EQ(outcome, "pass") << scenario;
    never_failed.insert(scenario);
  }
  EXPECT_EQ(warm.outcome_by_scenario, cold.outcome_by_scenario);

  // Each fault breaks exactly its requirement (a fault that changes only
  // the handling breaks none), and every scenario fails (or warns) under
  // some fault.
  for (size_t i = 0; i < names.size(); ++i) {
    const CacheRun& run = under_fault[i];
    const std::string breaks(known_cache_faults()[i].breaks);
    EXPECT_EQ(run.broken, breaks.empty() ? std::set<std::string>{} : std::set<std::string>{breaks})
        << "under the fault " << names[i] << ":\n"
        << run.completed.out << run.completed.err;
    EXPECT_TRUE(run.errors.empty()) << names[i] << ":\n" << run.completed.out;
  }
  for (const auto& run : under_fault)
    for (const auto& [scenario, outcome] : run.outcome_by_scenario)
      if (outcome == "fail" || outcome == "warn" || outcome == "info") never_failed.erase(scenario);
  for (const auto& scenario : never_failed)
    ADD_FAILURE() << scenario << " fails under no fault of the reference cache";

  // Every handling is seen produced (docs/cache.md): how the clean cache
  // and the faults that touch a broken origin handle it, by the start of
  // "kind: detail".
  auto handling = [&](const CacheRun& run, const std::string& scenario) {
    auto it = run.handling_by_scenario.find(scenario);
    return it == run.handling_by_scenario.end() ? std::string("(none)") : it->second;
  };
  auto under = [&](std::string_view fault) -> const CacheRun& {
    return under_fault[std::find(names.begin(), names.end(), fault) - names.begin()];
  };
  const std::string keeps = "cache-keeps-etag-a-304-leaves-out",
                    length = "cache-ignores-content-length-of-a-304",
                    stray_304 = "cache-304-after-a-304-with-content",
                    stray_next = "cache-not-damaged-by-content-after-a-304",
                    other_tag = "cache-304-other-etag-updates-nothing",
                    other_date = "cache-304-other-last-modified-updates-nothing";
  const std::vector<std::tuple<std::string, std::string, std::string>> expected = {
      {"", keeps, "repaired: step 'after' got ETag: \"v1\""},
      {"", length, "repaired: step 'after' got 62 bytes: "},
      {"", stray_304, "repaired: step 'revalidate' got no content"},
      {"", stray_next,
       "repaired: connection not reused: the bytes after the origin's 304 came on connection "},
      {"", other_tag,
       "refetched: after the origin's 304 at step 'freshened' the cache asked it again without "
       "conditionals at step 'freshened', and step 'after' got X-Condspec-Version: 1"},
      {"", other_date, "refetched: "},
      {"drop-fields-the-304-leaves-out", keeps, "passed-through: step 'after' got ETag absent"},
      {"content-length-from-304", length,
       "passed-through: step 'after' got 0 bytes:, Content-Length: 0 and 0 bytes of content, "
       "nothing after it"},
      {"content-length-field-from-304", length,
       "damaged: step 'after' got 0 bytes:, Content-Length: 0 and 0 bytes of content, then 62 "
       "bytes: "},
      {"content-after-its-304", stray_304, "passed-through: step 'revalidate' got 59 bytes after "},
      {"read-bytes-after-304-as-response", stray_next,
       "damaged: step 'next' got status 502; the "
       "cache sent the request of step 'next' on "
       "connection "},
      {"update-from-any-304", other_tag, "passed-through: step 'after' got X-Condspec-Version: 2"},
      {"update-from-any-304", other_date, "passed-through: step 'after' got X-Condspec-Version: 2"},
      {"refetch-after-broken-304", keeps, "refetched: "},
      {"refetch-after-broken-304", length, "refetched: "},
      {"reuse-connection-after-304", stray_next,
       "repaired: step 'next' got status 200; the cache sent the request of step 'next' on "
       "connection "},
  };
  // The 304s that leave out one field of the 200 (the origin's 304-drops-*):
  // kept by the clean cache, lost under drop-fields-the-304-leaves-out, and
  // not used under refetch-after-broken-304.
  const std::vector<std::pair<std::string, std::string>> kept_fields = {
      {"cache-keeps-cache-control-a-304-leaves-out", "Cache-Control: max-age=1"},
      {"cache-keeps-expires-a-304-leaves-out", "Expires: Fri, 01 Jan 2100 00:00:00 GMT"},
      {"cache-keeps-vary-a-304-leaves-out", "Vary: Accept-Language"},
      {"cache-keeps-content-location-a-304-leaves-out", "Content-Location: /documents/v1.txt"},
      {"cache-keeps-date-a-304-leaves-out", "Date: "},
  };
  for (const auto& [scenario, got] : kept_fields) {
    const std::string name = got.substr(0, got.find(':'));
    EXPECT_TRUE(handling(cold, scenario).starts_with("repaired: step 'after' got " + got))
        << scenario << ": " << handling(cold, scenario);
    EXPECT_TRUE(handling(under("drop-fields-the-304-leaves-out"), scenario)
                    .starts_with("passed-through: step 'after' got " + name + " absent"))
        << scenario << ": " << handling(under("drop-fields-the-304-leaves-out"), scenario);
    EXPECT_TRUE(handling(under("refetch-after-broken-304"), scenario).starts_with("refetched: "))
        << scenario << ": " << handling(under("refetch-after-broken-304"), scenario);
  }
  for (const auto& [fault, scenario, start] : expected) {
    const std::string seen = handling(fault.empty() ? cold : under(fault), scenario);
    EXPECT_TRUE(seen.starts_with(start))
        << scenario << " under " << (fault.empty() ? "no fault" : fault) << ": " << seen;
  }
  EXPECT_NE(handling(under("reuse-connection-after-304"), stray_next)
                .find(", the one the bytes after the origin's 304 came on"),
            std::string::npos);
  EXPECT_EQ(handling(warm, stray_next).substr(0, 40), handling(cold, stray_next).substr(0, 40));
}

// A 304 built from a stale stored response, without asking the origin, is a
// stale response too (RFC 9111 4.2.4): the reference cache's serve-stale
// answers the client's If-None-Match from its stale copy with Age: 2.
TEST(CacheProof, A304BuiltFromAStaleCopyIsJudgedStale) {
  const int origin_port = free_port();
  auto cache = ReferenceCache::start(
      {.upstream = "http://127.0.0.1:" + std::to_string(origin_port), .faults = {"serve-stale"}});
  ASSERT_TRUE(cache);
  const auto reported = run_with_json_report(
      {(*cache)->base_url() + "/", "--origin-listen", "127.0.0.1:" + std::to_string(origin_port),
       "--select", "cache-client-inm-stale-stored-tag-304"},
      "cache");
  auto json = nlohmann::json::parse(reported.json, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(json.is_discarded()) << reported.completed.out << reported.completed.err;
  std::map<std::string, std::string> outcome_by_requirement;
  std::string stale_actual;
  for (const auto& check : json["targets"][0]["results"][0]["checks"]) {
    outcome_by_requirement[check["requirement"].get<std::string>()] =
        check["outcome"].get<std::string>();
    if (check["requirement"] == "9111-4.2.4-no-stale-unpermitted")
      stale_actual = check["actual"].get<std::string>();
  }
  EXPECT_EQ(outcome_by_requirement,
            (std::map<std::string, std::string>{{"9111-4.3.2-answer-if-none-match", "pass"},
                                                {"9111-4.2.4-no-stale-unpermitted", "fail"}}));
  // The reference cache counts Age in whole seconds of its clock: the 2 s
  // pause and the settle after it read as 2 or 3 depending on where in a
  // second the run began. Either is above max-age=1, which is the finding.
  EXPECT_TRUE(stale_actual == "Age: 2, Cache-Control: max-age=1" ||
              stale_actual == "Age: 3, Cache-Control: max-age=1")
      << stale_actual;
  EXPECT_EQ(reported.completed.exit_code, 1) << reported.completed.out;
}

// Apache httpd's mod_cache after a 304 with Transfer-Encoding: chunked (real-
// cache disagreement D14), as the fault transfer-encoding-304-unchunked
// reproduces it: the revalidated response says chunked, its content is not
// chunks. Its head is judged, its content cannot be, and its framing fails
// the requirement: a fail, not an error.
TEST(CacheProof, ContentThatIsNotChunksAfterA304FailsTheFramingUpdate) {
  const int origin_port = free_port();
  auto cache = ReferenceCache::start({.upstream = "http://127.0.0.1:" + std::to_string(origin_port),
                                      .faults = {"transfer-encoding-304-unchunked"}});
  ASSERT_TRUE(cache);
  const auto reported = run_with_json_report(
      {(*cache)->base_url() + "/", "--origin-listen", "127.0.0.1:" + std::to_string(origin_port),
       "--select", "cache-304-transfer-encoding-not-copied"},
      "cache");
  auto json = nlohmann::json::parse(reported.json, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(json.is_discarded()) << reported.completed.out << reported.completed.err;
  const auto& result = json["targets"][0]["results"][0];
  EXPECT_EQ(result["outcome"], "fail") << reported.completed.out;
  EXPECT_EQ(result["reason"], "step 'freshened': invalid chunk size 'version 1'");
  std::map<std::string, std::string> outcome_by_expected, message_by_expected;
  for (const auto& check : result["checks"]) {
    if (check["step"] != "freshened") continue;
    outcome_by_expected[check["expected"].get<std::string>()] = check["outcome"].get<std::string>();
    message_by_expected[check["expected"].get<std::string>()] = check.value("message", "");
  }
  EXPECT_EQ(outcome_by_expected, (std::map<std::string, std::string>{
                                     {"at most one of Content-Length, Transfer-Encoding", "pass"},
                                     {"content framed as the head announces", "fail"},
                                     {"the whole content", "error"}}))
      << reported.completed.out;
  EXPECT_EQ(message_by_expected["content framed as the head announces"],
            "The 200 response says Transfer-Encoding: chunked, but its content is not in chunks "
            "(invalid chunk size 'version 1'), so no recipient can frame it.");
  EXPECT_EQ(message_by_expected["the whole content"],
            "Step 'freshened' got a response whose chunked content cannot be decoded (invalid "
            "chunk size 'version 1'), so its content cannot be judged.");
  EXPECT_EQ(reported.completed.exit_code, 1) << reported.completed.out;
}

// The cache's own 304s, to GET (If-None-Match, If-Modified-Since) and to
// HEAD, are judged on the representation metadata RFC 9110 15.4.5 says they
// should not repeat, as `run` judges an origin's: under the fault
// 304-with-content-type each of the three scenarios warns on its
// Content-Type and on nothing else, and a SHOULD NOT does not fail the
// default gate.
TEST(CacheProof, A304RepeatingTheStoredContentTypeIsAWarningInEachOfThe304FieldsScenarios) {
  const int origin_port = free_port();
  auto cache = ReferenceCache::start({.upstream = "http://127.0.0.1:" + std::to_string(origin_port),
                                      .faults = {"304-with-content-type"}});
  ASSERT_TRUE(cache);
  const auto reported = run_with_json_report(
      {(*cache)->base_url() + "/", "--origin-listen", "127.0.0.1:" + std::to_string(origin_port),
       "--select", "cache-client-inm-304-fields", "--select", "cache-client-ims-304-fields",
       "--select", "cache-client-inm-head-304-fields"},
      "cache");
  auto json = nlohmann::json::parse(reported.json, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(json.is_discarded()) << reported.completed.out << reported.completed.err;
  std::map<std::string, std::string> outcome_by_scenario;
  for (const auto& result : json["targets"][0]["results"]) {
    const auto scenario = result["scenario"].get<std::string>();
    outcome_by_scenario[scenario] = result["outcome"].get<std::string>();
    std::vector<nlohmann::json> not_passed;
    for (const auto& check : result["checks"])
      if (check["outcome"] != "pass") not_passed.push_back(check);
    ASSERT_EQ(not_passed.size(), 1u) << scenario << ": " << reported.completed.out;
    EXPECT_EQ(not_passed[0]["requirement"], "9110-15.4.5-minimal-metadata") << scenario;
    EXPECT_EQ(not_passed[0]["level"], "SHOULD NOT") << scenario;
    EXPECT_EQ(not_passed[0]["outcome"], "warn") << scenario;
    EXPECT_EQ(not_passed[0]["step"], "revalidate") << scenario;
    EXPECT_EQ(not_passed[0]["hop"], "client") << scenario;
    EXPECT_EQ(not_passed[0]["expected"], "Content-Type absent") << scenario;
    EXPECT_EQ(not_passed[0]["actual"], "Content-Type: text/plain") << scenario;
    EXPECT_EQ(not_passed[0]["message"],
              "The response carries Content-Type, which was expected to be absent.")
        << scenario;
  }
  EXPECT_EQ(outcome_by_scenario,
            (std::map<std::string, std::string>{{"cache-client-inm-304-fields", "warn"},
                                                {"cache-client-ims-304-fields", "warn"},
                                                {"cache-client-inm-head-304-fields", "warn"}}));
  EXPECT_EQ(reported.completed.exit_code, 0) << reported.completed.out;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A cache run writes the reports of `run` and takes its gate and baseline:
// a known failure, with its reason, no longer fails the gate.
TEST(CacheCommand, HasTheReportsGateAndBaselineOfRun) {
  const auto dir = fresh_test_dir("CacheCommand", "HasTheReportsGateAndBaselineOfRun");
  const int origin_port = free_port();
  auto cache = ReferenceCache::start(
      {.upstream = "http://127.0.0.1:" + std::to_string(origin_port), .faults = {"serve-stale"}});
  ASSERT_TRUE(cache);
  const std::string scenario = "cache-revalidates-stale-with-stored-etag";
  const std::vector<std::string> args{"cache",           (*cache)->base_url() + "/",
                                      "--origin-listen", "127.0.0.1:" + std::to_string(origin_port),
                                      "--select",        scenario};
  auto with = [&](std::vector<std::string> more) {
    std::vector<std::string> all = args;
    all.insert(all.end(), more.begin(), more.end());
    return all;
  };
  const auto failed = run_program(
      with({"-q", "--report", "json=" + (dir / "r.json").string(), "--report",
            "junit=" + (dir / "r.xml").string(), "--report", "markdown=" + (dir / "r.md").string(),
            "--report", "html=" + (dir / "r.html").string()}));
  EXPECT_EQ(failed.exit_code, 1) << failed.out << failed.err;
  EXPECT_TRUE(failed.out.ends_with("gate failed: 1 MUST-level failure (--fail-on must)\n"))
      << failed.out;
  EXPECT_NE(read_text(dir / "r.xml").find("<testcase name=\"" + scenario + "\""),
            std::string::npos);
  EXPECT_NE(read_text(dir / "r.md").find("(upstream: the cache to the origin)"), std::string::npos);
  EXPECT_NE(read_text(dir / "r.html").find("upstream: the cache to the origin"), std::string::npos);
  EXPECT_EQ(run_program(with({"--fail-on", "never", "-q"})).exit_code, 0);

  const auto written = run_program(
      {"baseline", "--from", (dir / "r.json").string(), "-o", (dir / "baseline.yaml").string()});
  ASSERT_EQ(written.exit_code, 0) << written.out << written.err;
  std::string baseline = read_text(dir / "baseline.yaml");
  const std::string placeholder = "TODO: say why this failure is accepted";
  ASSERT_NE(baseline.find(placeholder), std::string::npos) << baseline;
  baseline.replace(baseline.find(placeholder), placeholder.size(), "the test cache serves stale");
  std::ofstream(dir / "baseline.yaml") << baseline;
  const auto known = run_program(with({"--baseline", (dir / "baseline.yaml").string()}));
  EXPECT_EQ(known.exit_code, 0) << known.out << known.err;
  EXPECT_NE(known.out.find("         known failure (baseline): the test cache serves stale\n"),
            std::string::npos)
      << known.out;
  std::filesystem::remove_all(dir);
}

// --- Safety: the origin on a non-loopback address (a hosted CDN must reach
// it) serves only the run's prefix, only GET and HEAD there, and stops when
// the run ends (docs/cache.md, "Testing a hosted CDN") ---

Response plain_request(int port, const std::string& method, const std::string& target) {
  WireClient client(*parse_url("http://127.0.0.1:" + std::to_string(port)), {});
  Request request;
  request.method = method;
  request.target = target;
  if (method == "POST") request.fields.add("Content-Length", "0");
  Sent sent = client.send(request);
  EXPECT_TRUE(sent.exchange.ok()) << method << " " << target << ": " << sent.exchange.error;
  return sent.exchange.ok() ? *sent.exchange.response : Response{};
}

TEST(CacheCommand, AnOriginOnAnyAddressServesOnlyTheRunsPrefixAndStopsWhenTheRunEnds) {
  const int origin_port = free_port();
  auto cache =
      ReferenceCache::start({.upstream = "http://127.0.0.1:" + std::to_string(origin_port)});
  ASSERT_TRUE(cache);
  // One scenario with a two-second pause: the origin is probed meanwhile.
  const std::string scenario = "cache-client-inm-stale-stored-tag-304";
  Background run({"cache", (*cache)->base_url() + "/", "--origin-listen",
                  "0.0.0.0:" + std::to_string(origin_port), "--select", scenario});
  const std::string line = run.wait_for_line("Listening as the origin");
  const std::string before =
      "Listening as the origin behind the cache at http://0.0.0.0:" + std::to_string(origin_port) +
      "; this run's resources are under ";
  ASSERT_TRUE(line.starts_with(before)) << line;
  const std::string prefix = line.substr(before.size(), std::string("/c/").size() + 33);
  ASSERT_TRUE(prefix.starts_with("/c/") && prefix.ends_with("/")) << line;
  EXPECT_TRUE(line.ends_with(" (anything else there answers 404).")) << line;

  // Outside the prefix, or under another run's: 404.
  EXPECT_EQ(plain_request(origin_port, "GET", "/").status, 404);
  EXPECT_EQ(plain_request(origin_port, "GET", "/c/00000000000000000000000000000000/h1/" + scenario)
                .status,
            404);
  // Under the prefix, a resource no scenario scripted: 404, not to be stored.
  const Response unscripted = plain_request(origin_port, "GET", prefix + "h1/nothing-here");
  EXPECT_EQ(unscripted.status, 404);
  EXPECT_EQ(unscripted.fields.combined("Cache-Control").value_or(""), "no-store");
  // The scenario's own resource, once scripted, takes GET and HEAD only.
  int post_status = 0;
  for (int i = 0; i < 100 && post_status != 405; ++i) {
    post_status = plain_request(origin_port, "POST", prefix + "h1/" + scenario).status;
    if (post_status != 405) std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  EXPECT_EQ(post_status, 405);

  std::chrono::milliseconds took{0};
  EXPECT_EQ(run.signal_and_wait(0, std::chrono::seconds{30}, took), 0);
  // The run is over: nothing listens there any more.
  Request request;
  WireClient after(*parse_url("http://127.0.0.1:" + std::to_string(origin_port)), {});
  EXPECT_FALSE(after.send(request).exchange.ok());
}

// --- Bad input: a clear message and exit 3, within a bounded time ---

TEST(CacheCommand, AnUnreachableCacheIsExit3) {
  const int nobody = free_port();
  const std::string origin = "127.0.0.1:" + std::to_string(free_port());
  auto r = run_program(
      {"cache", "http://127.0.0.1:" + std::to_string(nobody) + "/", "--origin-listen", origin},
      std::chrono::seconds{30});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.out.find("\n  ERR  the first request to the cache at http://127.0.0.1:" +
                       std::to_string(nobody) + "/c/"),
            std::string::npos)
      << r.out;
  EXPECT_NE(
      r.out.find("/h1/condspec-probe failed: connect to 127.0.0.1:" + std::to_string(nobody) +
                 ": connection refused; the origin at http://" + origin + " received no request\n"),
      std::string::npos)
      << r.out;
  EXPECT_TRUE(r.out.ends_with("not judged: 1 target could not be used\n")) << r.out;
}

TEST(CacheCommand, ACacheThatNeverAnswersIsExit3WithinTheTimeout) {
  HostileServer silent(Hostility::silent);
  const std::string origin = "127.0.0.1:" + std::to_string(free_port());
  auto r = run_program({"cache", "http://127.0.0.1:" + std::to_string(silent.port()) + "/",
                        "--origin-listen", origin, "--timeout", "1"},
                       std::chrono::seconds{30});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_LT(r.elapsed, std::chrono::seconds{10});
  EXPECT_NE(r.out.find("/h1/condspec-probe failed: timed out after "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" waiting for the response head (0 bytes received); the origin at http://" +
                       origin + " received no request\n"),
            std::string::npos)
      << r.out;
}

TEST(CacheCommand, AnOriginPortInUseIsExit3) {
  SystemClock clock;
  auto taken = ReferenceOrigin::start(OriginOptions{&clock, {}, "127.0.0.1", 0});
  ASSERT_TRUE(taken);
  const std::string port = std::to_string((*taken)->port());
  auto r =
      run_program({"cache", "http://127.0.0.1:1/", "--origin-listen", "127.0.0.1:" + port, "-q"},
                  std::chrono::seconds{30});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_EQ(r.err, "condspec: cannot listen as the origin at 127.0.0.1:" + port +
                       ": cannot listen on 127.0.0.1:" + port + "\n");
}

TEST(CacheCommand, ACacheThatNeverReachesTheOriginIsExit3) {
  // A server that answers everything itself, as a cache whose upstream
  // points elsewhere would: the reference origin answers 404.
  SystemClock clock;
  auto elsewhere = ReferenceOrigin::start(OriginOptions{&clock, {}, "127.0.0.1", 0});
  ASSERT_TRUE(elsewhere);
  const std::string origin = "127.0.0.1:" + std::to_string(free_port());
  auto r = run_program({"cache", (*elsewhere)->base_url() + "/", "--origin-listen", origin},
                       std::chrono::seconds{30});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.out.find("but the origin at http://" + origin +
                       " received no request: the cache does not forward to this origin (set "
                       "its upstream, or backend, to http://" +
                       origin + ")"),
            std::string::npos)
      << r.out;
}

TEST(CacheCommand, AMalformedOriginListenIsAUsageError) {
  auto r = run_program({"cache", "http://127.0.0.1:1/", "--origin-listen", "8081"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "condspec: --origin-listen '8081': expected HOST:PORT, e.g. 127.0.0.1:8081 or "
            "0.0.0.0:8081\n");
}

TEST(CacheCommand, ExplainShowsTheOriginScriptThePauseAndTheUpstreamAssumptions) {
  auto r = run_program({"explain", "cache-304-updates-fields"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const char* line : {"\n  From step 'freshened' on, the origin answers 200:\n"
                           "      Cache-Control: max-age=1\n"
                           "      ETag: \"v1\"\n"
                           "      Content-Type: text/plain\n"
                           "      X-Condspec-Version: 2\n"
                           "\n  Waits 2000 ms (for a stored response to go stale).\n",
                           "    goes on only if the cache sent a validation request\n"})
    EXPECT_NE(r.out.find(line), std::string::npos) << line << "\nnot in:\n" << r.out;
}

TEST(CacheCommand, ExplainShowsTheFieldsOfTheOrigins304s) {
  auto r = run_program({"explain", "cache-304-other-etag-updates-nothing"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::string lines =
      "\n  From step 'freshened' on, the origin answers 200:\n"
      "      Cache-Control: max-age=1\n"
      "      ETag: \"v1\"\n"
      "      Content-Type: text/plain\n"
      "      X-Condspec-Version: 1\n"
      "    and its 304s carry exactly:\n"
      "      Cache-Control: max-age=3600\n"
      "      ETag: \"v2\"\n"
      "      X-Condspec-Version: 2\n";
  EXPECT_NE(r.out.find(lines), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\n  Run it: `condspec cache CACHE_URL --origin-listen HOST:PORT --select "
                       "cache-304-other-etag-updates-nothing --verbose`, the cache's upstream set "
                       "to HOST:PORT, where condspec answers as the origin scripted below.\n"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("Try it by hand"), std::string::npos) << r.out;
  EXPECT_TRUE(r.out.ends_with(
      "\n  Handling (beside the verdict), from the response of step 'after':\n"
      "    repaired when X-Condspec-Version equals 1 (refetched when, after the origin's "
      "304, the cache asked it again without conditionals)\n"
      "    passed-through when not, but X-Condspec-Version equals 2\n"
      "    damaged otherwise\n"))
      << r.out;
}

// The handling of the stray-bytes scenario also says which connection it
// looks at.
TEST(CacheExplain, SaysHowTheHandlingIsToldAndWhichConnectionItWatches) {
  const auto r = run_program({"explain", "cache-not-damaged-by-content-after-a-304"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.ends_with(
      "\n  Handling (beside the verdict), from the response of step 'next':\n"
      "    repaired when status is 200 (refetched when, after the origin's 304, the cache asked "
      "it again without conditionals)\n"
      "    damaged otherwise\n"
      "    and says whether the cache sent the request of step 'next' upstream on the "
      "connection the origin's 304 of step 'freshened' came on\n"))
      << r.out;
}

}  // namespace
}  // namespace condspec::test
