#include "reports/wording.h"

#include <gtest/gtest.h>

namespace condspec {
namespace {

using std::chrono::microseconds;

TEST(Wording, CountsAgreeWithTheirNoun) {
  EXPECT_EQ(count_of(1, "exchange"), "1 exchange");
  EXPECT_EQ(count_of(0, "exchange"), "0 exchanges");
  EXPECT_EQ(count_of(205, "exchange"), "205 exchanges");
}

TEST(Wording, DurationsNeverPrintAsZeroSeconds) {
  EXPECT_EQ(duration_text(microseconds{2'345'678}), "2.35 s");
  EXPECT_EQ(duration_text(microseconds{1'000'000}), "1.00 s");
  EXPECT_EQ(duration_text(microseconds{330'400}), "330 ms");
  EXPECT_EQ(duration_text(microseconds{999'600}), "1.00 s");
  EXPECT_EQ(duration_text(microseconds{999'400}), "999 ms");
  EXPECT_EQ(duration_text(microseconds{8'440}), "8.4 ms");
  EXPECT_EQ(duration_text(microseconds{120}), "120 µs");
  EXPECT_EQ(duration_text(microseconds{0}), "0 µs");
}

}  // namespace
}  // namespace condspec
