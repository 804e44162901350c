// Proof that the cache cases can fail and can pass: `condspec cache` against
// the reference cache (src/origin/reference_cache.h), clean and with each of
// its faults. Each fault breaks exactly its requirement; the clean cache
// passes every cache scenario, with the same verdicts run after run against
// the same warm cache; every cache scenario fails under some fault. Also the
// bad inputs of the cache command: each a clear message and exit 3, bounded.

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "src/origin/reference_cache.h"
#include "src/origin/reference_origin.h"
#include "tests/process.h"
#include "tests/server_scripts.h"

namespace condspec::test {
namespace {

struct CacheRun {
  Completed completed;
  std::map<std::string, std::string> outcome_by_scenario;
  std::set<std::string> broken;  // requirements with a fail, warn or info
  std::set<std::string> errors;  // scenarios ended in error
};

CacheRun read_run(const Reported& reported) {
  CacheRun run{reported.completed, {}, {}, {}};
  auto json = nlohmann::json::parse(reported.json, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return run;
  for (const auto& target : json["targets"])
    for (const auto& result : target["results"]) {
      const auto scenario = result["scenario"].get<std::string>();
      run.outcome_by_scenario[scenario] = result["outcome"].get<std::string>();
      if (result["outcome"] == "error") run.errors.insert(scenario);
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

  // Each fault breaks exactly its requirement, and every scenario fails (or
  // warns) under some fault.
  for (size_t i = 0; i < names.size(); ++i) {
    const CacheRun& run = under_fault[i];
    EXPECT_EQ(run.broken, std::set<std::string>{std::string(known_cache_faults()[i].breaks)})
        << "under the fault " << names[i] << ":\n"
        << run.completed.out << run.completed.err;
    EXPECT_TRUE(run.errors.empty()) << names[i] << ":\n" << run.completed.out;
  }
  for (const auto& run : under_fault)
    for (const auto& [scenario, outcome] : run.outcome_by_scenario)
      if (outcome == "fail" || outcome == "warn" || outcome == "info") never_failed.erase(scenario);
  for (const auto& scenario : never_failed)
    ADD_FAILURE() << scenario << " fails under no fault of the reference cache";
}

// --- Bad input: a clear message and exit 3, within a bounded time ---

TEST(CacheCommand, AnUnreachableCacheIsExit3) {
  const int nobody = free_port();
  auto r = run_program({"cache", "http://127.0.0.1:" + std::to_string(nobody) + "/",
                        "--origin-listen", "127.0.0.1:" + std::to_string(free_port())},
                       std::chrono::seconds{30});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.out.find("the first request to the cache at http://127.0.0.1:" +
                       std::to_string(nobody) + "/c/"),
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
}

}  // namespace
}  // namespace condspec::test
