#include "src/cases/protocol_bounds.h"

#include <gtest/gtest.h>

namespace condspec {
namespace {

Step step(std::string id, std::string requirement = "9110-13.1.2-weak-compare") {
  Step s;
  s.id = std::move(id);
  s.expect.push_back(Expectation{StatusCheck{{200}}, std::move(requirement), {}});
  return s;
}

TEST(ProtocolBarrier, SemanticsHoldOverEveryProtocol) {
  Scenario s;
  s.steps = {step("first"), step("second")};
  for (Protocol p : kProtocols) EXPECT_FALSE(protocol_barrier(s, p)) << to_string(p);
}

TEST(ProtocolBarrier, AnHttp10RequestOnlyOverHttp11) {
  Scenario s;
  s.steps = {step("first"), step("old")};
  s.steps[1].request.version = "HTTP/1.0";
  EXPECT_FALSE(protocol_barrier(s, Protocol::http1_1));
  for (Protocol p : {Protocol::h2, Protocol::h2c}) {
    auto barrier = protocol_barrier(s, p);
    ASSERT_TRUE(barrier);
    EXPECT_EQ(barrier->what, "step 'old' sends an HTTP/1.0 request");
    EXPECT_EQ(barrier->reason, "an HTTP/1.0 request cannot be sent over HTTP/2");
  }
}

TEST(ProtocolBarrier, ASplitHeaderSectionOnlyOverHttp11) {
  Scenario s;
  s.steps = {step("late")};
  s.steps[0].request.split_before = "If-None-Match";
  EXPECT_FALSE(protocol_barrier(s, Protocol::http1_1));
  auto barrier = protocol_barrier(s, Protocol::h2c);
  ASSERT_TRUE(barrier);
  EXPECT_EQ(barrier->what, "step 'late' sends its header section in two writes (split_before)");
  EXPECT_EQ(barrier->reason,
            "a header section in two writes (split_before) is sent over HTTP/1.1 only");
}

TEST(ProtocolBarrier, EachProtocolsFramingOnlyOverItself) {
  Scenario http1;
  http1.steps = {step("first", "9112-6.3-cl-body-match")};
  EXPECT_FALSE(protocol_barrier(http1, Protocol::http1_1));
  auto barrier = protocol_barrier(http1, Protocol::h2);
  ASSERT_TRUE(barrier);
  EXPECT_EQ(barrier->what, "it judges 9112-6.3-cl-body-match");
  EXPECT_EQ(barrier->reason,
            "HTTP/1.1 message framing (RFC 9112) is not used over HTTP/2, whose frames delimit "
            "messages (RFC 9113 8.1)");

  Scenario http2;
  http2.steps = {step("first", "9113-8.2.2-no-connection-fields")};
  EXPECT_FALSE(protocol_barrier(http2, Protocol::h2));
  EXPECT_FALSE(protocol_barrier(http2, Protocol::h2c));
  barrier = protocol_barrier(http2, Protocol::http1_1);
  ASSERT_TRUE(barrier);
  EXPECT_EQ(barrier->what, "it judges 9113-8.2.2-no-connection-fields");
  EXPECT_EQ(barrier->reason, "HTTP/2 framing (RFC 9113) is not used over HTTP/1.1");
}

TEST(ProtocolBarrier, TheFirstInStepOrder) {
  Scenario s;
  s.steps = {step("first", "9112-6.3-cl-body-match"), step("old")};
  s.steps[1].request.version = "HTTP/1.0";
  EXPECT_EQ(protocol_barrier(s, Protocol::h2)->what, "it judges 9112-6.3-cl-body-match");
}

}  // namespace
}  // namespace condspec
