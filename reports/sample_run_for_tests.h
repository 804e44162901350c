#pragma once
// A small hand-built RunResult shared by the renderer tests: one target with
// a MUST failure (with its exchange), a not-applicable scenario, a pass, a
// SHOULD warning and an error.

#include <chrono>
#include <string>

#include "src/cases/model.h"
#include "src/engine/outcome.h"
#include "src/engine/run_result.h"
#include "src/http/message.h"

namespace condspec::testing {

inline StepRecord sample_exchange(const std::string& url, const std::string& etag) {
  StepRecord record;
  record.step = "revalidate";
  record.url = url;
  record.exchange.request_bytes = "GET /a HTTP/1.1\r\nIf-None-Match: W/\"x\"\r\n\r\n";
  record.exchange.response = Response{};
  record.exchange.response->status = 200;
  record.exchange.response->head = "HTTP/1.1 200 OK\r\nETag: " + etag + "\r\n\r\n";
  record.exchange.response->framing = Framing::content_length;
  record.exchange.response->content = "hello";
  return record;
}

inline RunResult sample_run(const std::string& etag = "\"x\"") {
  RunResult run;
  run.tool_version = "0.1.0";
  run.started_at = "Sun, 22 Nov 2026 10:00:00 GMT";
  run.elapsed = std::chrono::microseconds{312500};
  TargetResult target;
  target.url = "http://127.0.0.1:8080/a";
  target.facts = {"etag", "strong-etag"};

  ScenarioResult failed;
  failed.scenario = "inm-weak-form-of-strong-tag";
  failed.title = "If-None-Match with the weak form of the current strong tag gets 304";
  failed.section = "13.1.2";
  failed.outcome = Outcome::fail;
  failed.elapsed = std::chrono::microseconds{1200};
  failed.checks.push_back({"revalidate", "9110-13.1.2-weak-compare", "9110", "13.1.2", Level::must,
                           Outcome::fail, "status 304", "status 200",
                           "The server answered 200 where 304 was expected."});
  failed.exchanges.push_back(sample_exchange(target.url, etag));
  target.results.push_back(failed);

  ScenarioResult skipped;
  skipped.scenario = "inm-own-weak-tag";
  skipped.title = "If-None-Match with the target's own weak tag gets 304";
  skipped.section = "13.1.2";
  skipped.outcome = Outcome::not_applicable;
  skipped.reason = "the target sends no weak ETag";
  target.results.push_back(skipped);

  ScenarioResult passed;
  passed.scenario = "inm-exact";
  passed.title = "If-None-Match with the current tag gets 304";
  passed.section = "13.1.2";
  passed.outcome = Outcome::pass;
  passed.elapsed = std::chrono::microseconds{800};
  passed.checks.push_back({"revalidate", "9110-13.1.2-weak-compare", "9110", "13.1.2", Level::must,
                           Outcome::pass, "status 304", "status 304",
                           "A weak comparison of the tags matches."});
  target.results.push_back(passed);

  ScenarioResult warned;
  warned.scenario = "nm-304-carries-cache-control";
  warned.title = "A 304 carries the Cache-Control a 200 would";
  warned.section = "15.4.5";
  warned.outcome = Outcome::warn;
  warned.checks.push_back({"revalidate", "9110-15.4.5-carry-fields", "9110", "15.4.5",
                           Level::should, Outcome::warn, "Cache-Control: max-age=60",
                           "no Cache-Control", "A 304 should carry the fields a 200 would."});
  target.results.push_back(warned);

  ScenarioResult errored;
  errored.scenario = "ims-equal-date";
  errored.title = "If-Modified-Since equal to Last-Modified gets 304";
  errored.section = "13.1.3";
  errored.outcome = Outcome::error;
  errored.reason = "timed out after 10000 ms waiting for the response head";
  target.results.push_back(errored);

  run.targets.push_back(target);
  return run;
}

// The sample run's target judged over HTTP/1.1 and again over h2, whose
// exchange has HTTP/2 evidence: readable heads and frames.
inline RunResult sample_run_over_two_protocols() {
  RunResult run = sample_run();
  TargetResult h2 = run.targets[0];
  h2.protocol = Protocol::h2;
  h2.url = "https://127.0.0.1:8443/a";
  Exchange& exchange = h2.results[0].exchanges[0].exchange;
  exchange.request_bytes =
      "GET /a HTTP/2\r\n:method: GET\r\n:scheme: https\r\n:authority: "
      "127.0.0.1:8443\r\n:path: /a\r\nif-none-match: W/\"x\"\r\n\r\n";
  exchange.response->head = "HTTP/2 200\r\n:status: 200\r\netag: \"x\"\r\n\r\n";
  exchange.response->framing = Framing::end_stream;
  exchange.frames = {{true, 0x4, 0x0, 18, 0},
                     {true, 0x1, 0x05, 31, 1},
                     {false, 0x4, 0x0, 0, 0},
                     {false, 0x1, 0x04, 9, 1},
                     {false, 0x0, 0x01, 5, 1}};
  exchange.frames_dropped = 2;
  run.targets.push_back(h2);
  return run;
}

}  // namespace condspec::testing
