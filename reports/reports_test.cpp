// The JSON and console renderers, from a hand-built RunResult.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reports/console_report.h"
#include "reports/html_report.h"
#include "reports/json_reader.h"
#include "reports/json_report.h"
#include "reports/junit_report.h"
#include "reports/markdown_report.h"
#include "reports/sample_run_for_tests.h"
#include "src/cases/facts.h"
#include "src/cases/model.h"
#include "src/engine/gate.h"
#include "src/engine/outcome.h"
#include "src/engine/run_result.h"
#include "src/http/message.h"

namespace condspec {
namespace {

RunResult sample() {
  RunResult run;
  run.tool_version = "0.1.0";
  run.started_at = "2026-11-22T10:00:00Z";
  TargetResult target;
  target.url = "http://127.0.0.1:8080/a";
  target.facts = {"etag", "strong-etag"};
  ScenarioResult failed;
  failed.scenario = "inm-weak-form-of-strong-tag";
  failed.title = "If-None-Match with the weak form of the current strong tag gets 304";
  failed.section = "13.1.2";
  failed.outcome = Outcome::fail;
  failed.checks.push_back({"revalidate", "9110-13.1.2-weak-compare", "9110", "13.1.2", Level::must,
                           Outcome::fail, "status 304", "status 200",
                           "The server answered 200 where 304 was expected."});
  StepRecord record;
  record.step = "revalidate";
  record.url = target.url;
  record.exchange.request_bytes = "GET /a HTTP/1.1\r\nIf-None-Match: W/\"x\"\r\n\r\n";
  record.exchange.response = Response{};
  record.exchange.response->status = 200;
  record.exchange.response->head = "HTTP/1.1 200 OK\r\nETag: \"x\"\r\n\r\n";
  record.exchange.response->framing = Framing::content_length;
  record.exchange.response->content = "hello";
  failed.exchanges.push_back(record);
  target.results.push_back(failed);
  ScenarioResult skipped;
  skipped.scenario = "inm-own-weak-tag";
  skipped.section = "13.1.2";
  skipped.outcome = Outcome::not_applicable;
  skipped.reason = "the target sends no weak ETag";
  target.results.push_back(skipped);
  run.targets.push_back(target);
  return run;
}

TEST(JsonReport, CarriesEveryDocumentedField) {
  auto json = nlohmann::json::parse(render_json_report(sample(), FailOn::must));
  EXPECT_EQ(json["schema_version"], 1);
  EXPECT_EQ(json["gate"]["exit_code"], 1);
  EXPECT_EQ(json["totals"]["fail"], 1);
  EXPECT_EQ(json["totals"]["not_applicable"], 1);
  const auto& result = json["targets"][0]["results"][0];
  EXPECT_EQ(result["scenario"], "inm-weak-form-of-strong-tag");
  EXPECT_EQ(result["section"], "13.1.2");
  EXPECT_EQ(result["outcome"], "fail");
  const auto& check = result["checks"][0];
  EXPECT_EQ(check["requirement"], "9110-13.1.2-weak-compare");
  EXPECT_EQ(check["rfc"], "9110");
  EXPECT_EQ(check["level"], "MUST");
  EXPECT_EQ(check["expected"], "status 304");
  EXPECT_EQ(check["actual"], "status 200");
  const auto& exchange = result["exchanges"][0];
  EXPECT_EQ(exchange["request"], "GET /a HTTP/1.1\r\nIf-None-Match: W/\"x\"\r\n\r\n");
  EXPECT_EQ(exchange["response_head"], "HTTP/1.1 200 OK\r\nETag: \"x\"\r\n\r\n");
  EXPECT_EQ(exchange["framing"], "content_length");
  EXPECT_EQ(exchange["content_length"], 5);
  EXPECT_EQ(json["targets"][0]["results"][1]["reason"], "the target sends no weak ETag");
}

// Written one target at a time, the text is exactly that of the whole
// report dumped as one document, with any number of targets.
TEST(JsonReport, PieceByPieceIsTheTextOfTheWholeDocument) {
  for (size_t targets : {0, 1, 3}) {
    RunResult run = sample();
    run.targets.resize(targets, sample().targets[0]);
    std::vector<std::string> pieces;
    render_json_report(run, FailOn::must,
                       [&](std::string_view piece) { pieces.emplace_back(piece); });
    std::string text;
    for (const auto& piece : pieces) text += piece;
    const auto whole = nlohmann::ordered_json::parse(text);
    EXPECT_EQ(text, whole.dump(2) + "\n") << targets << " targets";
    EXPECT_EQ(whole["targets"].size(), targets);
    EXPECT_GE(pieces.size(), targets) << "one piece or more per target";
    EXPECT_EQ(render_json_report(run, FailOn::must), text);
  }
}

// The content itself is gone once a scenario is judged; its size stays.
TEST(JsonReport, ContentLengthCountsContentNoLongerHeld) {
  RunResult run = sample();
  Response& response = *run.targets[0].results[0].exchanges[0].exchange.response;
  response.content.clear();
  response.content_dropped = 5;
  auto json = nlohmann::json::parse(render_json_report(run, FailOn::must));
  EXPECT_EQ(json["targets"][0]["results"][0]["exchanges"][0]["content_length"], 5);
}

TEST(JsonReport, FramingNamesReadBack) {
  for (Framing f :
       {Framing::no_content, Framing::content_length, Framing::chunked, Framing::close_delimited})
    EXPECT_EQ(framing_from(framing_name(f)), f) << framing_name(f);
  EXPECT_EQ(framing_name(Framing::close_delimited), "close_delimited");
  EXPECT_EQ(framing_from("chunked"), Framing::chunked);
  EXPECT_EQ(framing_from("Chunked"), std::nullopt);
}

TEST(JsonReport, BytesThatAreNotUtf8DoNotBreakTheReport) {
  RunResult run = sample();
  run.targets[0].results[0].exchanges[0].exchange.response->head = "HTTP/1.1 200 \xff\xfe\r\n\r\n";
  auto json = nlohmann::json::parse(render_json_report(run, FailOn::must));
  EXPECT_EQ(json["targets"][0]["results"][0]["exchanges"][0]["response_head"],
            "HTTP/1.1 200 \xef\xbf\xbd\xef\xbf\xbd\r\n\r\n");
}

// Evidence that is not valid UTF-8 keeps its exact bytes too: beside the
// readable text (U+FFFD for each bad byte), a base64 field; merge and
// baseline read the exact bytes back. Valid UTF-8 has no such field.
TEST(JsonReport, EvidenceThatIsNotUtf8KeepsItsExactBytesInBase64) {
  RunResult run = sample();
  Exchange& ex = run.targets[0].results[0].exchanges[0].exchange;
  ex.request_bytes = "GET /\xc3 HTTP/1.1\r\n\r\n";
  ex.response->head = "HTTP/1.1 200 \xff\xfe\r\n\r\n";
  ex.stray_bytes = std::string("\x00\x9b", 2);
  StepRecord failed = run.targets[0].results[0].exchanges[0];
  failed.exchange.response.reset();
  failed.exchange.error = "invalid status line";
  failed.exchange.received = "\x80";
  run.targets[0].discovery.push_back(failed);
  const std::string text = render_json_report(run, FailOn::must);
  auto json = nlohmann::json::parse(text);
  const auto& j = json["targets"][0]["results"][0]["exchanges"][0];
  EXPECT_EQ(j["request_base64"], "R0VUIC/DIEhUVFAvMS4xDQoNCg==");
  EXPECT_EQ(j["response_head_base64"], "SFRUUC8xLjEgMjAwIP/+DQoNCg==");
  EXPECT_EQ(j["stray_bytes_base64"], "AJs=");
  EXPECT_EQ(j["stray_bytes"], std::string("\0\xef\xbf\xbd", 4));
  EXPECT_EQ(json["targets"][0]["discovery"][0]["received_base64"], "gA==");
  // Valid UTF-8 (or none at all): no base64 field.
  EXPECT_FALSE(json["targets"][0]["results"][0]["exchanges"][0].contains("received_base64"));
  RunResult valid = sample();
  const auto plain = nlohmann::json::parse(render_json_report(valid, FailOn::must));
  for (const char* key : {"request_base64", "response_head_base64", "stray_bytes_base64"})
    EXPECT_FALSE(plain["targets"][0]["results"][0]["exchanges"][0].contains(key)) << key;

  auto read = read_json_report(text, "r.json");
  ASSERT_TRUE(read.ok()) << read.error().message;
  const Exchange& back = read->run.targets[0].results[0].exchanges[0].exchange;
  EXPECT_EQ(back.request_bytes, ex.request_bytes);
  EXPECT_EQ(back.response->head, ex.response->head);
  EXPECT_EQ(back.stray_bytes, ex.stray_bytes);
  EXPECT_EQ(read->run.targets[0].discovery[0].exchange.received, "\x80");
}

TEST(ConsoleReport, NamesTheBrokenRequirementWithExpectedAndActual) {
  RunResult run = sample();
  std::string text = render_console_report(run, FailOn::must, {});
  EXPECT_NE(text.find("  FAIL 13.1.2   inm-weak-form-of-strong-tag — If-None-Match with the weak "
                      "form of the current strong tag gets 304\n"
                      "         FAIL 9110-13.1.2-weak-compare (MUST, RFC 9110 §13.1.2): The server "
                      "answered 200 where 304 was expected.\n"
                      "              expected status 304\n"
                      "              actual   status 200\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  N/A  1 scenario: the target sends no weak ETag\n"), std::string::npos);
  EXPECT_NE(text.find("broken requirements:\n  FAIL 9110-13.1.2-weak-compare (MUST, RFC 9110 "
                      "§13.1.2) in 1 check\n"),
            std::string::npos);
  EXPECT_TRUE(text.ends_with("gate failed: 1 MUST-level failure (--fail-on must)\n"));
  EXPECT_EQ(text.find("> GET /a"), std::string::npos);  // exchanges only with --verbose
}

// A cache run's check on what the cache sent the origin says so in every
// report that shows checks as text; a check on what the client got (every
// check of `run`) is left unmarked, as in the test above.
TEST(Reports, ACheckOnTheUpstreamHopSaysSo) {
  RunResult run = sample();
  ScenarioResult& failed = run.targets[0].results[0];
  CheckResult upstream{"stale",
                       "9111-4.2.4-no-stale-unpermitted",
                       "9111",
                       "4.2.4",
                       Level::must_not,
                       Outcome::fail,
                       "1 upstream request",
                       "0 upstream requests",
                       "The cache answered from its store: the origin received no request "
                       "during this step."};
  upstream.hop = Hop::upstream;
  failed.checks.push_back(upstream);

  const std::string console = render_console_report(run, FailOn::must, {});
  EXPECT_NE(console.find("         FAIL 9111-4.2.4-no-stale-unpermitted (MUST NOT, RFC 9111 "
                         "§4.2.4): The cache answered from its store: the origin received no "
                         "request during this step.\n"
                         "              hop      upstream: the cache to the origin\n"
                         "              expected 1 upstream request\n"
                         "              actual   0 upstream requests\n"),
            std::string::npos)
      << console;
  EXPECT_EQ(console.find("hop      upstream", console.find("9110-13.1.2-weak-compare")),
            console.find("hop      upstream"));

  const std::string junit = render_junit_report(run, FailOn::must);
  EXPECT_NE(junit.find("fail 9111-4.2.4-no-stale-unpermitted (MUST NOT, RFC 9111 §4.2.4): The "
                       "cache answered from its store: the origin received no request during "
                       "this step.\n"
                       "  hop      upstream: the cache to the origin\n"
                       "  expected 1 upstream request\n"),
            std::string::npos)
      << junit;

  const std::string markdown = render_markdown_report(run, FailOn::must);
  EXPECT_NE(markdown.find("| FAIL | inm\\-weak\\-form\\-of\\-strong\\-tag | "
                          "[9111\\-4\\.2\\.4\\-no\\-stale\\-unpermitted]"
                          "(https://www.rfc-editor.org/rfc/rfc9111#section-4.2.4) (upstream: the "
                          "cache to the origin) | MUST NOT | 1 upstream request | 0 upstream "
                          "requests |\n"),
            std::string::npos)
      << markdown;
  EXPECT_NE(markdown.find("[9110\\-13\\.1\\.2\\-weak\\-compare]"
                          "(https://www.rfc-editor.org/rfc/rfc9110#section-13.1.2) | MUST |"),
            std::string::npos)
      << markdown;

  const std::string html = render_html_report(run, FailOn::must);
  EXPECT_NE(html.find(">9111-4.2.4-no-stale-unpermitted</a> <span class=\"muted\">step stale, "
                      "upstream: the cache to the origin</span>"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find(">9110-13.1.2-weak-compare</a> <span class=\"muted\">step "
                      "revalidate</span>"),
            std::string::npos)
      << html;
}

// How a cache handled a broken origin is shown by every report, for a
// passing scenario too, and an upstream exchange names its connection.
TEST(Reports, TheHandlingOfABrokenOriginAndTheUpstreamConnectionAreShown) {
  RunResult run = sample();
  ScenarioResult& result = run.targets[0].results[0];
  result.outcome = Outcome::pass;
  result.checks.clear();
  result.handling = Handling{HandlingKind::passed_through, "after", "step 'after' got ETag absent"};
  StepRecord upstream{"after", "http://127.0.0.1:8081/c/x/h1/s", {}, false, Hop::upstream, "", 3};
  upstream.exchange.request_bytes = "GET /c/x/h1/s HTTP/1.1\r\n\r\n";
  result.exchanges.push_back(upstream);

  const std::string console = render_console_report(run, FailOn::must, {.verbose = true});
  EXPECT_NE(console.find("  broken origins, how the cache handled them:\n"
                         "    passed-through inm-weak-form-of-strong-tag: step 'after' got ETag "
                         "absent\n"),
            std::string::npos)
      << console;
  const std::string json = render_json_report(run, FailOn::must);
  EXPECT_NE(json.find("\"handling\": {\n            \"kind\": \"passed-through\",\n"
                      "            \"step\": \"after\",\n"
                      "            \"detail\": \"step 'after' got ETag absent\"\n"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"hop\": \"upstream\",\n              \"connection\": 3,"),
            std::string::npos)
      << json;
  auto back = read_json_report(json, "r.json");
  ASSERT_TRUE(back.ok()) << back.error().message;
  const ScenarioResult& read = back->run.targets[0].results[0];
  ASSERT_TRUE(read.handling);
  EXPECT_EQ(read.handling->kind, HandlingKind::passed_through);
  EXPECT_EQ(read.handling->detail, "step 'after' got ETag absent");
  EXPECT_EQ(read.exchanges.back().connection, 3);
  EXPECT_NE(render_junit_report(run, FailOn::must)
                .find("<system-out>inm-weak-form-of-strong-tag — If-None-Match with the weak "
                      "form of the current strong tag gets 304\ntarget http://127.0.0.1:8080/a "
                      "(http/1.1)\nhandling: passed-through: step &#39;after&#39; got ETag "
                      "absent\n"),
            std::string::npos)
      << render_junit_report(run, FailOn::must);
  EXPECT_NE(render_markdown_report(run, FailOn::must)
                .find("### Broken origins: how the cache handled them\n\n"
                      "| scenario | handling | evidence |\n|---|---|---|\n"
                      "| inm\\-weak\\-form\\-of\\-strong\\-tag | passed-through | step "
                      "'after' got ETag absent |\n"),
            std::string::npos)
      << render_markdown_report(run, FailOn::must);
  const std::string html = render_html_report(run, FailOn::must);
  EXPECT_NE(html.find("<p class=\"handling\">Broken origin handled: <b>passed-through</b> — "
                      "step &#39;after&#39; got ETag absent</p>"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("step after (upstream: the cache to the origin, connection 3)"),
            std::string::npos);
}

TEST(ConsoleReport, VerboseShowsTheExchangeWithControlBytesVisible) {
  std::string text = render_console_report(sample(), FailOn::must, {.verbose = true});
  EXPECT_NE(text.find("-- step revalidate → http://127.0.0.1:8080/a\n"
                      "           > GET /a HTTP/1.1\\r\\n\n"
                      "           > If-None-Match: W/\"x\"\\r\\n\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("           < [5 content bytes]\n"), std::string::npos) << text;
}

TEST(JsonReport, EachTargetNamesItsProtocolAndExchangesTheirFrames) {
  const RunResult run = testing::sample_run_over_two_protocols();
  auto json = nlohmann::json::parse(render_json_report(run, FailOn::must));
  EXPECT_EQ(json["targets"][0]["protocol"], "http/1.1");
  EXPECT_EQ(json["targets"][1]["protocol"], "h2");
  EXPECT_EQ(json["targets"][0]["results"][0]["exchanges"][0]["frames"], nlohmann::json::array());
  const auto& exchange = json["targets"][1]["results"][0]["exchanges"][0];
  EXPECT_EQ(exchange["framing"], "end_stream");
  EXPECT_EQ(exchange["frames"][1],
            nlohmann::json::parse(
                R"({"sent": true, "type": "HEADERS", "flags": "END_STREAM|END_HEADERS",
                    "length": 31, "stream": 1})"));
  EXPECT_EQ(exchange["frames"][2]["flags"], "");
  EXPECT_EQ(exchange["frames_dropped"], 2);

  // Read back (merge, baseline): the same targets, protocols and frames.
  auto read = read_json_report(render_json_report(run, FailOn::must), "r.json");
  ASSERT_TRUE(read) << read.error().message;
  ASSERT_EQ(read->run.targets.size(), 2u);
  EXPECT_EQ(read->run.targets[0].protocol, Protocol::http1_1);
  EXPECT_EQ(read->run.targets[1].protocol, Protocol::h2);
  const Exchange& back = read->run.targets[1].results[0].exchanges[0].exchange;
  const Exchange& sent = run.targets[1].results[0].exchanges[0].exchange;
  ASSERT_EQ(back.frames.size(), sent.frames.size());
  for (size_t i = 0; i < back.frames.size(); ++i) {
    EXPECT_EQ(back.frames[i].sent, sent.frames[i].sent);
    EXPECT_EQ(back.frames[i].type, sent.frames[i].type);
    EXPECT_EQ(back.frames[i].flags, sent.frames[i].flags);
    EXPECT_EQ(back.frames[i].length, sent.frames[i].length);
    EXPECT_EQ(back.frames[i].stream, sent.frames[i].stream);
  }
  EXPECT_EQ(back.frames_dropped, 2u);
  EXPECT_EQ(back.response->framing, Framing::end_stream);
}

TEST(JsonReport, AnExchangeUsedAgainNamesItsSenderAndIsReadBack) {
  RunResult run = sample();
  auto& records = run.targets[0].results[0].exchanges;
  ASSERT_FALSE(records.empty());
  records[0].first_sent_by = "etag-syntax";
  const std::string text = render_json_report(run, FailOn::must);
  auto json = nlohmann::json::parse(text);
  EXPECT_EQ(json["targets"][0]["results"][0]["exchanges"][0]["first_sent_by"], "etag-syntax");
  // Sent by the scenario itself: no such key.
  records[0].first_sent_by.clear();
  json = nlohmann::json::parse(render_json_report(run, FailOn::must));
  EXPECT_FALSE(json["targets"][0]["results"][0]["exchanges"][0].contains("first_sent_by"));
  auto read = read_json_report(text, "r.json");
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->run.targets[0].results[0].exchanges[0].first_sent_by, "etag-syntax");
  EXPECT_NE(render_console_report(read->run, FailOn::must, {.verbose = true})
                .find("-- step revalidate (same request as scenario etag-syntax, sent once) → "),
            std::string::npos);
}

// The exchanges of an attempt that missed its second say which attempt, and
// merge reads that back; the others carry no such key.
TEST(JsonReport, AnExchangeOfAMissedAttemptSaysWhichAndIsReadBack) {
  RunResult run = sample();
  auto& records = run.targets[0].results[0].exchanges;
  ASSERT_EQ(records.size(), 1u);
  records.insert(records.begin(), records[0]);
  records[0].missed_attempt = 1;
  const std::string text = render_json_report(run, FailOn::must);
  auto json = nlohmann::json::parse(text);
  EXPECT_EQ(json["targets"][0]["results"][0]["exchanges"][0]["missed_attempt"], 1);
  EXPECT_FALSE(json["targets"][0]["results"][0]["exchanges"][1].contains("missed_attempt"));
  auto read = read_json_report(text, "r.json");
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->run.targets[0].results[0].exchanges[0].missed_attempt, 1);
  EXPECT_EQ(read->run.targets[0].results[0].exchanges[1].missed_attempt, 0);
  EXPECT_NE(render_console_report(read->run, FailOn::must, {.verbose = true})
                .find("(attempt 1, which missed its second and judged nothing)"),
            std::string::npos);
}

// Each result names the RFC of its section; merge reads it back, and a
// result of an older report without it still gets one, from its checks.
TEST(JsonReport, EachResultNamesTheRfcOfItsSection) {
  RunResult run = sample();
  run.targets[0].results[1].rfc = "9113";  // the not-applicable one: no check to tell
  auto json = nlohmann::json::parse(render_json_report(run, FailOn::must));
  EXPECT_EQ(json["targets"][0]["results"][0]["rfc"], "9110");  // from its check
  EXPECT_EQ(json["targets"][0]["results"][1]["rfc"], "9113");
  auto read = read_json_report(json.dump(), "r.json");
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->run.targets[0].results[1].rfc, "9113");
  json["targets"][0]["results"][1].erase("rfc");
  read = read_json_report(json.dump(), "old.json");
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->run.targets[0].results[1].rfc, "");
}

// Targets are converted while the document is parsed: every target comes
// back, in order, and what is in "targets" but no target object is refused
// as when the document was read whole.
TEST(JsonReader, ReadsEveryTargetInOrderAndRefusesATargetThatIsNoObject) {
  RunResult run = sample();
  run.targets.push_back(run.targets.front());
  run.targets.back().url = "http://second.example/";
  auto json = nlohmann::json::parse(render_json_report(run, FailOn::must));
  auto read = read_json_report(json.dump(), "two.json");
  ASSERT_TRUE(read) << read.error().message;
  ASSERT_EQ(read->run.targets.size(), 2u);
  EXPECT_EQ(read->run.targets[1].url, "http://second.example/");
  EXPECT_EQ(render_json_report(read->run, FailOn::must), render_json_report(run, FailOn::must));

  json["targets"].push_back(5);
  read = read_json_report(json.dump(), "odd.json");
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().message,
            "odd.json: not a valid condspec JSON report: [json.exception.type_error.304] cannot "
            "use at() with number");
}

TEST(JsonReader, AReportWithoutProtocolsIsAnHttp1RunAndUnknownNamesAreRefused) {
  auto json = nlohmann::json::parse(render_json_report(sample(), FailOn::must));
  json["targets"][0].erase("protocol");
  auto read = read_json_report(json.dump(), "old.json");
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->run.targets[0].protocol, Protocol::http1_1);

