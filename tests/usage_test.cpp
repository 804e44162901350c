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

TEST(Usage, ListFaultsNamesTheRequirementEachBreaks) {
  auto r = run_program({"serve", "--list-faults"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("  inm-star-ignored             breaks 9110-13.1.2-star-exists: "
                       "If-None-Match: * never matches\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  inm-ignored                  breaks 9110-13.1.2-evaluate: "
                       "If-None-Match is never evaluated (on a target without ETag also "
                       "9110-13.1.2-star-exists)\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  body-after-304               breaks 9110-15.4.5-no-content: "
                       "the 304 is followed by the content (over HTTP/2 also "
                       "9113-8.1.1-no-data-without-content)\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  range-unknown-unit-416       breaks 9110-14.2-unknown-unit-ignored: "
                       "a Range in a unit other than bytes gets 416 instead of being ignored "
                       "(with a true If-Range also 9110-13.2.2-s5-206-or-200)\n"),
            std::string::npos)
      << r.out;
}

TEST(Usage, ServeCacheListFaultsNamesTheRequirementEachBreaks) {
  auto r = run_program({"serve-cache", "--list-faults"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("  evaluate-if-match-itself           breaks "
                       "9111-4.3.2-no-origin-preconditions: evaluates a client's If-Match and "
                       "If-Unmodified-Since against its stored response and answers 412 itself\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  update-from-any-304                breaks "
                       "9111-4.3.4-no-update-other-validator: updates its stored response from a "
                       "304 whose strong ETag, or Last-Modified, is another one\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  revalidate-without-vary-fields     breaks 9111-4.3.1-send-vary-fields: "
                       "revalidates with its validators only, without the request fields Vary "
                       "names\n"),
            std::string::npos)
      << r.out;
  // A fault that changes only how a broken origin is handled breaks nothing.
  EXPECT_NE(r.out.find("  refetch-after-broken-304           changes only the handling: uses no "
                       "304 that leaves out a stored field it must repeat (ETag, Cache-Control, "
                       "Expires, Vary, Content-Location, Date) or carries Content-Length: drops "
                       "the stored response and fetches it again without conditionals\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  transfer-encoding-from-304         breaks 9111-3.2-no-framing-update: "
                       "updating from a 304, takes its Transfer-Encoding, and then sends the "
                       "stored response chunked with its Content-Length too\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  transfer-encoding-304-unchunked    breaks 9111-3.2-no-framing-update: "
                       "answers the request it revalidated with the 304's Transfer-Encoding and "
                       "the stored content unchunked, without Content-Length\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  read-bytes-after-304-as-response   breaks "
                       "9112-6.3-no-extra-data-as-response: keeps its upstream connection after a "
                       "304, and reads the bytes a broken origin wrote after the 304 as the start "
                       "of the next response (then answers 502)\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  ignore-vary-when-selecting         breaks 9111-4.1-vary-selects: answers "
                       "a request with any stored variant of the URL, whatever the fields its Vary "
                       "names say\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  304-without-date                   breaks 9110-15.4.5-date: leaves the "
                       "stored Date out of its own 304s\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  304-with-content-type              breaks 9110-15.4.5-minimal-metadata: "
                       "repeats the stored Content-Type in its own 304s\n"),
            std::string::npos)
      << r.out;
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

namespace condspec::test {
namespace {

// Not a terminal (as in CI): one plain progress line per finished scenario
// on stderr, none with --quiet; the summary stays on stdout.
TEST(Progress, PlainLinesWhenStderrIsNotATerminal) {
  auto r = run_program({"run", "--select", "inm-current-strong-tag"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  // Lines come in the order scenarios finish; one per (target, scenario).
  for (const char* n : {"[1/5] ", "[2/5] ", "[3/5] ", "[4/5] ", "[5/5] "})
    EXPECT_NE(r.err.find(n), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("] pass inm-current-strong-tag http://127.0.0.1:"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("\x1b"), std::string::npos);  // no terminal control sequences
  auto quiet = run_program({"run", "--quiet", "--select", "inm-current-strong-tag"});
  EXPECT_EQ(quiet.err, "");
}

// With --shard the count is the shard's share: the reference origin's five
// targets give pairs 0 to 4 of one scenario; shard 1/2 holds 0, 2 and 4.
TEST(Progress, CountsOnlyTheShardsShare) {
  auto first = run_program({"run", "--select", "inm-current-strong-tag", "--shard", "1/2"});
  EXPECT_EQ(first.exit_code, 0) << first.out << first.err;
  for (const char* n : {"[1/3] ", "[2/3] ", "[3/3] "})
    EXPECT_NE(first.err.find(n), std::string::npos) << first.err;
  EXPECT_EQ(first.err.find("/5] "), std::string::npos) << first.err;
  auto second = run_program({"run", "--select", "inm-current-strong-tag", "--shard", "2/2"});
  // Its two pairs are the scenario on /weak and /dated, neither with a
  // strong ETag.
  EXPECT_EQ(second.exit_code, 3) << second.out << second.err;
  for (const char* n : {"[1/2] not_applicable inm-current-strong-tag ",
                        "[2/2] not_applicable inm-current-strong-tag "})
    EXPECT_NE(second.err.find(n), std::string::npos) << second.err;
  EXPECT_EQ(second.err.find("[3/"), std::string::npos) << second.err;
}

}  // namespace
}  // namespace condspec::test
