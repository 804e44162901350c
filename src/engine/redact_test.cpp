#include "src/engine/redact.h"

#include <gtest/gtest.h>

#include "src/cases/checks/evidence.h"
#include "src/http/message.h"
#include "src/http/response_parser.h"
#include "src/http/scripted_server_for_tests.h"
#include "src/http/stray_bytes.h"
#include "src/http/wire_client.h"

namespace condspec {
namespace {

TEST(Redact, HidesCredentialFieldsWhateverTheirCase) {
  EXPECT_EQ(redact_message("GET / HTTP/1.1\r\nauthorization: Bearer abc\r\nCookie: s=1\r\n"
                           "Accept: */*\r\n\r\n",
                           {}),
            "GET / HTTP/1.1\r\nauthorization: [redacted]\r\nCookie: [redacted]\r\n"
            "Accept: */*\r\n\r\n");
}

TEST(Redact, TheReadableHttp2FormToo) {
  // Over HTTP/2 field names go in lower case and pseudo-header fields start
  // with a colon: only the credential's value is hidden.
  EXPECT_EQ(redact_message("GET / HTTP/2\r\n:method: GET\r\n:authority: a.test\r\n"
                           "authorization: Bearer abc\r\ncookie: s=1\r\n\r\n",
                           {}),
            "GET / HTTP/2\r\n:method: GET\r\n:authority: a.test\r\n"
            "authorization: [redacted]\r\ncookie: [redacted]\r\n\r\n");
}

TEST(Redact, HidesNamedSecretsAnywhere) {
  EXPECT_EQ(redact_message("GET /?key=s3cret HTTP/1.1\r\nX-Api-Key: s3cret\r\n\r\n", {"s3cret"}),
            "GET /?key=[redacted] HTTP/1.1\r\nX-Api-Key: [redacted]\r\n\r\n");
}

TEST(Redact, AppliesToEveryRecordedExchange) {
  RunResult run;
  run.targets.emplace_back();
  StepRecord record;
  record.exchange.request_bytes = "GET / HTTP/1.1\r\nAuthorization: Basic eA==\r\n\r\n";
  run.targets[0].discovery.push_back(record);
  ScenarioResult result;
  result.exchanges.push_back(record);
  run.targets[0].results.push_back(result);
  redact_run(run, {});
  EXPECT_EQ(run.targets[0].discovery[0].exchange.request_bytes,
            "GET / HTTP/1.1\r\nAuthorization: [redacted]\r\n\r\n");
  EXPECT_EQ(run.targets[0].results[0].exchanges[0].exchange.request_bytes,
            "GET / HTTP/1.1\r\nAuthorization: [redacted]\r\n\r\n");
}

}  // namespace
}  // namespace condspec

