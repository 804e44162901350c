// The promises of issue 13, "hardening against an adversary", end to end:
// the real program, run as CI runs it (often as root), against what an
// attacker controls: the server, the case files, the paths it writes to.

#include <gtest/gtest.h>

#include <string>

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
