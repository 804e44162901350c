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

#include "src/origin/reference_cache.h"
#include "tests/process.h"
#include "tests/server_scripts.h"
#include "tests/test_files.h"

namespace condspec::test {
namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) {
  return fresh_test_dir("quality", name);
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

struct Shell {
  int code = -1;
  std::string output;
};

// Runs a shell command (for what run_program cannot set up: the
// environment, a terminal, a redirection) and returns its stdout.
Shell shell(const std::string& command) {
  Shell result;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return result;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, n);
  const int status = pclose(pipe);
  result.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// In a pseudo-terminal made by script(1), so that isatty holds as for a user.
std::string in_terminal(const std::string& command) {
  return "script -qec '" + command + "' /dev/null";
}

TEST(Color, DecidedForStdoutHonouringNoColorAndTheOption) {
  if (shell("command -v script >/dev/null").code != 0) GTEST_SKIP() << "script(1) is absent";
  Background origin({"serve", "--fault", "inm-strong-compare"});
  const std::string base = start_origin(origin);
  ASSERT_FALSE(base.empty());
  const std::string run = program() + " run " + base + "/strong --select 13.1.2 --fail-on never";
  const std::string red_fail = "\x1b[31mFAIL\x1b[0m";

  // A terminal: coloured, unless NO_COLOR is set or --color never.
  EXPECT_TRUE(contains(shell(in_terminal("TERM=xterm " + run)).output, red_fail));
  EXPECT_FALSE(contains(shell(in_terminal("TERM=xterm NO_COLOR=1 " + run)).output, "\x1b[3"));
  EXPECT_FALSE(
      contains(shell(in_terminal("TERM=xterm " + run + " --color never")).output, "\x1b[3"));
  // stdout redirected to a file while stderr is still the terminal: the file
  // has no escape codes (colour used to follow stderr).
  const fs::path dir = fresh_dir("color");
  const std::string file = (dir / "summary.txt").string();
  shell(in_terminal("TERM=xterm " + run + " > " + file));
  const std::string redirected = slurp(file);
  EXPECT_TRUE(contains(redirected, "FAIL 13.1.2")) << redirected;
  EXPECT_FALSE(contains(redirected, "\x1b")) << redirected;
  // --color always colours a pipe, even with NO_COLOR: the option wins.
  EXPECT_TRUE(
      contains(shell("NO_COLOR=1 " + run + " --color always 2>/dev/null").output, red_fail));
  EXPECT_FALSE(contains(shell(run + " 2>/dev/null").output, "\x1b"));
  // An unknown mode is a usage error.
  const Shell bad = shell(program() + " run --color sometimes 2>&1");
  EXPECT_EQ(bad.code, 2);
  EXPECT_TRUE(contains(bad.output, "--color: sometimes not in {auto,always,never}")) << bad.output;
  fs::remove_all(dir);
}

// Not-applicable scenarios are named (console with --verbose, Markdown
// always), so each can be `condspec explain`ed.
TEST(NotApplicable, ScenariosAreNamedWithTheirReason) {
  Background origin({"serve"});
  const std::string base = start_origin(origin);
  ASSERT_FALSE(base.empty());
  const fs::path dir = fresh_dir("not-applicable");
  const std::string markdown = (dir / "r.md").string();
  auto verbose = run_program({"run", base + "/strong", "--select", "13.1.2", "--verbose",
                              "--report", "markdown=" + markdown});
  EXPECT_EQ(verbose.exit_code, 0) << verbose.out << verbose.err;
  EXPECT_TRUE(contains(verbose.out,
                       "  N/A  2 scenarios: the target sends no valid weak ETag\n"
                       "         inm-own-weak-tag\n"
                       "         inm-strong-form-of-weak-tag\n"))
      << verbose.out;
  auto terse = run_program({"run", base + "/strong", "--select", "13.1.2"});
  EXPECT_TRUE(
      contains(terse.out, "  N/A  2 scenarios: the target sends no valid weak ETag\n  11 pass, "))
      << terse.out;
  EXPECT_FALSE(contains(terse.out, "         inm-own-weak-tag\n")) << terse.out;

  const std::string md = slurp(markdown);
  EXPECT_TRUE(contains(md,
                       "<details><summary>7 scenario runs not applicable (<code>condspec explain "
                       "ID</code> says what each needs)</summary>\n\n"))
      << md;
  EXPECT_TRUE(contains(md,
                       "- the target sends no valid weak ETag: inm\\-own\\-weak\\-tag, "
                       "inm\\-strong\\-form\\-of\\-weak\\-tag\n"))
      << md;
  fs::remove_all(dir);
}

TEST(DidYouMean, UnknownIdsAndPatternsGetTheClosestNames) {
  auto run = run_program({"run", "--select", "inm-lst-with-curent-tag"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err,
            "condspec: 'inm-lst-with-curent-tag' matches no scenario id, tag or section; did you "
            "mean inm-list-with-current-tag or im-list-with-current-tag? (see `condspec list`)\n");
  auto skip = run_program({"run", "--skip", "ranges"});  // the tag is "range"
  EXPECT_EQ(skip.exit_code, 2);
  EXPECT_TRUE(contains(skip.err, "did you mean range")) << skip.err;
  auto explain = run_program({"explain", "9110-13.1.2-lst-match"});
  EXPECT_EQ(explain.exit_code, 2);
  EXPECT_EQ(explain.err,
            "condspec: no scenario or requirement '9110-13.1.2-lst-match'; did you mean "
            "9110-13.1.2-list-match or 9110-13.1.1-list-match? (see `condspec list`)\n");
  auto nothing_close = run_program({"explain", "content-range-syntax-zzz"});
  EXPECT_EQ(nothing_close.err,
            "condspec: no scenario or requirement 'content-range-syntax-zzz' (see `condspec "
            "list`)\n");
}

// Positions of `parts` in `text`, in order of appearance; npos for any
// missing: sorted positions mean the parts appear in this order.
std::vector<size_t> positions(const std::string& text, const std::vector<std::string>& parts) {
  std::vector<size_t> at;
  for (const auto& part : parts) at.push_back(text.find(part));
  return at;
}

bool in_order(const std::string& text, const std::vector<std::string>& parts) {
  const auto at = positions(text, parts);
  for (size_t i = 0; i < at.size(); ++i)
    if (at[i] == std::string::npos || (i > 0 && at[i] <= at[i - 1])) return false;
  return true;
}

// §5.6.7 before §12.5.5 before §13.1.2 (string order put "5" last), in the
// console, Markdown, HTML and `list`.
TEST(SectionOrder, SectionsSortByNumberEverywhere) {
  Background origin({"serve", "--fault", "inm-first-tag-only", "--fault", "ims-rfc850-unparsed",
                     "--fault", "gzip-without-vary"});
  const std::string base = start_origin(origin);
  ASSERT_FALSE(base.empty());
  const fs::path dir = fresh_dir("section-order");
  const std::string markdown = (dir / "r.md").string(), html = (dir / "r.html").string();
  auto r = run_program({"run", base + "/strong", "--fail-on", "never", "--report",
                        "markdown=" + markdown, "--report", "html=" + html});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(contains(r.out,
                       "broken requirements:\n"
                       "  FAIL 9110-5.6.7-accept-rfc850 (MUST, RFC 9110 §5.6.7) in 1 check\n"
                       "  WARN 9110-12.5.5-vary (SHOULD, RFC 9110 §12.5.5) in 1 check\n"
                       "  FAIL 9110-13.1.2-list-match (MUST, RFC 9110 §13.1.2) in 1 check\n"))
      << r.out;
  EXPECT_TRUE(in_order(slurp(markdown), {"### [RFC 9110 §5.6.7]", "### [RFC 9110 §12.5.5]",
                                         "### [RFC 9110 §13.1.2]"}));
  const std::string page = slurp(html);
  EXPECT_TRUE(in_order(page, {">RFC 9110 §2.3</text>", ">RFC 9110 §9.3.4</text>",
                              ">RFC 9110 §13.1.1</text>", ">RFC 9110 §15.5.13</text>"}));
  EXPECT_TRUE(in_order(
      page, {"<option value=\"2.3\">", "<option value=\"9.3.4\">", "<option value=\"13.1.1\">"}));
  auto list = run_program({"list", "--scenarios"});
  EXPECT_TRUE(in_order(list.out, {"§2.3\n", "§9.3.4\n", "§13.1.1\n", "§15.5.13\n"})) << list.out;
  fs::remove_all(dir);
}

// The Vary expectation reads as words in every format, not as the regular
// expression it once was.
TEST(Expectations, ReadAsWordsInEveryFormat) {
  Background origin({"serve", "--fault", "gzip-without-vary"});
  const std::string base = start_origin(origin);
  ASSERT_FALSE(base.empty());
  const fs::path dir = fresh_dir("words");
  auto file = [&](const std::string& name) { return (dir / name).string(); };
  auto r = run_program({"run", base + "/strong", "--select", "vary-accept-encoding", "--fail-on",
                        "never", "--report", "json=" + file("r.json"), "--report",
                        "junit=" + file("r.xml"), "--report", "markdown=" + file("r.md"),
                        "--report", "html=" + file("r.html")});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(contains(r.out, "              expected Vary lists Accept-Encoding or *\n")) << r.out;
  EXPECT_TRUE(contains(slurp(file("r.json")), "\"expected\": \"Vary lists Accept-Encoding or *\""));
  EXPECT_TRUE(contains(slurp(file("r.xml")), "Vary lists Accept-Encoding or *"));
  EXPECT_TRUE(contains(slurp(file("r.md")), "| Vary lists Accept\\-Encoding or \\* |"));
  EXPECT_TRUE(contains(slurp(file("r.html")), "<td>Vary lists Accept-Encoding or *</td>"));
  for (const auto& name : {"r.json", "r.xml", "r.md", "r.html"})
    EXPECT_FALSE(contains(slurp(file(name)), "[Aa][Cc]")) << name;
  auto explain = run_program({"explain", "vary-accept-encoding"});
  EXPECT_TRUE(contains(explain.out, "    expects Vary lists Accept-Encoding or *\n"))
      << explain.out;
  fs::remove_all(dir);
}

// With --baseline, each target's line counts known failures as the totals
// do: "0 fail, 2 known", not "2 fail" beside totals of "0 fail ... 2 known".
TEST(BaselineCounts, PerTargetCountsAgreeWithTheTotals) {
  Background origin({"serve", "--fault", "inm-first-tag-only", "--fault", "304-drops-vary"});
  const std::string base = start_origin(origin);
  ASSERT_FALSE(base.empty());
  const fs::path dir = fresh_dir("baseline-counts");
  const std::string json = (dir / "r.json").string(), baseline = (dir / "b.yaml").string();
  const std::vector<std::string> run{"run",    base + "/strong", "--select",
                                     "13.1.2", "--select",       "15.4.5"};
  std::vector<std::string> first = run;
  first.insert(first.end(), {"--report", "json=" + json});
  ASSERT_EQ(run_program(first).exit_code, 1);
  ASSERT_EQ(run_program({"baseline", "--from", json, "--output", baseline}).exit_code, 0);
  std::string text = slurp(baseline);
  const std::string placeholder = "TODO: say why this failure is accepted";
  for (size_t at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder))
    text.replace(at, placeholder.size(), "accepted for this test");
  std::ofstream(baseline) << text;

  std::vector<std::string> with_baseline = run;
  with_baseline.insert(with_baseline.end(), {"--baseline", baseline});
  auto r = run_program(with_baseline);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::regex target_line(
      "\n  ([0-9]+) pass, 0 fail, 0 warn, 0 info, 4 known, ([0-9]+) not "
      "applicable, 0 error\n");
  const std::regex totals_line(
      "\n[0-9]+ scenario runs: ([0-9]+) pass, 0 fail, 0 warn, 0 info, 4 known, ([0-9]+) not "
      "applicable, 0 error ");
  std::smatch target, totals;
  ASSERT_TRUE(std::regex_search(r.out, target, target_line)) << r.out;
  ASSERT_TRUE(std::regex_search(r.out, totals, totals_line)) << r.out;
  EXPECT_EQ(target[1], totals[1]);
  EXPECT_EQ(target[2], totals[2]);
  fs::remove_all(dir);
}

// Each failure comes with its next step: `condspec explain ID` and a curl
// command that sends the failing request again (Markdown, JUnit, HTML); the
// HTML puts the failures first. The curl command, run, gets the same wrong
// answer; a secret in it stays redacted.
TEST(NextSteps, EachFailureSaysHowToExplainAndReproduceIt) {
  Background origin({"serve", "--fault", "inm-first-tag-only"});
  const std::string base = start_origin(origin);
  ASSERT_FALSE(base.empty());
  const fs::path dir = fresh_dir("next-steps");
  auto file = [&](const std::string& name) { return (dir / name).string(); };
  auto r =
      run_program({"run", base + "/strong", "--select", "inm-list-with-current-tag", "-H",
                   "Authorization: Bearer tok-next-step", "--report", "markdown=" + file("r.md"),
                   "--report", "junit=" + file("r.xml"), "--report", "html=" + file("r.html")});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const std::string md = slurp(file("r.md"));
  const std::string base_md = std::regex_replace(base, std::regex("[.]"), "\\.");
  EXPECT_TRUE(contains(md, "### Next steps\n\n- FAIL inm\\-list\\-with\\-current\\-tag on " +
                               base_md +
                               "/strong \\(http/1\\.1\\):\n"
                               "  - next step: condspec explain inm\\-list\\-with\\-current\\-tag\n"
                               "  - reproduce step 'revalidate': curl \\-sS \\-i \\-\\-http1\\.1 "
                               "\\-H 'If\\-None\\-Match: \"condspec\\-no\\-match\", \""))
      << md;
  EXPECT_FALSE(contains(md, "tok-next-step"));
  const std::string xml = slurp(file("r.xml"));
  EXPECT_TRUE(contains(xml,
                       "next step: condspec explain inm-list-with-current-tag\n"
                       "reproduce step &#39;revalidate&#39;: curl -sS -i --http1.1 "))
      << xml;
  // The command, as the JUnit text holds it, sends the failing request again
  // and gets the same wrong answer: 200 where 304 was expected.
  std::smatch found;
  const std::regex curl_line(
      "reproduce step &#39;revalidate&#39;: (curl -sS -i --http1\\.1 -H &#39;If-None-Match: "
      "&quot;condspec-no-match&quot;, &quot;[^&]+&quot;&#39; -H &#39;Authorization: "
      "\\[redacted\\]&#39; -H &#39;User-Agent: condspec/[^&]+&#39; -H &#39;Accept:&#39; &#39;" +
      base_md + "/strong&#39;)\n");
  ASSERT_TRUE(std::regex_search(xml, found, curl_line)) << xml;
  std::string command = found[1].str();
  for (const auto& [entity, text] : std::vector<std::pair<std::string, std::string>>{
           {"&#39;", "'"}, {"&quot;", "\""}, {"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}})
    command = std::regex_replace(command, std::regex(entity), text);
  if (shell("command -v curl >/dev/null").code == 0) {
    const Shell sent = shell(command + " 2>&1");
    EXPECT_TRUE(sent.output.starts_with("HTTP/1.1 200 OK\r\n")) << command << "\n" << sent.output;
  }
  const std::string html = slurp(file("r.html"));
  EXPECT_TRUE(in_order(
      html,
      {"<h2 id=\"failures\">Failures</h2>", "<details class=\"failure\" data-outcome=\"fail\"",
       "<pre class=\"next-step\">next step: condspec explain "
       "inm-list-with-current-tag\nreproduce step &#39;revalidate&#39;: curl",
       "<h2>Overview per section</h2>", "<h2>Scenarios</h2>"}))
      << html;

  auto explain = run_program({"explain", "inm-list-with-current-tag"});
  EXPECT_TRUE(contains(explain.out,
                       "    as curl: curl -sS -i --http1.1 -H 'If-None-Match: "
                       "\"condspec-no-match\", {{ first.etag }}' \"$URL\"\n"))
      << explain.out;
  fs::remove_all(dir);
}

// A folder of one's own scenarios adds to the shipped ones: they may name the
// shipped requirements and those of the folder's own requirements.yaml; lint
// checks such a folder; --no-default-cases replaces the shipped cases.
TEST(UserCases, AFolderAddsScenariosAndRequirementsToTheShippedOnes) {
  const fs::path dir = fresh_dir("user-cases");
  std::ofstream(dir / "requirements.yaml") << R"(requirements:
  - id: 9110-8.8.3-acme-etag-short
    rfc: "9110"
    section: "8.8.3"
    level: SHOULD
    summary: Our own house rule, that tags stay short.
    link: https://www.rfc-editor.org/rfc/rfc9110#section-8.8.3
)";
  std::ofstream(dir / "acme.yaml") << R"(section: "13.1.2"
title: Our own checks
scenarios:
  - id: acme-revalidate
    title: Our CDN revalidates with the current tag
    tags: [acme]
    needs: [strong-etag, stable]
    steps:
      - id: first
        assume: { status: [200] }
        expect:
          - field: { name: ETag, matches: '.{1,40}', means: is at most 40 characters long }
            requirement: 9110-8.8.3-acme-etag-short
      - id: again
        request:
          headers:
            If-None-Match: "{{ first.etag }}"
        expect:
          - status: [304]
            requirement: 9110-13.1.2-get-head-304
)";
  auto lint = run_program({"lint", "--cases", dir.string()});
  EXPECT_EQ(lint.exit_code, 0) << lint.err;
  const std::regex lint_line(
      ".*, " + dir.string() +
      ": [0-9]+ requirements, [0-9]+ scenarios in [0-9]+ files: no errors\n");
  EXPECT_TRUE(std::regex_match(lint.out, lint_line)) << lint.out;

  Background origin({"serve"});
  const std::string base = start_origin(origin);
  ASSERT_FALSE(base.empty());
  auto both = run_program({"run", base + "/strong", "--cases", dir.string(), "--select", "acme",
                           "--select", "inm-current-strong-tag"});
  EXPECT_EQ(both.exit_code, 0) << both.out << both.err;
  EXPECT_TRUE(contains(both.out, "\n2 scenario runs: 2 pass, ")) << both.out;
  auto list = run_program({"list", "--cases", dir.string()});
  EXPECT_TRUE(contains(list.out, "  acme-revalidate ")) << list.out;
  EXPECT_TRUE(contains(list.out, "  inm-current-strong-tag ")) << list.out;
  EXPECT_TRUE(contains(list.out, "  9110-8.8.3-acme-etag-short ")) << list.out;
  auto explain = run_program({"explain", "--cases", dir.string(), "9110-8.8.3-acme-etag-short"});
  EXPECT_TRUE(contains(explain.out, "    acme-revalidate — Our CDN revalidates")) << explain.out;

  // Alone, the folder's catalog does not have the shipped requirement it names.
  auto alone = run_program({"lint", "--no-default-cases", "--cases", dir.string()});
  EXPECT_EQ(alone.exit_code, 2);
  EXPECT_TRUE(contains(alone.err, "9110-13.1.2-get-head-304")) << alone.err;
  auto nothing = run_program({"run", "--no-default-cases"});
  EXPECT_EQ(nothing.exit_code, 2);
  EXPECT_EQ(nothing.err, "condspec: --no-default-cases needs at least one --cases DIR\n");

  // A requirement id the shipped catalog already has is refused.
  std::ofstream(dir / "requirements.yaml", std::ios::app) << R"(  - id: 9110-13.1.2-get-head-304
    rfc: "9110"
    section: "13.1.2"
    level: MUST
    summary: A copy.
    link: https://www.rfc-editor.org/rfc/rfc9110#section-13.1.2
)";
  auto duplicate = run_program({"lint", "--cases", dir.string()});
  EXPECT_EQ(duplicate.exit_code, 2);
  EXPECT_TRUE(
      contains(duplicate.err, (dir / "requirements.yaml").string() +
                                  ": requirement '9110-13.1.2-get-head-304' is already in "))
      << duplicate.err;
  fs::remove_all(dir);
}

// Over HTTP/2 the next step's curl command speaks HTTP/2 too
// (--http2-prior-knowledge for h2c), carries the User-Agent, and, run, gets
// the same wrong answer: 200 where 304 was expected. HTTP/2's own sections
// are named by their RFC, 9113.
TEST(NextSteps, OverHttp2TheCurlCommandSpeaksHttp2) {
  Background origin({"serve", "--protocol", "h2c", "--fault", "inm-first-tag-only"});
  const std::string base = start_origin(origin);
  ASSERT_FALSE(base.empty());
  const fs::path dir = fresh_dir("next-steps-h2");
  auto file = [&](const std::string& name) { return (dir / name).string(); };
  auto r = run_program({"run", "--protocol", "h2c", base + "/strong", "--select",
                        "inm-list-with-current-tag", "--select", "8.2.2", "--verbose", "-H",
                        "Cookie: session=h2-secret", "--report", "markdown=" + file("r.md"),
                        "--report", "junit=" + file("r.xml")});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(contains(r.out, "> user-agent: condspec/" CONDSPEC_VERSION "\\r\\n")) << r.out;
  const std::string xml = slurp(file("r.xml"));
  EXPECT_TRUE(
      contains(xml, "name=\"h2-no-connection-specific-fields\" classname=\"h2c.RFC9113.8.2.2\""))
      << xml;
  std::smatch found;
  const std::regex curl_line(
      "reproduce step &#39;revalidate&#39;: (curl -sS -i --http2-prior-knowledge -H "
      "&#39;if-none-match: [^\n]+ -H &#39;cookie: \\[redacted\\]&#39; -H &#39;user-agent: "
      "condspec/" CONDSPEC_VERSION
      "&#39; -H &#39;Accept:&#39; &#39;http://127\\.0\\.0\\.1:[0-9]+/"
      "strong&#39;)\n");
  ASSERT_TRUE(std::regex_search(xml, found, curl_line)) << xml;
  EXPECT_FALSE(contains(xml, "h2-secret"));
  const std::string md = slurp(file("r.md"));
  EXPECT_FALSE(contains(md, "h2-secret"));
  EXPECT_TRUE(contains(md,
                       "  - reproduce step 'revalidate': curl \\-sS \\-i "
                       "\\-\\-http2\\-prior\\-knowledge \\-H 'if\\-none\\-match: "))
      << md;
  std::string command = found[1].str();
  for (const auto& [entity, text] : std::vector<std::pair<std::string, std::string>>{
           {"&#39;", "'"}, {"&quot;", "\""}, {"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}})
    command = std::regex_replace(command, std::regex(entity), text);
  if (shell("curl --version | grep -q '^Features:.* HTTP2'").code == 0) {
    const Shell sent = shell(command + " 2>&1");
    EXPECT_TRUE(sent.output.starts_with("HTTP/2 200")) << command << "\n" << sent.output;
  }
  fs::remove_all(dir);
}

// In a cache run the User-Agent goes with every request to the cache, and
// the next step of a finding runs the scenario again with `condspec cache`
// (the origin was condspec, gone with the run), not a curl command alone.
TEST(NextSteps, ACacheFindingIsReproducedWithCondspecCache) {
  const int origin_port = free_port();
  auto cache = ReferenceCache::start({.upstream = "http://127.0.0.1:" + std::to_string(origin_port),
                                      .faults = {"revalidate-without-etag"}});
  ASSERT_TRUE(cache) << cache.error().message;
  const std::string cache_url = (*cache)->base_url() + "/";
  const std::string listen = "127.0.0.1:" + std::to_string(origin_port);
  const fs::path dir = fresh_dir("next-steps-cache");
  auto file = [&](const std::string& name) { return (dir / name).string(); };
  auto r = run_program({"cache", cache_url, "--origin-listen", listen, "--select",
                        "cache-revalidates-stale-with-stored-etag", "--verbose", "--report",
                        "markdown=" + file("r.md"), "--report", "junit=" + file("r.xml"),
                        "--report", "html=" + file("r.html")});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(contains(r.out, "> User-Agent: condspec/" CONDSPEC_VERSION "\\r\\n")) << r.out;
  const std::string reproduce = "reproduce: condspec cache '" + cache_url + "' --origin-listen " +
                                listen +
                                " --select cache-revalidates-stale-with-stored-etag --verbose "
                                "(the cache's upstream still " +
                                listen + "; curl alone cannot, as condspec was the origin)\n";
  const std::string xml = slurp(file("r.xml"));
  EXPECT_TRUE(
      contains(xml, "next step: condspec explain cache-revalidates-stale-with-stored-etag\n" +
                        std::regex_replace(reproduce, std::regex("'"), "&#39;")))
      << xml;
  EXPECT_FALSE(contains(xml, "curl -sS")) << xml;
  EXPECT_TRUE(
      contains(slurp(file("r.html")), std::regex_replace(reproduce, std::regex("'"), "&#39;")));
  const std::string md = slurp(file("r.md"));
  EXPECT_TRUE(contains(md, "  - reproduce: condspec cache ")) << md;
  EXPECT_TRUE(contains(md, "### [RFC 9111 §4.3.1]")) << md;
  EXPECT_FALSE(contains(md, "curl \\-sS")) << md;
  fs::remove_all(dir);
}

// Sections of RFC 9112 and 9113 are named by their own RFC and sort after
// RFC 9110's, by number, in `list` and every report: an HTTP/2 scenario that
// does not apply over HTTP/1.1 is still RFC 9113 §8.1.1, and a 15.4.5
// scenario judged by an RFC 9111 row is still RFC 9110 §15.4.5.
TEST(SectionOrder, OtherRfcsAreNamedAndSortedByTheirOwnNumber) {
  Background origin({"serve"});
  const std::string base = start_origin(origin);
  ASSERT_FALSE(base.empty());
  const fs::path dir = fresh_dir("section-rfcs");
  auto file = [&](const std::string& name) { return (dir / name).string(); };
  auto r = run_program({"run", base + "/strong", "--select", "2.3", "--select", "15.4.5",
                        "--select", "6", "--select", "8.1.1", "--select", "8.2.2", "--report",
                        "html=" + file("r.html"), "--report", "junit=" + file("r.xml"), "--report",
                        "json=" + file("r.json")});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string html = slurp(file("r.html"));
  EXPECT_TRUE(in_order(
      html, {">RFC 9110 §2.3</text>", ">RFC 9110 §6.6.1</text>", ">RFC 9110 §15.4.5</text>",
             ">RFC 9112 §6</text>", ">RFC 9113 §8.1.1</text>", ">RFC 9113 §8.2.2</text>"}))
      << html;
  for (const auto& wrong : {"RFC 9110 §8.1.1", "RFC 9110 §8.2.2", "RFC 9111 §15.4.5"})
    EXPECT_FALSE(contains(html, wrong)) << wrong;
  const std::string xml = slurp(file("r.xml"));
  EXPECT_TRUE(contains(xml, "name=\"h2-content-length-matches-data\" classname=\"RFC9113.8.1.1\""))
      << xml;
  EXPECT_TRUE(
      contains(xml, "name=\"not-modified-names-matching-tag\" classname=\"RFC9110.15.4.5\""))
      << xml;
  EXPECT_TRUE(contains(slurp(file("r.json")), "\"rfc\": \"9113\",\n"));
  auto list = run_program({"list", "--scenarios"});
  EXPECT_TRUE(in_order(list.out, {"RFC 9110 §2.3\n", "\nRFC 9110 §15.5.13\n", "\nRFC 9112 §6\n",
                                  "\nRFC 9113 §8.1.1\n", "\nRFC 9113 §8.2.2\n"}))
      << list.out;
  fs::remove_all(dir);
}

// A folder of one's own cache scenarios: `lint --cache` checks it with the
// cache catalog (whose RFC 9111 rows plain `lint` does not know), and
// `condspec cache --cases` runs it beside the shipped cache scenarios.
TEST(UserCases, AFolderOfCacheScenariosIsLintedWithTheCacheCatalogAndRun) {
  const fs::path dir = fresh_dir("user-cache-cases");
  std::string text =
      slurp(std::string(CONDSPEC_SOURCE_DIR) + "/cases/cache/9111-4.3.1-validation-request.yaml");
  text = std::regex_replace(text, std::regex("  - id: cache-"), "  - id: acme-cache-");
  std::ofstream(dir / "acme.yaml") << text;

  auto plain = run_program({"lint", "--cases", dir.string()});
  EXPECT_EQ(plain.exit_code, 2);
  EXPECT_TRUE(contains(plain.err, "unknown requirement '9111-4.")) << plain.err;
  auto cache_lint = run_program({"lint", "--cache", "--cases", dir.string()});
  EXPECT_EQ(cache_lint.exit_code, 0) << cache_lint.err;
  const std::regex lint_line(
      ".*/cases/cache, " + dir.string() +
      ": [0-9]+ requirements, [0-9]+ scenarios in [0-9]+ files: no errors\n");
  EXPECT_TRUE(std::regex_match(cache_lint.out, lint_line)) << cache_lint.out;
  // A misspelt requirement is caught, named by file and line.
  std::ofstream(dir / "broken.yaml") << std::regex_replace(
      std::regex_replace(text, std::regex("  - id: acme-cache-"), "  - id: broken-cache-"),
      std::regex("9111-4.3.1-send-stored-etag\n"), "9111-4.3.1-send-stored-etagg\n");
  auto broken = run_program({"lint", "--cache", "--cases", dir.string()});
  EXPECT_EQ(broken.exit_code, 2);
  EXPECT_TRUE(contains(broken.err, (dir / "broken.yaml").string() + ":")) << broken.err;
  EXPECT_TRUE(contains(broken.err, "unknown requirement '9111-4.3.1-send-stored-etagg'"))
      << broken.err;
  fs::remove(dir / "broken.yaml");

  const int origin_port = free_port();
  auto cache =
      ReferenceCache::start({.upstream = "http://127.0.0.1:" + std::to_string(origin_port)});
  ASSERT_TRUE(cache) << cache.error().message;
  auto r = run_program({"cache", (*cache)->base_url() + "/", "--origin-listen",
                        "127.0.0.1:" + std::to_string(origin_port), "--cases", dir.string(),
                        "--select", "acme-cache-revalidates-stale-with-stored-etag", "--select",
                        "cache-revalidates-stale-with-stored-etag"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(contains(r.out, "\n2 scenario runs: 2 pass, ")) << r.out;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace condspec::test
