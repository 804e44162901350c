// `condspec cache` against real caches (Varnish, Squid, nginx proxy_cache,
// Apache httpd's mod_cache), each started by scripts/real-caches.sh on
// 127.0.0.1 in front of the origin the run opens: condspec's verdict on every
// requirement must be the one recorded, with its justification, in
// tests/real-caches/<name>.yaml, and two consecutive runs against the same,
// now warm, cache must agree.
//
// A cache that is not installed is skipped with a message, unless it is
// named in CONDSPEC_REQUIRE_REAL_SERVERS (space-separated, or "all").

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "tests/process.h"
#include "tests/real_server_verdicts.h"
#include "tests/server_scripts.h"
#include "tests/test_files.h"

namespace condspec::test {
namespace {

const std::string kSource = CONDSPEC_SOURCE_DIR;
constexpr std::chrono::seconds kScriptBound{60};

class RealCache : public ::testing::TestWithParam<std::string> {
 protected:
  // The cache's run dir (pid file, config, logs) is this test process's own,
  // so that two test runs at once (two checkouts, two ctest jobs) never
  // remove or stop each other's cache.
  void SetUp() override {
    dir_ = fresh_test_dir("RealCache", GetParam());
    script_ = "env CONDSPEC_REAL_RUN=" + (dir_ / "run").string() + " bash " + kSource +
              "/scripts/real-caches.sh";
  }
  void TearDown() override {
    if (started_) shell(script_ + " stop " + GetParam(), kScriptBound);
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  std::string script_;
  bool started_ = false;
};

TEST_P(RealCache, VerdictsMatchTheRecordedOnesTwiceInARow) {
  const std::string name = GetParam();
  const auto available = shell(script_ + " available " + name, kScriptBound);
  if (available.code != 0) {
    if (required(name)) FAIL() << name << " is not installed (scripts/real-caches.sh install)";
    GTEST_SKIP() << name << " is not installed: skipped (scripts/real-caches.sh install " << name
                 << ")";
  }
  const std::string file = "tests/real-caches/" + name + ".yaml";
  auto expected = expected_from_yaml(kSource + "/" + file);
  ASSERT_TRUE(expected.ok()) << expected.error().message;
  const int port = free_port();
  const int origin_port = free_port();
  auto started = shell(
      script_ + " start " + name + " " + std::to_string(port) + " " + std::to_string(origin_port),
      kScriptBound);
  ASSERT_EQ(started.code, 0) << started.out;
  started_ = true;
  std::map<std::string, std::string> first_run;
  std::vector<std::string> args{"http://127.0.0.1:" + std::to_string(port) + "/", "--origin-listen",
                                "127.0.0.1:" + std::to_string(origin_port), "--fail-on", "never"};
  // What this cache needs of condspec (Varnish: a longer --settle).
  std::istringstream options(shell(script_ + " options " + name, kScriptBound).out);
  for (std::string option; options >> option;) args.push_back(option);
  for (int run = 0; run < 2; ++run) {
    auto reported = run_with_json_report(args, "cache");
    auto observed = observed_from_json(reported.json);
    ASSERT_TRUE(observed.ok()) << reported.completed.out << reported.completed.err;
    const auto comparison = compare(*expected, *observed, file);
    for (const auto& mismatch : comparison.mismatches)
      ADD_FAILURE() << "run " << run + 1 << ": " << mismatch;
    std::map<std::string, std::string> verdicts;
    for (const auto& [id, verdict] : observed->verdicts) verdicts[id] = verdict.outcome;
    if (run == 0)
      first_run = verdicts;
    else
      EXPECT_EQ(verdicts, first_run) << "the second run against the warm cache disagrees";
  }
}

INSTANTIATE_TEST_SUITE_P(, RealCache,
                         ::testing::Values("varnish", "squid", "nginx-cache", "apache2-cache"),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name)
                             if (c == '-') c = '_';
                           return name;
                         });

}  // namespace
}  // namespace condspec::test
