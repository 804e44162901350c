#include "reports/curl_command.h"

#include <gtest/gtest.h>

namespace condspec {
namespace {

StepRecord step(std::string request, std::string url = "https://example.com/a.js") {
  StepRecord record;
  record.step = "revalidate";
  record.url = std::move(url);
  record.exchange.request_bytes = std::move(request);
  return record;
}

TEST(CurlCommand, ReproducesAConditionalGet) {
  auto r = step(
      "GET /a.js HTTP/1.1\r\nHost: example.com\r\nIf-None-Match: \"x\", W/\"y\"\r\n"
      "Authorization: [redacted]\r\nUser-Agent: condspec/1.0\r\n\r\n");
  EXPECT_EQ(curl_command(r, Protocol::http1_1),
            "curl -sS -i --http1.1 -H 'If-None-Match: \"x\", W/\"y\"' -H 'Authorization: "
            "[redacted]' -H 'User-Agent: condspec/1.0' -H 'Accept:' 'https://example.com/a.js'");
}

TEST(CurlCommand, HeadPutAndHttp2) {
  EXPECT_EQ(curl_command(step("HEAD /a HTTP/1.1\r\nHost: e\r\nAccept: */*\r\n\r\n", "http://e/a"),
                         Protocol::http1_1),
            "curl -sS -i --http1.1 --head -H 'Accept: */*' 'http://e/a'");
  EXPECT_EQ(curl_command(step("PUT /w HTTP/1.1\r\nHost: e\r\nContent-Length: 4\r\nIf-Match: "
                              "*\r\n\r\nit's",
                              "http://e/w"),
                         Protocol::http1_1),
            "curl -sS -i --http1.1 -X 'PUT' -H 'If-Match: *' -H 'Accept:' --data-binary 'it'\\''s' "
            "'http://e/w'");
  EXPECT_EQ(
      curl_command(step("GET /a HTTP/2\r\n:method: GET\r\n:path: /a\r\nif-none-match: "
                        "\"x\"\r\n\r\n"),
                   Protocol::h2),
      "curl -sS -i --http2 -H 'if-none-match: \"x\"' -H 'Accept:' 'https://example.com/a.js'");
  EXPECT_EQ(curl_command(step("GET /a HTTP/2\r\n\r\n", "http://e/a"), Protocol::h2c),
            "curl -sS -i --http2-prior-knowledge -H 'Accept:' 'http://e/a'");
}

TEST(CurlCommand, NoneWhenCurlCannotSendItAsSent) {
  EXPECT_EQ(curl_command(step("GET /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
                         Protocol::http1_1),
            std::nullopt);
  EXPECT_EQ(curl_command(step("GET /a HTTP/0.9\r\n\r\n"), Protocol::http1_1), std::nullopt);
  auto follow_up = step("GET /a HTTP/1.1\r\n\r\n");
  follow_up.follow_up = true;
  EXPECT_EQ(curl_command(follow_up, Protocol::http1_1), std::nullopt);
  auto split = step("GET /a HTTP/1.1\r\nHost: e\r\n");
  split.exchange.first_write_bytes = 10;
  EXPECT_EQ(curl_command(split, Protocol::http1_1), std::nullopt);
}

TEST(CurlCommand, ShellQuotingKeepsEveryByteLiteral) {
  EXPECT_EQ(shell_quote("a b$`\"c"), "'a b$`\"c'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote("a\r\nb'"), "$'a\\x0d\\x0ab\\x27'");
}

// The next step of a failure: explain, then a curl command; in a cache run,
// `condspec cache` with the run's own origin address instead, since the
// origin behind the cache was condspec and is gone with the run.
TEST(NextStepText, CurlForATargetAndCondspecCacheForACache) {
  TargetResult target;
  target.url = "http://127.0.0.1:6081/";
  ScenarioResult result;
  result.scenario = "cache-revalidates-stale-with-stored-etag";
  result.outcome = Outcome::fail;
  result.checks.push_back({"stale", "9111-4.3.1-send-stored-etag", "9111", "4.3.1", Level::must,
                           Outcome::fail, "If-None-Match: \"v1\"", "If-None-Match absent",
                           "The request the cache sent upstream has no If-None-Match field.",
                           Hop::upstream});
  result.exchanges.push_back(
      step("GET /c/1/a HTTP/1.1\r\nHost: 127.0.0.1:6081\r\n\r\n", "http://127.0.0.1:6081/c/1/a"));
  result.exchanges.back().step = "stale";
  EXPECT_EQ(next_step_text(target, result, std::nullopt),
            "next step: condspec explain cache-revalidates-stale-with-stored-etag\n"
            "reproduce step 'stale': curl -sS -i --http1.1 -H 'Accept:' "
            "'http://127.0.0.1:6081/c/1/a'\n");
  const CacheRunInfo cache{"http://127.0.0.1:8081", "/c/1/"};
  EXPECT_EQ(next_step_text(target, result, cache),
            "next step: condspec explain cache-revalidates-stale-with-stored-etag\n"
            "reproduce: condspec cache 'http://127.0.0.1:6081/' --origin-listen 127.0.0.1:8081 "
            "--select cache-revalidates-stale-with-stored-etag --verbose (the cache's upstream "
            "still 127.0.0.1:8081; curl alone cannot, as condspec was the origin)\n");
  target.protocol = Protocol::h2c;
  EXPECT_NE(next_step_text(target, result, cache)
                .find("--origin-listen 127.0.0.1:8081 --protocol h2c --select "),
            std::string::npos);
}

// A scenario that ran again after missing its second keeps the earlier
// attempt's exchanges first; the step to reproduce is the judged one.
TEST(FailingStep, IsOfTheJudgedAttempt) {
  ScenarioResult result;
  result.outcome = Outcome::fail;
  result.checks.push_back({"resume", "9110-13.1.5-date-weak-false", "9110", "13.1.5", Level::must,
                           Outcome::fail, "status 200", "status 206", "", Hop::client});
  for (int attempt : {1, 0}) {
    result.exchanges.push_back(step("GET /writable HTTP/1.1\r\n\r\n"));
    result.exchanges.back().step = "resume";
    result.exchanges.back().missed_attempt = attempt;
  }
  EXPECT_EQ(failing_step(result), &result.exchanges[1]);
}

}  // namespace
}  // namespace condspec
