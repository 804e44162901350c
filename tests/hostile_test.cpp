// condspec against servers that misbehave at the byte level: it must end on
// its own within a bound derived from --timeout, exit 3 (nothing could be
// judged), report `error` with the bytes it saw rather than a verdict, and
// stay under 256 MB.

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "tests/hostile_server.h"
#include "tests/process.h"

namespace condspec::test {
namespace {

class Hostile : public ::testing::TestWithParam<Hostility> {};

TEST_P(Hostile, EndsOnItsOwnWithAnErrorAndTheBytesSeen) {
  HostileServer server(GetParam());
  const bool tls = GetParam() == Hostility::not_tls;
  const std::string url =
      (tls ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(server.port()) + "/";
  constexpr int kTimeoutSeconds = 2;
  auto [r, report] = run_with_json_report({"--timeout", std::to_string(kTimeoutSeconds), url});

  // One exchange is bounded by --timeout; discovery stops at the first one
  // that fails, so the whole run needs little more than that.
  EXPECT_LT(r.elapsed.count(), (2 * kTimeoutSeconds + 3) * 1000) << r.out;
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_LT(r.max_rss_kib, memory_bound_kib(256 * 1024))
      << "peak memory " << r.max_rss_kib << " KiB";
  EXPECT_NE(r.out.find("not judged: 1 target could not be used"), std::string::npos) << r.out;

  ASSERT_FALSE(report.empty()) << r.err;
  auto json = nlohmann::json::parse(report);
  const auto& target = json["targets"][0];
  ASSERT_FALSE(target["unusable"].is_null()) << report.substr(0, 2000);
  EXPECT_TRUE(target["results"].empty());
  EXPECT_EQ(json["totals"]["pass"], 0);
  EXPECT_EQ(json["totals"]["fail"], 0);
  const auto& first = target["discovery"][0];
  // The evidence: what the server sent, as far as it sent anything.
  if (GetParam() != Hostility::silent) {
    const bool has_bytes =
        (first.contains("received") && !first["received"].get<std::string>().empty()) ||
        (first.contains("response_head") && !first["response_head"].is_null());
    EXPECT_TRUE(has_bytes) << first.dump();
  }
}

INSTANTIATE_TEST_SUITE_P(EveryMisbehaviour, Hostile, ::testing::ValuesIn(all_hostilities()),
                         [](const auto& info) { return to_string(info.param); });

}  // namespace
}  // namespace condspec::test

namespace condspec::test {
namespace {

// RFC 9112 6.1 allows Transfer-Encoding in a 304 (9112-6.1-te-in-304, a
// permission no scenario judges): a 304 carrying it, with nothing after the
// header section, must pass the 304 scenarios rather than be read as
// announcing content.
TEST(AllowedFraming, A304WithTransferEncodingAndNoContentPasses) {
  HostileServer server(Hostility::te_in_304);
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
  auto [r, report] = run_with_json_report({"--timeout", "2", "--select", "not-modified-get-fields",
                                           "--select", "not-modified-head-fields", url});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  ASSERT_FALSE(report.empty()) << r.err;
  auto json = nlohmann::json::parse(report);
  std::map<std::string, std::string> outcomes;
  for (const auto& result : json["targets"][0]["results"])
    outcomes[result["scenario"].get<std::string>()] = result["outcome"].get<std::string>();
  EXPECT_EQ(outcomes, (std::map<std::string, std::string>{{"not-modified-get-fields", "pass"},
                                                          {"not-modified-head-fields", "pass"}}))
      << r.out;
}

}  // namespace
}  // namespace condspec::test

namespace condspec::test {
namespace {

// One deadline per exchange, checked before every read: bytes that keep
// coming cannot stretch --timeout, and the error says how long the exchange
// really took. The first exchange (discovery's) is the one that fails.
TEST(HostileDeadline, BytesThatKeepComingEndAtTheDeadlineWithTheRealTime) {
  HostileServer server(Hostility::endless_chunk_extensions);
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
  constexpr int kTimeoutSeconds = 1;
  auto [r, report] = run_with_json_report({"--timeout", std::to_string(kTimeoutSeconds), url});
  EXPECT_LT(r.elapsed.count(), (2 * kTimeoutSeconds + 3) * 1000) << r.out;
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_LT(r.max_rss_kib, memory_bound_kib(256 * 1024))
      << "peak memory " << r.max_rss_kib << " KiB";
  ASSERT_FALSE(report.empty()) << r.err;
  const auto first = nlohmann::json::parse(report)["targets"][0]["discovery"][0];
  const std::string error = first["error"].get<std::string>();
  std::smatch match;
  ASSERT_TRUE(std::regex_match(
      error, match,
      std::regex(R"(timed out after (\d+) ms waiting for the content \((\d+) bytes received\))")))
      << error;
  // The time named is the exchange's own: the deadline, and a little more.
  const long long named_ms = std::stoll(match[1]);
  EXPECT_GE(named_ms, kTimeoutSeconds * 1000);
  EXPECT_LE(named_ms, first["elapsed_ms"].get<double>());
  EXPECT_LT(first["elapsed_ms"].get<double>(), 2 * kTimeoutSeconds * 1000);
  // Every byte counted, the first 64 KiB kept as evidence.
  EXPECT_GT(std::stoll(match[2]), 64 * 1024);
  const std::string received = first["received"].get<std::string>();
  EXPECT_EQ(received.size(), 64u * 1024);
  EXPECT_TRUE(received.starts_with("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;eee"));
}

// Interim responses count across the exchange: their number and their
// total size are capped, so an endless stream of them ends quickly.
TEST(HostileDeadline, EndlessInterimResponsesEndAtTheirCap) {
  HostileServer server(Hostility::interim_flood);
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
  auto [r, report] = run_with_json_report({"--timeout", "10", url});
  EXPECT_LT(r.elapsed.count(), 3000) << r.out;  // long before the deadline
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_LT(r.max_rss_kib, memory_bound_kib(256 * 1024))
      << "peak memory " << r.max_rss_kib << " KiB";
  ASSERT_FALSE(report.empty()) << r.err;
  const auto first = nlohmann::json::parse(report)["targets"][0]["discovery"][0];
  EXPECT_EQ(first["error"], "interim (1xx) responses exceed 65536 bytes");
  const std::string received = first["received"].get<std::string>();
  EXPECT_LE(received.size(), 64u * 1024);
  EXPECT_TRUE(received.starts_with("HTTP/1.1 100 Continue\r\nX-0: v\r\n"));
}

}  // namespace
}  // namespace condspec::test

namespace condspec::test {
namespace {

// A response whose head came whole but whose content the server cut short
// (Content-Length: 4096, then the connection closes with none of it), as
// Jetty answers a Range in a unit it does not know (real-server
// disagreement D13). What the head alone shows is judged; the content
// checks say it was cut short; and the scenario is never a pass.
struct CutShortRun {
  int exit_code = 0;
  std::string outcome, reason;
  std::map<std::string, std::string> check_outcomes;  // by check kind's expected text
  std::map<std::string, std::string> check_messages;
  std::string out;
  std::chrono::milliseconds elapsed{0};
  long max_rss_kib = 0;
};

CutShortRun run_unknown_unit_scenario(Hostility mode) {
  HostileServer server(mode);
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
  auto [r, report] =
      run_with_json_report({"--timeout", "2", "--select", "range-unknown-unit-ignored", url});
  CutShortRun run{r.exit_code, "", "", {}, {}, r.out + r.err, r.elapsed, r.max_rss_kib};
  if (report.empty()) return run;
  auto json = nlohmann::json::parse(report);
  for (const auto& result : json["targets"][0]["results"]) {
    run.outcome = result["outcome"].get<std::string>();
    run.reason = result.value("reason", "");
    for (const auto& check : result["checks"]) {
      const std::string expected = check["expected"].get<std::string>();
      run.check_outcomes[expected] = check["outcome"].get<std::string>();
      run.check_messages[expected] = check.value("message", "");
    }
  }
  return run;
}

// The bounds every hostile server is held to (--timeout 2 here).
void expect_bounded(const CutShortRun& run) {
  EXPECT_LT(run.elapsed.count(), (2 * 2 + 3) * 1000) << run.out;
  EXPECT_LT(run.max_rss_kib, memory_bound_kib(256 * 1024))
      << "peak memory " << run.max_rss_kib << " KiB";
}

TEST(CutShortContent, A416ToAnUnknownUnitIsJudgedOnItsHead) {
  const auto run = run_unknown_unit_scenario(Hostility::unknown_unit_cut_short_416);
  expect_bounded(run);
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_EQ(run.outcome, "fail") << run.out;
  EXPECT_EQ(run.reason, "step 'fetch': connection closed after 0 of 4096 content bytes");
  EXPECT_EQ(run.check_outcomes, (std::map<std::string, std::string>{
                                    {"status 200", "fail"}, {"the whole content", "error"}}))
      << run.out;
  EXPECT_EQ(run.check_messages.at("the whole content"),
            "Step 'fetch' got a response cut short (connection closed after 0 of 4096 content "
            "bytes), so its content cannot be judged.");
}

TEST(CutShortContent, A200WhoseContentIsCutShortIsNeverAPass) {
  const auto run = run_unknown_unit_scenario(Hostility::unknown_unit_cut_short_200);
  expect_bounded(run);
  EXPECT_EQ(run.exit_code, 3) << run.out;
  EXPECT_EQ(run.outcome, "error") << run.out;
  EXPECT_EQ(run.reason, "step 'fetch': connection closed after 0 of 4096 content bytes");
  EXPECT_EQ(run.check_outcomes, (std::map<std::string, std::string>{
                                    {"status 200", "pass"}, {"the whole content", "error"}}))
      << run.out;
}

}  // namespace
}  // namespace condspec::test
