// Usage errors that protect the verdict: refused before anything is sent.

#include <gtest/gtest.h>

#include "tests/process.h"

namespace condspec::test {
namespace {

TEST(Usage, HeaderMayNotSetFieldsTheScenariosDecide) {
  auto r = run_program({"run", "--header", "If-None-Match: *", "http://127.0.0.1:1/"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "condspec: --header 'If-None-Match: *': If-None-Match is set by the scenarios (or the "
            "connection) and cannot be sent with every request\n");
  EXPECT_EQ(run_program({"run", "-H", "range: bytes=0-0", "http://127.0.0.1:1/"}).exit_code, 2);
}

TEST(Usage, UnsafeUrlNeedsAUrlUnderTest) {
  auto r = run_program({"run", "--unsafe-url", "http://127.0.0.1:1/w"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "condspec: --unsafe-url needs at least one URL under test; without URLs condspec tests "
            "its built-in reference origin and uses that origin's writable resource\n");
}

}  // namespace
}  // namespace condspec::test