  json["targets"][0]["protocol"] = "h3";
  read = read_json_report(json.dump(), "new.json");
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().message,
            "new.json: not a valid condspec JSON report: unknown protocol 'h3'");
  json["targets"][0]["protocol"] = "h2";
  json["targets"][0]["results"][0]["exchanges"][0]["frames"] =
      nlohmann::json::parse(R"([{"sent": false, "type": "SETTINGS", "flags": "END_STREAM",
                                 "length": 0, "stream": 0}])");
  read = read_json_report(json.dump(), "new.json");
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().message,
            "new.json: not a valid condspec JSON report: unknown flags 'END_STREAM' of a SETTINGS "
            "frame");
}

TEST(ConsoleReport, TargetsAreNamedWithTheirProtocolAndFramesShownWhenVerbose) {
  const RunResult run = testing::sample_run_over_two_protocols();
  std::string text = render_console_report(run, FailOn::must, {.verbose = true});
  EXPECT_NE(text.find("\ntarget http://127.0.0.1:8080/a (http/1.1)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\ntarget https://127.0.0.1:8443/a (h2)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("           > GET /a HTTP/2\\r\\n\n"
                      "           > :method: GET\\r\\n\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("           = sent SETTINGS stream 0, 18 bytes\n"
                      "           = sent HEADERS stream 1, 31 bytes, END_STREAM|END_HEADERS\n"
                      "           = received SETTINGS stream 0, 0 bytes\n"
                      "           = received HEADERS stream 1, 9 bytes, END_HEADERS\n"
                      "           = received DATA stream 1, 5 bytes, END_STREAM\n"
                      "           = ... and 2 more frames\n"),
            std::string::npos)
      << text;
}

TEST(HtmlReport, TargetsAndMatrixColumnsNameTheProtocolAndExchangesListTheirFrames) {
  const std::string html =
      render_html_report(testing::sample_run_over_two_protocols(), FailOn::must);
  EXPECT_NE(html.find("<h3 class=\"target\">target https://127.0.0.1:8443/a (h2)</h3>"),
            std::string::npos);
  EXPECT_NE(html.find("<h3 class=\"target\">target http://127.0.0.1:8080/a (http/1.1)</h3>"),
            std::string::npos);
  EXPECT_NE(html.find("<th>https://127.0.0.1:8443/a<br><span class=\"muted\">h2</span></th>"),
            std::string::npos);
  EXPECT_NE(html.find("<div>7 frames</div><pre>sent SETTINGS stream 0, 18 bytes\n"),
            std::string::npos);
  EXPECT_NE(html.find("received DATA stream 1, 5 bytes, END_STREAM\n... and 2 more\n</pre>"),
            std::string::npos);
}

}  // namespace
}  // namespace condspec
