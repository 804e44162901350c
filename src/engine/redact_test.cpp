#include "src/engine/redact.h"

#include <gtest/gtest.h>

#include "src/http/message.h"

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
