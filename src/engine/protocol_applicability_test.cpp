#include "src/engine/protocol_applicability.h"

#include <gtest/gtest.h>

#include <set>

#include "src/cases/loader.h"

namespace condspec {
namespace {

// The shipped scenarios: HTTP/1.1 framing (RFC 9112) and what only HTTP/1.1
// can send over HTTP/1.1 only, HTTP/2 framing (RFC 9113) over HTTP/2 only,
// the rest (RFC 9110 semantics) over every protocol.
TEST(ProtocolApplicability, ShippedScenariosByTheirFraming) {
  auto suite = load_suite(CONDSPEC_SOURCE_DIR "/cases");
  ASSERT_TRUE(suite) << render(suite.error());
  const std::set<std::string> http1_only = {
      "content-length-matches-content", "no-content-length-with-transfer-encoding",
      "no-transfer-encoding-to-http10", "inm-in-a-late-field-line-gets-304"};
  const std::set<std::string> http2_only = {"h2-content-length-matches-data",
                                            "h2-no-connection-specific-fields", "h2-no-data-in-304",
                                            "h2-no-data-in-head-response", "h2-no-data-in-204"};
  size_t everywhere = 0;
  for (const auto& s : suite->scenarios) {
    const bool http1 = applies_over(s, Protocol::http1_1);
    const bool h2 = applies_over(s, Protocol::h2);
    EXPECT_EQ(h2, applies_over(s, Protocol::h2c)) << s.id;
    if (http1_only.contains(s.id)) {
      EXPECT_TRUE(http1 && !h2) << s.id;
    } else if (http2_only.contains(s.id)) {
      EXPECT_TRUE(!http1 && h2) << s.id;
    } else {
      EXPECT_TRUE(http1 && h2) << s.id;
      ++everywhere;
    }
  }
  EXPECT_EQ(everywhere + http1_only.size() + http2_only.size(), suite->scenarios.size());
}

TEST(ProtocolApplicability, TheReasonSaysWhyNot) {
  auto suite = load_suite(CONDSPEC_SOURCE_DIR "/cases");
  ASSERT_TRUE(suite) << render(suite.error());
  auto reason = [&](const char* id, Protocol p) {
    return not_over_reason(*suite->scenario(id), p);
  };
  EXPECT_EQ(reason("content-length-matches-content", Protocol::h2),
            "HTTP/1.1 message framing (RFC 9112) is not used over HTTP/2, whose frames delimit "
            "messages (RFC 9113 8.1)");
  EXPECT_EQ(reason("no-transfer-encoding-to-http10", Protocol::h2c),
            "an HTTP/1.0 request cannot be sent over HTTP/2");
  EXPECT_EQ(reason("inm-in-a-late-field-line-gets-304", Protocol::h2c),
            "a header section in two writes (split_before) is sent over HTTP/1.1 only");
  EXPECT_EQ(reason("h2-no-connection-specific-fields", Protocol::http1_1),
            "HTTP/2 framing (RFC 9113) is not used over HTTP/1.1");
}

TEST(ProtocolApplicability, ACaseFileMayNarrowWithoutAReasonOfItsOwn) {
  Scenario s;
  s.protocols = {Protocol::http1_1, Protocol::h2c};
  s.protocols_stated = true;
  EXPECT_TRUE(applies_over(s, Protocol::h2c));
  EXPECT_FALSE(applies_over(s, Protocol::h2));
  EXPECT_EQ(not_over_reason(s, Protocol::h2),
            "the scenario's case file runs it over http/1.1, h2c only (protocols)");
  EXPECT_TRUE(applies_over(Scenario{}, Protocol::h2));  // by default, every protocol
}

}  // namespace
}  // namespace condspec
