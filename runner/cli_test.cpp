#include "runner/cli.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "runner/version.h"
#include "src/engine/gate.h"
#include "src/engine/selection.h"

namespace condspec {
namespace {

Command parse(std::vector<const char*> args, std::string* err_text = nullptr) {
  args.insert(args.begin(), "condspec");
  std::ostringstream out, err;
  Command c = parse_command_line(static_cast<int>(args.size()), args.data(), out, err);
  if (err_text) *err_text = err.str();
  return c;
}

TEST(Cli, RepeatableOptionsTakeOneValueSoUrlsStayUrls) {
  auto c =
      parse({"run", "--select", "13.1", "--select", "etag", "--report", "json=a.json", "--header",
             "Authorization: Bearer x", "http://127.0.0.1:8080/a", "http://127.0.0.1:8080/b"});
  ASSERT_TRUE(std::holds_alternative<RunOptions>(c));
  const auto& run = std::get<RunOptions>(c);
  EXPECT_EQ(run.selection.select, (std::vector<std::string>{"13.1", "etag"}));
  ASSERT_EQ(run.reports.size(), 1u);
  EXPECT_EQ(run.reports[0].format, "json");
  EXPECT_EQ(run.reports[0].path, "a.json");
  EXPECT_EQ(run.headers, (std::vector<std::string>{"Authorization: Bearer x"}));
  EXPECT_EQ(run.urls,
            (std::vector<std::string>{"http://127.0.0.1:8080/a", "http://127.0.0.1:8080/b"}));
}

TEST(Cli, VersionIsPrintedFromTheOneVersion) {
  std::vector<const char*> args{"condspec", "--version"};
  std::ostringstream out, err;
  Command c = parse_command_line(static_cast<int>(args.size()), args.data(), out, err);
  ASSERT_TRUE(std::holds_alternative<ExitNow>(c));
  EXPECT_EQ(std::get<ExitNow>(c).code, 0);
  EXPECT_EQ(out.str(), "condspec " + std::string(condspec_version()) + "\n");
  EXPECT_EQ(err.str(), "");
}

TEST(Cli, Defaults) {
  const auto run = std::get<RunOptions>(parse({"run"}));
  EXPECT_EQ(run.jobs, 6);
  EXPECT_EQ(run.timeout_seconds, 10);
  EXPECT_EQ(run.fail_on, FailOn::must);
  EXPECT_TRUE(run.urls.empty());
}

TEST(Cli, FailOnLevels) {
  EXPECT_EQ(std::get<RunOptions>(parse({"run", "--fail-on", "should"})).fail_on, FailOn::should);
  EXPECT_EQ(std::get<RunOptions>(parse({"run", "--fail-on", "never"})).fail_on, FailOn::never);
  std::string err;
  auto bad = parse({"run", "--fail-on", "sometimes"}, &err);
  ASSERT_TRUE(std::holds_alternative<ExitNow>(bad));
  EXPECT_EQ(std::get<ExitNow>(bad).code, 2);
}

TEST(Cli, ProtocolsAreRepeatableAndKnown) {
  EXPECT_TRUE(std::get<RunOptions>(parse({"run"})).protocols.empty());
  EXPECT_EQ(std::get<RunOptions>(parse({"run", "--protocol", "h2c", "--protocol", "http/1.1",
                                        "http://127.0.0.1:8080/a"}))
                .protocols,
            (std::vector<Protocol>{Protocol::h2c, Protocol::http1_1}));
  EXPECT_EQ(std::get<RunOptions>(parse({"run", "--protocol=h2"})).protocols,
            std::vector<Protocol>{Protocol::h2});
  std::string err;
  auto bad = parse({"run", "--protocol", "h3"}, &err);
  ASSERT_TRUE(std::holds_alternative<ExitNow>(bad));
  EXPECT_EQ(std::get<ExitNow>(bad).code, 2);
  EXPECT_NE(err.find("--protocol: h3 not in {http/1.1,h2,h2c}"), std::string::npos) << err;
}

TEST(Cli, ReportNeedsFormatAndPath) {
  std::string err;
  auto c = parse({"run", "--report", "report.json"}, &err);
  ASSERT_TRUE(std::holds_alternative<ExitNow>(c));
  EXPECT_EQ(std::get<ExitNow>(c).code, 2);
  EXPECT_EQ(err, "condspec: --report 'report.json': expected FORMAT=PATH, e.g. json=report.json\n");
}

TEST(Cli, HelpExitsZeroAndUnknownOptionsExitTwo) {
  EXPECT_EQ(std::get<ExitNow>(parse({"--help"})).code, 0);
  EXPECT_EQ(std::get<ExitNow>(parse({"run", "--no-such-option"})).code, 2);
  EXPECT_EQ(std::get<ExitNow>(parse({})).code, 2);
}

TEST(Cli, OtherCommands) {
  EXPECT_EQ(std::get<ExplainOptions>(parse({"explain", "inm-x"})).id, "inm-x");
  auto list = std::get<ListOptions>(parse({"list", "--requirements"}));
  EXPECT_FALSE(list.scenarios);
  EXPECT_TRUE(list.requirements);
  EXPECT_EQ(
      std::get<ServeOptions>(parse({"serve", "--port", "8080", "--fault", "a", "--fault", "b"}))
          .faults,
      (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(std::get<LintOptions>(parse({"lint", "--cases", "x"})).cases.dirs,
            std::vector<std::string>{"x"});
  const auto cases = std::get<RunOptions>(parse({"run", "--cases", "a", "--cases", "b",
                                                 "--no-default-cases", "URL"}))
                         .cases;
  EXPECT_EQ(cases.dirs, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(cases.no_default);
  EXPECT_FALSE(std::get<ListOptions>(parse({"list"})).cases.no_default);
}

}  // namespace
}  // namespace condspec
