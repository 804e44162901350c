#include "src/http/exchange_evidence.h"

#include <gtest/gtest.h>

#include <string>

namespace condspec {
namespace {

TEST(KeepReceived, KeepsTheFirstBytesAndCountsTheRest) {
  Exchange exchange;
  keep_received(exchange, std::string(kMaxEvidenceBytes - 2, 'a'));
  EXPECT_EQ(exchange.received_dropped, 0u);
  keep_received(exchange, "bcdef");
  EXPECT_EQ(exchange.received.size(), kMaxEvidenceBytes);
  EXPECT_TRUE(exchange.received.ends_with("aabc"));
  EXPECT_EQ(exchange.received_dropped, 3u);
  keep_received(exchange, "gh");
  EXPECT_EQ(exchange.received.size(), kMaxEvidenceBytes);
  EXPECT_EQ(exchange.received_dropped, 5u);
}

TEST(KeepHandshake, NothingFromAConnectionThatSawNoHandshake) {
  Exchange exchange;
  exchange.received = "stale";
  exchange.received_dropped = 7;
  keep_handshake(exchange, Connection{});
  EXPECT_EQ(exchange.received, "");
  EXPECT_EQ(exchange.received_dropped, 0u);
}

}  // namespace
}  // namespace condspec
