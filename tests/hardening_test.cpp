// The promises of issue 13, "hardening against an adversary", end to end:
// the real program, run as CI runs it (often as root), against what an
// attacker controls: the server, the case files, the paths it writes to.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "reports/hostile_run_for_tests.h"
#include "tests/hostile_server.h"
#include "tests/process.h"

namespace condspec::test {
namespace {

// Credentials in a URL are refused, and never echoed: not in the message
// about them, not in one about anything else wrong with the URL.
TEST(Hardening, UrlCredentialsAreNeverPrinted) {
  auto r = run_program({"run", "http://user:hunter2pass@127.0.0.1:1/"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "condspec: invalid URL 'http://***@127.0.0.1:1/': credentials in URLs are not "
            "supported; use --header 'Authorization: ...'\n");
  EXPECT_EQ(r.out, "");
  auto unsafe =
      run_program({"run", "--unsafe-url", "http://u:hunter2/pass@h/", "http://127.0.0.1:1/"});
  EXPECT_EQ(unsafe.exit_code, 2);
  EXPECT_EQ(unsafe.err, "condspec: --unsafe-url: invalid URL 'http://***@h/': invalid port\n");
}

}  // namespace
}  // namespace condspec::test

namespace condspec::test {
namespace {

// A reason phrase with a raw and a UTF-8 C1 CSI and a right-to-left
// override reaches the console only escaped, on stdout and stderr, with or
// without --verbose.
TEST(Hardening, ServerTextReachesTheConsoleOnlyEscaped) {
  HostileServer server(Hostility::unsafe_text);
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
  for (const char* verbose : {"--quiet", "--verbose"}) {
    auto r = run_program({"run", "--timeout", "2", verbose, url});
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
    EXPECT_EQ(testing::first_unsafe(r.out), "") << r.out;
    EXPECT_EQ(testing::first_unsafe(r.err), "") << r.err;
    if (std::string(verbose) == "--verbose")
      EXPECT_NE(r.out.find("answered 404 Not\\x9b31m\\xc2\\x9b32m\\u202etxt.exe; condspec "
                           "needs a URL whose GET answers 200"),
                std::string::npos)
          << r.out;
  }
}

}  // namespace
}  // namespace condspec::test

namespace condspec::test {
namespace {

// A secret the server sends across the 64 KiB cap of the bytes after a
// response: no part of it reaches the JSON report or the console, which
// shows a cut of the redacted evidence.
TEST(Hardening, ASecretAcrossAnEvidenceCapDoesNotLeak) {
  HostileServer server(Hostility::secret_past_caps);
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
  auto [r, report] =
      run_with_json_report({"--timeout", "2", "--verbose", "--select", "inm-current-strong-tag",
                            "--secret", kSecretPastCaps, url});
  EXPECT_LT(r.elapsed.count(), 10'000);
  EXPECT_LT(r.max_rss_kib, 256 * 1024);
  ASSERT_FALSE(report.empty()) << r.err;
  const std::string start = std::string(kSecretPastCaps).substr(0, 2);
  EXPECT_EQ(report.find("s" + start), std::string::npos) << "part of the secret in the report";
  EXPECT_EQ(report.find(kSecretPastCaps), std::string::npos);
  const auto json = nlohmann::json::parse(report);
  const auto& first = json["targets"][0]["discovery"][0];
  EXPECT_EQ(first["stray_bytes_dropped"], 13 - 5 + 1000);
  EXPECT_TRUE(first["stray_bytes"].get<std::string>().ends_with("s[redacted]"));
  EXPECT_EQ(first["response_head"],
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nETag: \"[redacted]\"\r\n\r\n");
  EXPECT_EQ(r.out.find(start + "n"), std::string::npos);
  EXPECT_EQ(r.err.find(start + "n"), std::string::npos);
}

}  // namespace
}  // namespace condspec::test