// A secret that straddles a cap is redacted whole: redaction comes before
// any cut, and where a cut was made (the end of capped evidence, or a cut
// mark "..."), what precedes it that may be the start of a secret is
// redacted too, since what followed is not known. Each test places the
// secret with its first k bytes before the cut, for every k; the filler
// holds no byte of the secret.
namespace condspec {
namespace {

using namespace std::chrono_literals;
using wire_testing::Peer;
using wire_testing::ScriptedServer;

const std::string kSecret = "hunter2pass12";

RunResult run_with(const Exchange& exchange) {
  RunResult run;
  run.targets.emplace_back();
  ScenarioResult result;
  result.exchanges.push_back({"step", "http://h/", exchange, false});
  run.targets[0].results.push_back(result);
  return run;
}

const Exchange& only_exchange(const RunResult& run) {
  return run.targets[0].results[0].exchanges[0].exchange;
}

TEST(RedactAtCuts, ASecretAcrossTheStrayBytesCap) {
  for (size_t k = 1; k < kSecret.size(); ++k) {
    StrayBytes stray;
    record_stray(stray, std::string(StrayBytes::kMaxKept - k, '_') + kSecret + "tail",
                 StrayEnd::server_closed);
    Exchange exchange;
    attach_stray(exchange, stray);
    RunResult run = run_with(exchange);
    redact_run(run, {kSecret});
    const std::string& kept = only_exchange(run).stray_bytes;
    EXPECT_TRUE(kept.ends_with("_[redacted]")) << k << ": " << kept.substr(kept.size() - 20);
    EXPECT_EQ(kept.find(kSecret.substr(0, 1)), std::string::npos) << k;
  }
}

TEST(RedactAtCuts, ASecretAcrossTheReceivedEvidenceCap) {
  const std::string start = "HTTP/1.1 200 OK\r\nX-Big: ";
  for (size_t k = 1; k < kSecret.size(); ++k) {
    ScriptedServer server([&](Peer& peer, int) {
      peer.read_request();
      peer.write(start + std::string(64 * 1024 - start.size() - k, '_') + kSecret +
                 std::string(100, '_') + "\r\n\r\n");
      peer.wait_for_close(500ms);
    });
    WireClient client(server.url(), ClientOptions{.connect_timeout = 1000ms, .deadline = 2000ms});
    Request request;
    RunResult run = run_with(client.send(request).exchange);
    client.close();
    redact_run(run, {kSecret});
    const Exchange& exchange = only_exchange(run);
    EXPECT_EQ(exchange.error, "response head exceeds 65536 bytes");
    EXPECT_GT(exchange.received_dropped, 0u);
    EXPECT_TRUE(exchange.received.ends_with("_[redacted]"))
        << k << ": " << exchange.received.substr(exchange.received.size() - 20);
    EXPECT_EQ(exchange.received.find(kSecret.substr(0, 1)), std::string::npos) << k;
  }
}

TEST(RedactAtCuts, ASecretAcrossTheCutOfAQuotedLine) {
  for (size_t k = 1; k < kSecret.size(); ++k) {
    ResponseParser parser("GET", ResponseLimits{});
    parser.feed("XTTP/" + std::string(200 - 5 - k, '_') + kSecret + "____\r\n\r\n");
    Exchange exchange;
    exchange.error = parser.error();
    RunResult run = run_with(exchange);
    run.targets[0].results[0].reason = "step 'step': " + parser.error();
    redact_run(run, {kSecret});
    const std::string expected = "not an HTTP response: status line 'XTTP/" +
                                 std::string(200 - 5 - k, '_') + "[redacted]...'";
    EXPECT_EQ(only_exchange(run).error, expected) << k;
    EXPECT_EQ(run.targets[0].results[0].reason, "step 'step': " + expected) << k;
  }
}

TEST(RedactAtCuts, ASecretAcrossTheCutOfAPreview) {
  for (size_t k = 1; k < kSecret.size(); ++k) {
    RunResult run = run_with(Exchange{});
    CheckResult check;
    check.actual = "5000 bytes: " + preview(std::string(64 - k, '_') + kSecret + "____", 64);
    run.targets[0].results[0].checks.push_back(check);
    redact_run(run, {kSecret});
    EXPECT_EQ(run.targets[0].results[0].checks[0].actual,
              "5000 bytes: " + std::string(64 - k, '_') + "[redacted]...")
        << k;
  }
}

// What is not at a cut stays as it is: only a whole secret is redacted there.
TEST(RedactAtCuts, TextThatWasNotCutKeepsAPrefixThatIsNotASecret) {
  RunResult run = run_with(Exchange{});
  run.targets[0].results[0].reason = "hunter2 and hunter2pass12 and hunter2pass1...";
  redact_run(run, {kSecret});
  EXPECT_EQ(run.targets[0].results[0].reason, "hunter2 and [redacted] and [redacted]...");
}

// Overlapping secrets: the longest is redacted first, so no part of it is
// left beside a shorter one's mark; a secret is also found in the printable
// form evidence messages show it in.
TEST(Redact, LongerSecretsFirstAndInTheirPrintableForm) {
  EXPECT_EQ(redact_message("abcdef abc", {"abc", "abcdef"}), "[redacted] [redacted]");
  RunResult run = run_with(Exchange{});
  run.targets[0].results[0].reason = "status line 'pa\\\\ss\\x01'";
  redact_run(run, {"pa\\ss\x01"});
  EXPECT_EQ(run.targets[0].results[0].reason, "status line '[redacted]'");
}

}  // namespace
}  // namespace condspec
