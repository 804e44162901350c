// End-to-end: the real program, its exit codes and the text users see.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "tests/process.h"
#include "tests/test_files.h"

namespace condspec::test {
namespace {

namespace fs = std::filesystem;

fs::path temp_dir(const std::string& name) {
  return fresh_test_dir("e2e", name);
}

TEST(Run, WithoutUrlTestsTheReferenceOriginAndPasses) {
  const fs::path dir = temp_dir("reference");
  const fs::path report = dir / "report.json";
  auto r = run_program({"run", "--report", "json=" + report.string()});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("No URL given: testing the built-in reference origin at http://127.0.0.1:"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("gate passed (--fail-on must)"), std::string::npos) << r.out;

  auto json = nlohmann::json::parse(slurp(report));
  EXPECT_EQ(json["schema_version"], 1);
  EXPECT_EQ(json["totals"]["fail"], 0);
  EXPECT_EQ(json["totals"]["warn"], 0);
  EXPECT_EQ(json["totals"]["info"], 0);
  EXPECT_EQ(json["totals"]["error"], 0);
  EXPECT_GT(json["totals"]["pass"].get<int>(), 20);
  ASSERT_EQ(json["targets"].size(), 5u);
  // Every result names its scenario and section, and every check its
  // requirement with the level from the catalog.
  for (const auto& target : json["targets"]) {
    for (const auto& result : target["results"]) {
      EXPECT_FALSE(result["scenario"].get<std::string>().empty());
      EXPECT_FALSE(result["section"].get<std::string>().empty());
      for (const auto& check : result["checks"]) {
        EXPECT_FALSE(check["requirement"].get<std::string>().empty());
        EXPECT_FALSE(check["level"].get<std::string>().empty());
      }
      if (result["outcome"] == "pass") {
        EXPECT_FALSE(result["exchanges"].empty());
      }
    }
  }
  fs::remove_all(dir);
}

// The version is written once, in CMakeLists.txt: --version and the reports
// say the same.
TEST(Version, TheReportNamesTheVersionTheProgramPrints) {
  auto version = run_program({"--version"});
  EXPECT_EQ(version.exit_code, 0) << version.err;
  EXPECT_EQ(version.out, std::string("condspec ") + CONDSPEC_VERSION + "\n");

  auto reported = run_with_json_report({"--select", "inm-weak-form-of-strong-tag"});
  EXPECT_EQ(reported.completed.exit_code, 0) << reported.completed.out << reported.completed.err;
  auto json = nlohmann::json::parse(reported.json);
  EXPECT_EQ(json["tool"]["version"], CONDSPEC_VERSION);
}

TEST(Run, UnreachableTargetStopsEarlyWithExitThree) {
  auto r = run_program({"run", "--timeout", "2", "http://127.0.0.1:1/x"});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.out.find("the first request to http://127.0.0.1:1/x failed: connect to "
                       "127.0.0.1:1: connection refused"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("not judged: 1 target could not be used"), std::string::npos) << r.out;
}

TEST(Run, UsageErrorsExitTwoBeforeSendingAnything) {
  auto bad_format = run_program({"run", "--report", "pdf=x.pdf", "http://127.0.0.1:1/"});
  EXPECT_EQ(bad_format.exit_code, 2);
  EXPECT_EQ(bad_format.err,
            "condspec: --report pdf=x.pdf: unknown format 'pdf' (supported: json, junit, "
            "markdown, html)\n");

  auto bad_select = run_program({"run", "--select", "13.99", "http://127.0.0.1:1/"});
  EXPECT_EQ(bad_select.exit_code, 2);
  EXPECT_EQ(bad_select.err,
            "condspec: '13.99' matches no scenario id, tag or section (see `condspec list`)\n");

  auto bad_header = run_program({"run", "--header", "no colon", "http://127.0.0.1:1/"});
  EXPECT_EQ(bad_header.exit_code, 2);
  EXPECT_EQ(bad_header.err,
            "condspec: --header 'no colon': expected 'Name: value' with a valid field name\n");

  auto same_unsafe =
      run_program({"run", "--unsafe-url", "http://127.0.0.1:1/a", "http://127.0.0.1:1/a"});
  EXPECT_EQ(same_unsafe.exit_code, 2);

  auto bad_url = run_program({"run", "ftp://example.com/"});
  EXPECT_EQ(bad_url.exit_code, 2);
  EXPECT_EQ(bad_url.err,
            "condspec: invalid URL 'ftp://example.com/': only http and https are supported\n");

  auto no_command = run_program({});
  EXPECT_EQ(no_command.exit_code, 2);
}

TEST(Run, BadCaseFileIsNamedWithLineAndColumnAndExitsTwo) {
  const fs::path dir = temp_dir("badcases");
  fs::copy_file(fs::path(CONDSPEC_SOURCE_DIR) / "cases" / "requirements.yaml",
                dir / "requirements.yaml");
  std::ofstream(dir / "9110-13.1.2-broken.yaml") << "section: \"13.1.2\"\n"
                                                    "title: Broken\n"
                                                    "scenarios:\n"
                                                    "  - id: broken\n"
                                                    "    title: A broken scenario\n"
                                                    "    stepz: []\n";
  // A full replacement of the shipped cases (a copy of their catalog).
  auto r =
      run_program({"run", "--no-default-cases", "--cases", dir.string(), "http://127.0.0.1:1/"});
  EXPECT_EQ(r.exit_code, 2);
  const std::string file = (dir / "9110-13.1.2-broken.yaml").string();
  EXPECT_NE(r.err.find(file + ":6:5: unknown key 'stepz' in scenario"), std::string::npos) << r.err;

  auto lint = run_program({"lint", "--no-default-cases", "--cases", dir.string()});
  EXPECT_EQ(lint.exit_code, 2);
  EXPECT_NE(lint.err.find(file + ":6:5: unknown key 'stepz'"), std::string::npos) << lint.err;
  fs::remove_all(dir);
}

TEST(Lint, ShippedCasesHaveNoErrors) {
  auto r = run_program({"lint"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("no errors"), std::string::npos);
}

TEST(Explain, DescribesScenarioAndRequirement) {
  auto scenario = run_program({"explain", "inm-weak-form-of-strong-tag"});
  EXPECT_EQ(scenario.exit_code, 0) << scenario.err;
  EXPECT_NE(scenario.out.find("If-None-Match: {{ weak(first.etag) }}"), std::string::npos)
      << scenario.out;
  EXPECT_NE(scenario.out.find("because 9110-13.1.2-weak-compare (MUST, RFC 9110 §13.1.2)"),
            std::string::npos)
      << scenario.out;

  EXPECT_NE(scenario.out.find("\n  Protocols: judged over every protocol (http/1.1, h2, h2c).\n"),
            std::string::npos)
      << scenario.out;

  auto requirement = run_program({"explain", "9110-13.1.2-weak-compare"});
  EXPECT_EQ(requirement.exit_code, 0);
  EXPECT_NE(requirement.out.find("9110-13.1.2-weak-compare  (MUST, RFC 9110 §13.1.2)"),
            std::string::npos)
      << requirement.out;
  EXPECT_NE(requirement.out.find("Judged by:"), std::string::npos);

  auto unknown = run_program({"explain", "no-such-thing"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.err,
            "condspec: no scenario or requirement 'no-such-thing' (see `condspec list`)\n");
}

TEST(Explain, SaysOverWhichProtocolsAScenarioIsJudgedAndWhyNotTheOthers) {
  auto http10 = run_program({"explain", "no-transfer-encoding-to-http10"});
  EXPECT_EQ(http10.exit_code, 0) << http10.err;
  EXPECT_NE(http10.out.find("\n  Protocols: judged over http/1.1 only (protocols in its case "
                            "file).\n    Not over h2, h2c: an HTTP/1.0 request cannot be sent "
                            "over HTTP/2.\n"),
            std::string::npos)
      << http10.out;
  EXPECT_NE(http10.out.find("\n  Step 'first': GET the URL under test as HTTP/1.0\n"),
            std::string::npos)
      << http10.out;
  auto framing = run_program({"explain", "content-length-matches-content"});
  EXPECT_NE(framing.out.find("\n  Protocols: judged over http/1.1 only (protocols in its case "
                             "file).\n    Not over h2, h2c: HTTP/1.1 message framing (RFC 9112) "
                             "is not used over HTTP/2, whose frames delimit messages (RFC 9113 "
                             "8.1).\n"),
            std::string::npos)
      << framing.out;
  EXPECT_NE(framing.out.find("\n  Step 'first': GET the URL under test\n"), std::string::npos)
      << framing.out;
  auto http2 = run_program({"explain", "h2-content-length-matches-data"});
  EXPECT_NE(http2.out.find("\n  Protocols: judged over h2, h2c only (protocols in its case "
                           "file).\n    Not over http/1.1: HTTP/2 framing (RFC 9113) is not used "
                           "over HTTP/1.1.\n"),
            std::string::npos)
      << http2.out;
}

TEST(List, ShowsScenariosBySectionAndRequirements) {
  auto r = run_program({"list"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("§13.1.2\n"), std::string::npos);
  EXPECT_NE(r.out.find(" requirements\n"), std::string::npos);
}

TEST(Run, VerboseShowsTheExchangesOfNonPassingScenarios) {
  Background server({"serve", "--fault", "inm-strong-compare"});
  const std::string line = server.wait_for_line("listening on ");
  ASSERT_FALSE(line.empty());
  const std::string base = line.substr(line.find("http://"));
  auto r = run_program(
      {"run", "--verbose", "--select", "inm-weak-form-of-strong-tag", base + "/strong"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("FAIL 13.1.2   inm-weak-form-of-strong-tag"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("> If-None-Match: W/\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("< HTTP/1.1 200 OK\\r\\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("gate failed: 1 MUST-level failure (--fail-on must)"), std::string::npos);
}

TEST(Run, TheReferenceOriginOverH2cPassesEveryScenarioThatAppliesOverHttp2) {
  Background server({"serve", "--protocol", "h2c"});
  const std::string base = start_origin(server);
  ASSERT_FALSE(base.empty());
  EXPECT_EQ(server.wait_for_line("judge it with --protocol h2c"),
            "  over h2c (HTTP/2 with prior knowledge): judge it with --protocol h2c");
  auto r = run_program({"run", "--protocol", "h2c", "--unsafe-url", base + "/writable",
                        base + "/strong", base + "/weak", base + "/plain"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("\ntarget " + base + "/strong (h2c)\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" 0 fail, 0 warn, 0 info, "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" not applicable, 0 error ("), std::string::npos) << r.out;
  // What HTTP/2 cannot carry is not applicable over it, with the reason.
  EXPECT_NE(r.out.find("  N/A  1 scenario: an HTTP/1.0 request cannot be sent over HTTP/2\n"),
            std::string::npos)
      << r.out;
}

TEST(Run, TheReferenceOriginOverH2PassesEveryScenarioThatAppliesOverHttp2) {
  Background server({"serve", "--protocol", "h2"});
  const std::string base = start_origin(server);
  ASSERT_TRUE(base.starts_with("https://127.0.0.1:")) << base;
  const std::string line = server.wait_for_line("--cacert ");
  const std::string intro =
      "  over h2 (HTTP/2 over TLS), self-signed: judge it with --protocol h2 "
      "--cacert ";
  ASSERT_TRUE(line.starts_with(intro)) << line;
  const std::string certificate = line.substr(intro.size());
  EXPECT_TRUE(fs::exists(certificate)) << certificate;
  auto r = run_program({"run", "--protocol", "h2", "--cacert", certificate, "--unsafe-url",
                        base + "/writable", base + "/strong", base + "/weak", base + "/plain"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("\ntarget " + base + "/strong (h2)\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" 0 fail, 0 warn, 0 info, "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" not applicable, 0 error ("), std::string::npos) << r.out;
  EXPECT_EQ(server.terminate(), 0);
  EXPECT_FALSE(fs::exists(certificate)) << "left behind: " << certificate;
}

TEST(Run, OverH2cContentAfterA304IsJudgedOnTheDataFrames) {
  Background server({"serve", "--protocol", "h2c", "--fault", "body-after-304"});
  const std::string base = start_origin(server);
  ASSERT_FALSE(base.empty());
  // Each step sends its own request, so the 304 is the second stream of its
  // connection (its first step may otherwise use discovery's GET, and the
  // 304 go out as the first stream of another connection).
  auto r = run_program({"run", "--protocol", "h2c", "--verbose", "--no-shared-requests", "--select",
                        "not-modified-get-fields", base + "/strong"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("FAIL 9110-15.4.5-no-content (MUST, RFC 9110 §15.4.5): The 304 response "
                       "carries 2144 bytes of DATA payload, but it cannot have content.\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("< HTTP/2 304\\r\\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("= received DATA stream 3, 2144 bytes, END_STREAM\n"), std::string::npos)
      << r.out;
}

// DATA payload on a response that cannot have content is also HTTP/2's own
// malformed message (RFC 9113 8.1.1), judged by scenarios of its own over
// HTTP/2 only: here DATA on a 200 to HEAD, with the frames as evidence.
TEST(Run, OverH2cDataOnAHeadResponseBreaksTheHttp2FramingRow) {
  Background server({"serve", "--protocol", "h2c", "--fault", "body-after-head"});
  const std::string base = start_origin(server);
  ASSERT_FALSE(base.empty());
  auto r = run_program({"run", "--protocol", "h2c", "--verbose", "--select",
                        "h2-no-data-in-head-response", base + "/strong"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("FAIL 9113-8.1.1-no-data-without-content (MUST, RFC 9113 §8.1.1): The 200 "
                       "response to HEAD carries 2144 bytes of DATA payload, but it cannot have "
                       "content.\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("expected no DATA payload after the HEADERS\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("= received DATA stream 1, 2144 bytes, END_STREAM\n"), std::string::npos)
      << r.out;
}

// Over HTTP/1.1 the RFC 9113 scenarios are never a verdict: content after
// a 304 there breaks the RFC 9110 row only.
TEST(Run, TheHttp2NoDataScenariosAreNotApplicableOverHttp1) {
  Background server({"serve", "--fault", "body-after-304"});
  const std::string base = start_origin(server);
  ASSERT_FALSE(base.empty());
  auto r = run_program({"run", "--select", "h2-no-data-in-304", "--select",
                        "h2-no-data-in-head-response", "--select", "h2-no-data-in-204", "--select",
                        "not-modified-get-fields", base + "/strong"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("  N/A  3 scenarios: HTTP/2 framing (RFC 9113) is not used over HTTP/1.1\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  0 pass, 1 fail, 0 warn, 0 info, 3 not applicable, 0 error\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  FAIL 9110-15.4.5-no-content (MUST, RFC 9110 §15.4.5) in 1 check\n"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("9113-8.1.1-no-data-without-content"), std::string::npos) << r.out;
}

TEST(Run, UnsafeScenariosNeedUnsafeUrl) {
  Background server({"serve"});
  const std::string line = server.wait_for_line("listening on ");
  ASSERT_FALSE(line.empty());
  const std::string base = line.substr(line.find("http://"));
  const fs::path dir = temp_dir("unsafe");
  const fs::path report = dir / "report.json";
  // The tag selects every scenario with PUT or DELETE; without --unsafe-url
  // a real URL under test must never receive them. One safe scenario runs
  // beside them, so that the run judges something.
  auto r = run_program({"run", "--select", "unsafe", "--select", "inm-current-strong-tag",
                        "--report", "json=" + report.string(), base + "/strong"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;

  auto json = nlohmann::json::parse(slurp(report));
  ASSERT_EQ(json["targets"].size(), 1u);
  const auto& target = json["targets"][0];
  for (const auto& fact : target["facts"]) EXPECT_NE(fact, "unsafe-url");
  std::set<std::string> scenarios;
  for (const auto& result : target["results"]) {
    if (result["scenario"] == "inm-current-strong-tag") {
      EXPECT_EQ(result["outcome"], "pass");
      continue;
    }
    scenarios.insert(result["scenario"].get<std::string>());
    EXPECT_EQ(result["outcome"], "not_applicable") << result["scenario"];
    EXPECT_EQ(result["reason"],
              "no writable URL was given (--unsafe-url); unsafe methods are never sent to the URL "
              "under test")
        << result["scenario"];
    EXPECT_TRUE(result["exchanges"].empty()) << result["scenario"];
  }
  EXPECT_TRUE(scenarios.contains("inm-put-current-tag-412"));
  EXPECT_TRUE(scenarios.contains("inm-put-star-creates"));
  EXPECT_TRUE(scenarios.contains("put-412-leaves-resource-unchanged"));
  EXPECT_TRUE(scenarios.contains("delete-412-leaves-resource-in-place"));
  EXPECT_EQ(target["results"].size(), scenarios.size() + 1);

  // Nothing but safe methods went out, in discovery or in any scenario.
  std::vector<nlohmann::json> exchanges(target["discovery"].begin(), target["discovery"].end());
  for (const auto& result : target["results"])
    exchanges.insert(exchanges.end(), result["exchanges"].begin(), result["exchanges"].end());
  EXPECT_FALSE(exchanges.empty());
  for (const auto& exchange : exchanges) {
    const auto request = exchange["request"].get<std::string>();
    EXPECT_TRUE(request.starts_with("GET ") || request.starts_with("HEAD ") ||
                request.starts_with("OPTIONS "))
        << request;
  }
  EXPECT_NE(r.out.find("  N/A  " + std::to_string(scenarios.size()) +
                       " scenarios: no writable URL was given (--unsafe-url); unsafe methods are "
                       "never sent to the URL under test\n"),
            std::string::npos)
      << r.out;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace condspec::test
