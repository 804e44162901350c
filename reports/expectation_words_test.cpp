// Expectations read as words, never as regular expressions, in every report
// format: every check of every shipped case file (the origin cases and the
// cache cases), judged against responses that pass, break and fail it, then
// rendered as console, JSON, JUnit, Markdown and HTML, and `explain`'s words.
// Scanned for what only a regular expression contains ("[^", "[A-Z]", ".*",
// "(?:", "\d", "{1,3}"): none may leak. The same run with one pattern's
// words taken away must be caught in every format, so the scan can fail.

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "reports/console_report.h"
#include "reports/html_report.h"
#include "reports/json_report.h"
#include "reports/junit_report.h"
#include "reports/markdown_report.h"
#include "src/cases/checks/check_spec.h"
#include "src/cases/loader.h"
#include "src/engine/checks.h"
#include "src/engine/gate.h"
#include "src/engine/outcome.h"
#include "src/engine/run_result.h"
#include "src/http/upstream_exchange.h"

namespace condspec {
namespace {

// What a regular expression has and words do not.
const std::regex& regex_syntax() {
  static const std::regex syntax(
      R"(\[\^)"                                          // a negated class: [^\]
      R"(|\[[^\]\s]*[A-Za-z0-9]-[A-Za-z0-9][^\]\s]*\])"  // a class with a range: [A-Za-z]
      R"(|\[[A-Z][a-z]\]|\[[a-z][A-Z]\])"                // a case pair: [Aa]
      R"(|\\[dDsSwWbB])"                                 // a class escape: \d \s \w \b
      R"(|\.[*+?])"                                      // any character, repeated: .* .+
      R"(|\][*+?]|\)[+?])"                               // a class or group repeated
      R"(|\(\?[:=!<])"                                   // a group that is not one: (?: (?=
      R"(|\{[0-9]+,[0-9]*\})");                          // a counted repeat: {1,3}
  return syntax;
}

// The first piece of regular expression syntax in `text`, or "".
std::string regex_leak(const std::string& text) {
  std::smatch found;
  if (!std::regex_search(text, found, regex_syntax())) return "";
  const size_t from = found.position(0) > 40 ? found.position(0) - 40 : 0;
  return "'" + found.str(0) + "' in ..." + text.substr(from, 100) + "...";
}

std::string unescape_entities(std::string text) {
  static const std::vector<std::pair<std::regex, std::string>> entities = {
      {std::regex("&lt;"), "<"},  {std::regex("&gt;"), ">"},   {std::regex("&quot;"), "\""},
      {std::regex("&#39;"), "'"}, {std::regex("&#x27;"), "'"}, {std::regex("&#34;"), "\""},
      {std::regex("&amp;"), "&"}};
  for (const auto& [entity, character] : entities)
    text = std::regex_replace(text, entity, character);
  return text;
}

// Each format as a reader sees its text: JSON's strings, XML and HTML
// without markup and entities (HTML without its own style and script, which
// are code), Markdown without its backslash escapes.
std::string json_strings(const nlohmann::json& j) {
  std::string out;
  if (j.is_string()) return j.get<std::string>() + "\n";
  if (j.is_structured())
    for (const auto& [key, value] : j.items()) out += key + "\n" + json_strings(value);
  return out;
}

// `text` without everything from each `open` to the next `close`, both
// included, replaced by a space.
std::string without(const std::string& text, std::string_view open, std::string_view close) {
  std::string out;
  size_t from = 0;
  for (size_t at = text.find(open); at != std::string::npos; at = text.find(open, from)) {
    out.append(text, from, at - from).push_back(' ');
    const size_t end = text.find(close, at + open.size());
    from = end == std::string::npos ? text.size() : end + close.size();
  }
  return out.append(text, from);
}

std::string html_text(const std::string& page) {
  std::string text = without(page, "<style>", "</style>");
  text = without(text, "<script>", "</script>");
  return unescape_entities(without(text, "<", ">"));
}

std::string markdown_text(const std::string& markdown) {
  // Links as their text and address: [9110-2.3-x](https://...) is no class.
  const std::string unlinked =
      std::regex_replace(markdown, std::regex(R"(\[([^\]\n]*)\]\(([^)\n]*)\))"), "$1 $2");
  return unescape_entities(
      std::regex_replace(unlinked, std::regex(R"(\\([!-/:-@\[-`{-~]))"), "$1"));
}

struct Rendered {
  std::map<std::string, std::string> formats;  // format -> the text a reader sees
};

Rendered render_all(const RunResult& run) {
  Rendered r;
  r.formats["console"] = render_console_report(run, FailOn::never, {false, false});
  r.formats["json"] = json_strings(nlohmann::json::parse(render_json_report(run, FailOn::never)));
  r.formats["junit"] = unescape_entities(render_junit_report(run, FailOn::never));
  r.formats["markdown"] = markdown_text(render_markdown_report(run, FailOn::never));
  r.formats["html"] = html_text(render_html_report(run, FailOn::never));
  return r;
}

// The responses the checks are judged against: one that breaks most of
// them (a 200 with a backslash in its tag, two Date lines, content where
// none may be), one that passes many (a bare 304), and none at all.
Response response(int status, Fields fields, std::string content) {
  Response r;
  r.version = "HTTP/1.1";
  r.status = status;
  r.reason = status == 200 ? "OK" : "Not Modified";
  r.fields = std::move(fields);
  r.head = response_head_text(status, r.fields);
  r.framing = content.empty() ? Framing::no_content : Framing::content_length;
  r.content = std::move(content);
  return r;
}

struct World {
  std::string name;
  Exchange exchange;
  std::vector<UpstreamExchange> upstream;
};

std::vector<World> worlds() {
  World breaking{"breaking", {}, {}};
  breaking.exchange.request_bytes = "GET /a HTTP/1.1\r\nHost: example.test\r\n\r\n";
  breaking.exchange.response = response(200,
                                        {{"Date", "Sun, 06 Nov 1994 08:49:37 GMT"},
                                         {"Date", "Sunday, 06-Nov-94 08:49:37 GMT"},
                                         {"ETag", "\"a\\z\""},
                                         {"Last-Modified", "Mon,  07 Nov 1994 08:49:37 GMT"},
                                         {"Vary", "Cookie"},
                                         {"Content-Length", "9"},
                                         {"Transfer-Encoding", "chunked"},
                                         {"Cache-Control", "max-age=1"},
                                         {"Age", "99"},
                                         {"Connection", "keep-alive"}},
                                        "content");
  breaking.exchange.stray_bytes = "stray";
  breaking.exchange.stray_checked = true;
  UpstreamExchange sent;
  sent.request.target = "/c/1/a";
  sent.request.fields = {{"If-None-Match", "\"other\""}, {"If-Match", "\"a\""}};
  sent.response = response(200, {{"ETag", "\"a\""}}, "content");
  breaking.upstream = {sent, sent};

  World passing{"passing", {}, {}};
  passing.exchange.request_bytes = "GET /a HTTP/1.1\r\nHost: example.test\r\n\r\n";
  passing.exchange.response =
      response(304, {{"Date", "Sun, 06 Nov 1994 08:49:37 GMT"}, {"ETag", "\"a\""}}, "");
  passing.exchange.stray_checked = true;

  World failed{"failed", {}, {}};
  failed.exchange.request_bytes = "GET /a HTTP/1.1\r\nHost: example.test\r\n\r\n";
  failed.exchange.error = "connection refused";
  return {breaking, passing, failed};
}

struct Judged {
  RunResult run;
  std::set<std::string> kinds;            // the check kinds judged
  std::vector<std::string> descriptions;  // explain's words for each check
  size_t broken = 0;
};

// Every check of `suites`, judged in every world: a target per world and
// suite, a scenario result per scenario.
Judged judge_everything(const std::vector<Suite>& suites) {
  Judged out;
  out.run.tool_version = "1.0";
  out.run.started_at = "2026-12-06T10:00:00Z";
  const Seconds now{std::chrono::sys_days{std::chrono::year{1994} / 11 / 6}};
  for (const auto& world : worlds()) {
    for (const auto& suite : suites) {
      TargetResult target;
      target.url = "http://example.test/" + world.name;
      for (const auto& scenario : suite.scenarios) {
        ScenarioResult result;
        result.scenario = scenario.id;
        result.title = scenario.title;
        result.section = scenario.section;
        result.rfc = scenario.rfc;
        RenderContext render;
        render.now = now;
        std::map<std::string, const Exchange*, std::less<>> earlier;
        for (const auto& step : scenario.steps) {
          earlier[step.id] = &world.exchange;
          if (world.exchange.response) render.steps[step.id] = &*world.exchange.response;
        }
        for (const auto& step : scenario.steps) {
          CheckInput in{step.id, world.exchange,
                        earlier, &render,
                        now,     scenario.cache() ? &world.upstream : nullptr};
          for (const auto& e : step.expect) {
            const Requirement* requirement = suite.requirement(e.requirement);
            if (!requirement) continue;
            out.kinds.insert(std::string(kCheckKeys[e.check.index()]));
            out.descriptions.push_back(describe(e.check));
            CheckResult check = evaluate_check(e, *requirement, in);
            if (check.outcome != Outcome::pass) ++out.broken;
            result.outcome = worse(result.outcome, check.outcome);
            result.checks.push_back(std::move(check));
          }
          StepRecord record;
          record.step = step.id;
          record.url = target.url;
          record.exchange = world.exchange;
          result.exchanges.push_back(std::move(record));
        }
        target.results.push_back(std::move(result));
      }
      out.run.targets.push_back(std::move(target));
    }
  }
  return out;
}

std::vector<Suite> shipped_suites() {
  std::vector<Suite> suites;
  for (const std::string dir : {"/cases", "/cases/cache"}) {
    auto suite = load_suite(std::string(CONDSPEC_SOURCE_DIR) + dir);
    EXPECT_TRUE(suite.ok()) << dir;
    if (suite.ok()) suites.push_back(std::move(*suite));
  }
  return suites;
}

TEST(ExpectationWords, TheScanFindsRegularExpressions) {
  for (const std::string pattern :
       {"[^\\\\]*", "(.*,)?[ \\t]*([Aa][Cc][Cc][Ee][Pp][Tt]", "W/\"[!#-~]*\"", "\\d{1,2}",
        "(?:gzip|br)", "[0-9]+", "[A-Za-z-]+"})
    EXPECT_NE(regex_leak(pattern), "") << pattern;
  for (const std::string words :
       {"Vary lists Accept-Encoding or *", "ETag has no backslash", "status 304 (Not Modified)",
        "If-None-Match: W/\"v1\"", "[redacted]", "[65 content bytes]", "0 or 1 upstream requests",
        "Date on one field line", "2026-12-06T10:00:00Z"})
    EXPECT_EQ(regex_leak(words), "") << words;
}

// Every kind of check the shipped files use, in every format: no regular
// expression anywhere a reader looks.
TEST(ExpectationWords, EveryShippedCheckReadsAsWordsInEveryFormat) {
  const auto suites = shipped_suites();
  ASSERT_EQ(suites.size(), 2u);
  Judged judged = judge_everything(suites);

  // Every kind condspec has is used by a shipped file and was judged here,
  // and enough of them broke for the failure texts to be seen.
  for (const auto key : kCheckKeys)
    EXPECT_TRUE(judged.kinds.count(std::string(key))) << key << " is not used by a shipped case";
  EXPECT_GT(judged.broken, 100u);

  for (const auto& words : judged.descriptions)
    EXPECT_EQ(regex_leak(words), "") << "explain: " << words;
  for (const auto& target : judged.run.targets)
    for (const auto& result : target.results)
      for (const auto& check : result.checks)
        for (const auto* text : {&check.expected, &check.actual, &check.message})
          EXPECT_EQ(regex_leak(*text), "") << result.scenario << " " << check.requirement;

  const Rendered rendered = render_all(judged.run);
  for (const auto& [format, text] : rendered.formats) {
    EXPECT_EQ(regex_leak(text), "") << format;
    // The shipped pattern's words are there, broken by the tag "a\z".
    EXPECT_NE(text.find("ETag has no backslash"), std::string::npos) << format;
  }
}

// A pattern without its words shows the pattern: every format is caught.
TEST(ExpectationWords, APatternWithoutWordsIsCaughtInEveryFormat) {
  auto suites = shipped_suites();
  ASSERT_EQ(suites.size(), 2u);
  size_t cleared = 0;
  for (auto& scenario : suites[0].scenarios)
    for (auto& step : scenario.steps)
      for (auto& e : step.expect)
        if (auto* field = std::get_if<FieldCheck>(&e.check);
            field && field->op == FieldCheck::Op::matches) {
          field->means.clear();
          ++cleared;
        }
  ASSERT_GT(cleared, 0u);
  Judged judged = judge_everything(suites);
  bool described = false;
  for (const auto& words : judged.descriptions) described |= !regex_leak(words).empty();
  EXPECT_TRUE(described);
  for (const auto& [format, text] : render_all(judged.run).formats)
    EXPECT_NE(regex_leak(text), "") << format;
}

}  // namespace
}  // namespace condspec
