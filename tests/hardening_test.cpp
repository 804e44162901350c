// The promises of issue 13, "hardening against an adversary", end to end:
// the real program, run as CI runs it (often as root), against what an
// attacker controls: the server, the case files, the paths it writes to.

#include <gtest/gtest.h>

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
