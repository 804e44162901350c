#include "src/engine/evidence.h"

#include <gtest/gtest.h>

namespace condspec {
namespace {

StepRecord answered(std::string content) {
  StepRecord record;
  record.step = "get";
  record.exchange.request_bytes = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  Response response;
  response.status = 200;
  response.head = "HTTP/1.1 200 OK\r\nETag: \"x\"\r\n\r\n";
  response.fields.add("ETag", "\"x\"");
  response.trailers.add("Digest", "y");
  response.content = std::move(content);
  response.framing_notes = {"a note"};
  record.exchange.response = std::move(response);
  return record;
}

TEST(Evidence, KeepsWhatReportsShowAndTheContentSizeOnly) {
  StepRecord record = answered("twelve bytes");
  keep_only_what_reports_show(record);
  const Response& kept = *record.exchange.response;
  EXPECT_EQ(kept.content, "");
  EXPECT_EQ(kept.content_size(), 12u);
  EXPECT_TRUE(kept.fields.empty());
  EXPECT_TRUE(kept.trailers.empty());
  EXPECT_EQ(kept.head, "HTTP/1.1 200 OK\r\nETag: \"x\"\r\n\r\n");
  EXPECT_EQ(kept.status, 200);
  EXPECT_EQ(kept.framing_notes, std::vector<std::string>{"a note"});
  EXPECT_EQ(record.exchange.request_bytes, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  // Twice changes nothing.
  keep_only_what_reports_show(record);
  EXPECT_EQ(record.exchange.response->content_size(), 12u);
}

TEST(Evidence, AnExchangeWithoutAResponseKeepsItsEvidence) {
  StepRecord record;
  record.exchange.error = "connection refused";
  record.exchange.received = "partial";
  keep_only_what_reports_show(record);
  EXPECT_EQ(record.exchange.error, "connection refused");
  EXPECT_EQ(record.exchange.received, "partial");
}

TEST(Evidence, EveryExchangeOfAScenario) {
  ScenarioResult result;
  result.exchanges = {answered("a"), answered("bb")};
  keep_only_what_reports_show(result);
  EXPECT_EQ(result.exchanges[0].exchange.response->content_size(), 1u);
  EXPECT_EQ(result.exchanges[1].exchange.response->content_size(), 2u);
  EXPECT_EQ(result.exchanges[1].exchange.response->content, "");
}

}  // namespace
}  // namespace condspec
