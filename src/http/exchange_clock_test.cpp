#include "src/http/exchange_clock.h"

#include <gtest/gtest.h>

#include <thread>

namespace condspec {
namespace {

using namespace std::chrono_literals;

TEST(ExchangeClock, TheDeadlineIsTheBudgetFromTheStartAndElapsedIsRealTime) {
  const auto before = std::chrono::steady_clock::now();
  const ExchangeClock clock = ExchangeClock::starting_now(250ms);
  EXPECT_GE(clock.start, before);
  EXPECT_EQ(clock.deadline - clock.start, 250ms);
  std::this_thread::sleep_for(20ms);
  EXPECT_GE(clock.elapsed(), 20ms);
  EXPECT_GE(clock.elapsed_ms(), 20);
  EXPECT_LE(clock.elapsed_ms(), std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::steady_clock::now() - before)
                                    .count());
}

}  // namespace
}  // namespace condspec
