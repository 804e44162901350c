// End-to-end tests of what a reviewer reads, on the real program: the wording
// of the console summary, not-applicable scenarios named, suggestions for
// unknown ids, expectations in words, sections in number order, the next
// step for each failure, colour, the User-Agent, and user case folders.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/process.h"

namespace condspec::test {
namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) {
  fs::path dir =
      fs::temp_directory_path() / ("condspec-quality-" + name + "-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The totals line says "1 exchange" (not "1 exchanges") and a time with a
// unit that shows it, never "0.00 s".
TEST(ReportWording, TotalsLineCountsAndTimesReadNaturally) {
  // A port nobody listens on: one failed exchange, then the target is unusable.
  auto r = run_program({"run", "http://127.0.0.1:9/x", "--quiet"});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  const std::regex totals(
      "0 scenario runs: 0 pass, 0 fail, 0 warn, 0 info, 0 not applicable, 0 error \\(1 exchange, "
      "[0-9.]+ (µs|ms|s)\\)\n");
  EXPECT_TRUE(std::regex_search(r.out, totals)) << r.out;
  EXPECT_FALSE(contains(r.out, "0.00 s")) << r.out;
}

// Every request names condspec and its version, since CDNs and WAFs block
// requests without a User-Agent; -H replaces it.
TEST(UserAgent, DefaultNamesCondspecAndItsVersionAndHeaderOverridesIt) {
  // A faulty origin, so that --verbose prints the requests of a failure.
  Background origin({"serve", "--fault", "inm-strong-compare"});
  const std::string base = start_origin(origin);
  ASSERT_FALSE(base.empty());
  const std::vector<std::string> args{"run",       base + "/strong", "--select", "13.1.2",
                                      "--verbose", "--fail-on",      "never"};
  auto r = run_program(args);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(contains(r.out, "> User-Agent: condspec/" CONDSPEC_VERSION "\\r\\n")) << r.out;

  std::vector<std::string> custom_args = args;
  custom_args.insert(custom_args.end(), {"-H", "User-Agent: Mozilla/5.0 (compatible; audit)"});
  auto custom = run_program(custom_args);
  EXPECT_EQ(custom.exit_code, 0) << custom.out << custom.err;
  EXPECT_TRUE(contains(custom.out, "> User-Agent: Mozilla/5.0 (compatible; audit)\\r\\n"))
      << custom.out;
  EXPECT_FALSE(contains(custom.out, "condspec/" CONDSPEC_VERSION)) << custom.out;
}

}  // namespace
}  // namespace condspec::test
