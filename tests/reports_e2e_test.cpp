// End-to-end tests of the reports, read by their real consumers: the JUnit
// file by an XML Schema validator (xmllint, Debian libxml2-utils, against
// reports/junit.xsd), the HTML file by headless Chromium (Debian chromium).
// When a tool is absent the test is skipped with a message, unless
// CONDSPEC_REQUIRE_REPORT_TOOLS=1 (scripts/ci-reports.sh sets it after
// scripts/setup-ci.sh installed them), where its absence is a failure.
//
// Also: --secret and credential fields redacted in every format and on the
// console; baseline round trip; shards merged equal a whole run; SIGTERM
// writes incomplete reports and exits non-zero.

#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "tests/process.h"
#include "tests/test_files.h"

namespace condspec::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSecret = "s3cr3t-value-42";
constexpr const char* kToken = "Bearer tok-777";
// A server value meant to break out of every format it lands in.
constexpr const char* kHostileEtag =
    "\"x</script><script>document.title='pwned'</script><img src=x onerror=alert(1)>]]>\"";

fs::path temp_dir(const std::string& name) {
  return fresh_test_dir("reports", name);
}

struct Shell {
  int code = -1;
  std::string output;  // stdout and stderr
};

Shell shell(const std::string& command) {
  Shell result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return result;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, n);
  const int status = pclose(pipe);
  result.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

bool have(const std::string& tool) {
  return shell("command -v " + tool).code == 0;
}

// Skips (or, in CI, fails) when a consumer tool is missing.
#define REQUIRE_TOOL(tool)                                                                  \
  do {                                                                                      \
    if (!have(tool)) {                                                                      \
      const char* required = std::getenv("CONDSPEC_REQUIRE_REPORT_TOOLS");                  \
      if (required && std::string(required) == "1")                                         \
        FAIL() << tool << " is required here (CONDSPEC_REQUIRE_REPORT_TOOLS=1) but absent"; \
      GTEST_SKIP() << tool << " is not installed; scripts/setup-ci.sh installs it";         \
    }                                                                                       \
  } while (0)

// A server that ignores preconditions (so scenarios fail), sends a hostile
// ETag and field, and echoes a secret in a response field. With `delay`,
// every answer is late (for the interruption test).
class NaiveServer {
 public:
  explicit NaiveServer(std::chrono::milliseconds delay = std::chrono::milliseconds{0}) {
    server_.Get("/.*", [delay](const httplib::Request&, httplib::Response& res) {
      if (delay.count() > 0) std::this_thread::sleep_for(delay);
      res.set_header("ETag", kHostileEtag);
      res.set_header("X-Hostile", "<script>document.title='pwned'</script>");
      res.set_header("X-Echo", std::string("token ") + kSecret);
      res.set_header("Last-Modified", "Sun, 01 Nov 2026 10:00:00 GMT");
      res.set_header("Date", "Sun, 22 Nov 2026 10:00:00 GMT");
      res.set_content("hello", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 200 && !server_.is_running(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds{5});
  }
  ~NaiveServer() {
    server_.stop();
    thread_.join();
  }
  std::string url(const std::string& path = "/r") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

struct AllReports {
  Completed run;
  fs::path dir;
  std::string json, junit, markdown, html;
};

AllReports run_all_formats(const std::string& name, const std::vector<std::string>& extra) {
  AllReports r;
  r.dir = temp_dir(name);
  std::vector<std::string> args{"run",      "--verbose",
                                "--secret", kSecret,
                                "-H",       std::string("Authorization: ") + kToken,
                                "--report", "json=" + (r.dir / "r.json").string(),
                                "--report", "junit=" + (r.dir / "r.xml").string(),
                                "--report", "markdown=" + (r.dir / "r.md").string(),
                                "--report", "html=" + (r.dir / "r.html").string()};
  args.insert(args.end(), extra.begin(), extra.end());
  r.run = run_program(args);
  r.json = slurp(r.dir / "r.json");
  r.junit = slurp(r.dir / "r.xml");
  r.markdown = slurp(r.dir / "r.md");
  r.html = slurp(r.dir / "r.html");
  return r;
}

TEST(ReportsE2e, EveryFormatIsWrittenAndNoSecretLeaksAnywhere) {
  NaiveServer server;
  auto r = run_all_formats("secrets", {server.url()});
  EXPECT_EQ(r.run.exit_code, 1) << r.run.out << r.run.err;
  for (const auto& [name, text] :
       std::vector<std::pair<std::string, std::string>>{{"json", r.json},
                                                        {"junit", r.junit},
                                                        {"markdown", r.markdown},
                                                        {"html", r.html},
                                                        {"stdout", r.run.out},
                                                        {"stderr", r.run.err}}) {
    if (name != "stderr") {
      EXPECT_FALSE(text.empty()) << name;
    }
    EXPECT_EQ(text.find(kSecret), std::string::npos) << name << " leaks --secret";
    EXPECT_EQ(text.find("tok-777"), std::string::npos) << name << " leaks Authorization";
  }
  // The redaction is visible where the value was.
  EXPECT_NE(r.run.out.find("X-Echo: token [redacted]"), std::string::npos) << r.run.out;
  EXPECT_NE(r.json.find("Authorization: [redacted]"), std::string::npos);
  // No temporary file is left beside the reports.
  for (const auto& entry : fs::directory_iterator(r.dir))
    EXPECT_FALSE(entry.path().filename().string().starts_with(".")) << entry.path();
  fs::remove_all(r.dir);
}

TEST(ReportsE2e, JunitIsValidAgainstTheJunitSchema) {
  REQUIRE_TOOL("xmllint");
  NaiveServer server;
  auto r = run_all_formats("junit", {server.url(), "--fail-on", "should"});
  ASSERT_FALSE(r.junit.empty()) << r.run.err;
  auto valid = shell("xmllint --noout --schema " CONDSPEC_SOURCE_DIR "/reports/junit.xsd " +
                     (r.dir / "r.xml").string());
  EXPECT_EQ(valid.code, 0) << valid.output;
  EXPECT_NE(valid.output.find("validates"), std::string::npos) << valid.output;
  // The hostile ETag is text inside the failure, not markup.
  EXPECT_NE(r.junit.find("&lt;/script&gt;&lt;script&gt;"), std::string::npos);
  EXPECT_NE(r.junit.find("classname=\"RFC9110.13.1.2\""), std::string::npos);
  // An XPath consumer reads the failing requirement out of it.
  auto failure = shell("xmllint --xpath 'count(//testcase[@name=\"inm-evaluated\" or failure])' " +
                       (r.dir / "r.xml").string());
  EXPECT_EQ(failure.code, 0) << failure.output;
  EXPECT_NE(failure.output, "0") << failure.output;
  fs::remove_all(r.dir);
}

// Headless Chromium, as the machine notes say it works here, on a file URL.
Shell chromium_dump(const fs::path& html, const std::string& fragment, const fs::path& profile) {
  return shell(
      "timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
      "--disable-background-networking --disable-component-update --disable-sync "
      "--enable-logging=stderr --v=0 --user-data-dir=" +
      profile.string() + " --virtual-time-budget=2000 --dump-dom 'file://" + html.string() +
      fragment + "'");
}

TEST(ReportsE2e, HtmlRendersFiltersAndRunsNothingFromTheServer) {
  REQUIRE_TOOL("chromium");
  NaiveServer server;
  auto r = run_all_formats("html", {server.url(), server.url("/other")});
  ASSERT_FALSE(r.html.empty()) << r.run.err;
  // The whole page, hostile value included, is escaped text.
  EXPECT_EQ(r.html.find("<script>document.title"), std::string::npos);
  EXPECT_EQ(r.html.find("<img src=x"), std::string::npos);
  EXPECT_NE(r.html.find("Targets × requirements"), std::string::npos);

  auto dom = chromium_dump(r.dir / "r.html", "", r.dir / "profile");
  ASSERT_EQ(dom.code, 0) << dom.output;
  EXPECT_NE(dom.output.find("data-ready=\"1\""), std::string::npos)
      << "our script did not run (CSP hash?)\n"
      << dom.output.substr(0, 3000);
  EXPECT_NE(dom.output.find("<title>condspec report</title>"), std::string::npos);
  EXPECT_EQ(dom.output.find("pwned</title>"), std::string::npos);
  EXPECT_NE(dom.output.find("&lt;/script&gt;&lt;script&gt;document.title="), std::string::npos);
  EXPECT_EQ(dom.output.find("Refused to"), std::string::npos) << "CSP violation";
  EXPECT_EQ(dom.output.find(":CONSOLE("), std::string::npos) << "console message";

  // Filters: only failing scenarios are shown for #outcome=fail.
  auto failing = chromium_dump(r.dir / "r.html", "#outcome=fail", r.dir / "profile2");
  ASSERT_EQ(failing.code, 0) << failing.output;
  const auto count = [](const std::string& text, const std::string& part) {
    size_t n = 0;
    for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
    return n;
  };
  // The scenario list the filters act on (the failures at the top of the
  // page are copies, outside it).
  const size_t fails = count(failing.output, "<details class=\"scenario\" data-outcome=\"fail\"");
  const size_t scenarios = count(failing.output, "<details class=\"scenario\"");
  ASSERT_GT(fails, 0u);
  ASSERT_GT(scenarios, fails);
  EXPECT_EQ(count(failing.output, "<details class=\"scenario\" data-outcome=\"fail\"") +
                count(failing.output, "hidden=\"\""),
            scenarios)
      << "every non-failing scenario is hidden";
  EXPECT_EQ(count(failing.output, "data-outcome=\"fail\" data-levels") -
                count(failing.output, "data-outcome=\"fail\" data-levels=\"MUST\" "),
            0u);
  EXPECT_NE(failing.output.find("<span id=\"shown\">" + std::to_string(fails) + "</span>"),
            std::string::npos);
  fs::remove_all(r.dir);
}

TEST(ReportsE2e, BaselineRoundTrip) {
  NaiveServer server;
  const fs::path dir = temp_dir("baseline");
  const std::string json = (dir / "r.json").string(), baseline = (dir / "baseline.yaml").string();
  auto first = run_program({"run", server.url(), "--report", "json=" + json});
  ASSERT_EQ(first.exit_code, 1) << first.out;

  auto written = run_program({"baseline", "--from", json, "--output", baseline});
  ASSERT_EQ(written.exit_code, 0) << written.err;
  EXPECT_TRUE(written.out.starts_with("wrote " + baseline + " with ")) << written.out;
  EXPECT_TRUE(written.out.ends_with(
      " known failures; replace each placeholder reason before using it with --baseline\n"));

  auto refused = run_program({"run", server.url(), "--baseline", baseline});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("still has the placeholder reason; say why this failure is accepted"),
            std::string::npos)
      << refused.err;

  std::string text = slurp(baseline);
  for (size_t at = text.find("TODO: say why this failure is accepted"); at != std::string::npos;
       at = text.find("TODO: say why this failure is accepted"))
    text.replace(at, 38, "naive test server");
  std::ofstream(baseline) << text;
  auto known =
      run_program({"run", server.url(), "--baseline", baseline, "--report", "json=" + json});
  EXPECT_EQ(known.exit_code, 0) << known.out << known.err;
  EXPECT_NE(known.out.find("known failure (baseline): naive test server"), std::string::npos);
  EXPECT_NE(known.out.find(" known failures from the baseline)\n"), std::string::npos) << known.out;
  auto report = nlohmann::json::parse(slurp(json));
  EXPECT_EQ(report["totals"]["fail"], 0);
  EXPECT_GT(report["totals"]["known"].get<int>(), 0);

  // Against a conformant origin every entry no longer fails.
  Background origin({"serve"});
  const std::string base = start_origin(origin);
  ASSERT_FALSE(base.empty());
  auto fixed = run_program({"run", base + "/strong", "--baseline", baseline});
  EXPECT_EQ(fixed.exit_code, 0) << fixed.out;
  EXPECT_NE(fixed.out.find(" no longer fails: remove it\n"), std::string::npos) << fixed.out;
  fs::remove_all(dir);
}

TEST(ReportsE2e, ShardsMergeIntoTheWholeRun) {
  Background origin({"serve", "--fault", "inm-strong-compare"});
  const std::string base = start_origin(origin);
  ASSERT_FALSE(base.empty());
  const fs::path dir = temp_dir("shards");
  auto path = [&](const std::string& f) { return (dir / f).string(); };
  std::vector<std::string> urls{base + "/strong", base + "/weak"};
  auto whole = run_program({"run", urls[0], urls[1], "--report", "json=" + path("whole.json")});
  auto one = run_program(
      {"run", urls[0], urls[1], "--shard", "1/2", "--report", "json=" + path("1.json")});
  auto two = run_program(
      {"run", urls[0], urls[1], "--shard", "2/2", "--report", "json=" + path("2.json")});
  EXPECT_NE(one.out.find("shard 1/2: only this shard's share of the scenarios\n"),
            std::string::npos);
  auto merged =
      run_program({"merge", path("1.json"), path("2.json"), "--report",
                   "json=" + path("merged.json"), "--report", "markdown=" + path("merged.md")});
  EXPECT_EQ(merged.exit_code, whole.exit_code) << merged.out << merged.err;
  auto a = nlohmann::json::parse(slurp(path("whole.json")));
  auto b = nlohmann::json::parse(slurp(path("merged.json")));
  EXPECT_EQ(a["totals"], b["totals"]);
  EXPECT_EQ(b["complete"], true);
  ASSERT_EQ(a["targets"].size(), b["targets"].size());
  for (size_t t = 0; t < a["targets"].size(); ++t) {
    std::vector<std::string> ids_a, ids_b;
    for (const auto& r : a["targets"][t]["results"]) ids_a.push_back(r["scenario"]);
    for (const auto& r : b["targets"][t]["results"]) ids_b.push_back(r["scenario"]);
    EXPECT_EQ(ids_a, ids_b);
  }
  // A missing shard makes the merged run incomplete and not a pass.
  auto partial = run_program({"merge", path("1.json")});
  EXPECT_EQ(partial.exit_code, whole.exit_code == 1 ? 1 : 3);
  EXPECT_NE(partial.err.find("condspec: shard 2/2 is missing: the merged run is incomplete\n"),
            std::string::npos)
      << partial.err;
  auto twice = run_program({"merge", path("1.json"), path("1.json")});
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_EQ(twice.err, "condspec: " + path("1.json") + ": shard 1/2 is given twice\n");
  fs::remove_all(dir);
}

TEST(ReportsE2e, MergeRefusesReportsThatAreNotTheShardsOfOneRun) {
  Background origin({"serve"});
  const std::string base = start_origin(origin);
  ASSERT_FALSE(base.empty());
  const fs::path dir = temp_dir("not-shards");
  auto path = [&](const std::string& f) { return (dir / f).string(); };
  const std::string url = base + "/strong";
  for (const auto& [file, shard] :
       {std::pair{"1.json", "1/2"}, std::pair{"whole.json", ""}, std::pair{"again.json", ""}}) {
    std::vector<std::string> args{
        "run", url, "--select", "inm-current-strong-tag", "--report", "json=" + path(file)};
    if (*shard) args.insert(args.end(), {"--shard", shard});
    auto r = run_program(args);
    ASSERT_NE(r.exit_code, 2) << r.err;
  }
  auto mixed = run_program({"merge", path("1.json"), path("whole.json")});
  EXPECT_EQ(mixed.exit_code, 2);
  EXPECT_EQ(mixed.err, "condspec: " + path("whole.json") + " is not a shard but " + path("1.json") +
                           " is shard 1/2: merge the shards of one run\n");
  auto same = run_program({"merge", path("whole.json"), path("again.json")});
  EXPECT_EQ(same.exit_code, 2);
  EXPECT_EQ(same.err, "condspec: " + path("whole.json") + " and " + path("again.json") +
                          " both hold scenario inm-current-strong-tag on " + url +
                          " (http/1.1): merge the shards of one run\n");
  fs::remove_all(dir);
}

TEST(ReportsE2e, SigtermWritesIncompleteReportsAndExitsNonZero) {
  NaiveServer slow(std::chrono::milliseconds{150});
  const fs::path dir = temp_dir("interrupt");
  {
    Background run({"run", slow.url(), "-j", "1", "--report", "json=" + (dir / "r.json").string(),
                    "--report", "junit=" + (dir / "r.xml").string()});
    std::this_thread::sleep_for(std::chrono::milliseconds{1500});
    const int code = run.terminate();
    // 3 (not judged), or 1 when a failure was already seen before the signal.
    EXPECT_TRUE(code == 3 || code == 1) << code;
  }
  auto report = nlohmann::json::parse(slurp(dir / "r.json"));
  EXPECT_EQ(report["complete"], false);
  EXPECT_NE(report["gate"]["exit_code"], 0);
  EXPECT_NE(slurp(dir / "r.xml").find("the run was interrupted: these results are incomplete"),
            std::string::npos);
  for (const auto& entry : fs::directory_iterator(dir))
    EXPECT_FALSE(entry.path().filename().string().starts_with(".")) << entry.path();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace condspec::test
