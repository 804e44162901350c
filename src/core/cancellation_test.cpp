#include "src/core/cancellation.h"

#include <gtest/gtest.h>
#include <poll.h>

#include <chrono>
#include <thread>

namespace condspec {
namespace {

bool readable(int fd, int timeout_ms) {
  pollfd entry{fd, POLLIN, 0};
  return ::poll(&entry, 1, timeout_ms) == 1;
}

TEST(Cancellation, WakesEveryWaitOnItsDescriptorAndStaysSet) {
  Cancellation cancellation;
  ASSERT_GE(cancellation.wait_fd(), 0);
  EXPECT_FALSE(cancellation.cancelled());
  EXPECT_FALSE(readable(cancellation.wait_fd(), 0));
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
    cancellation.cancel();
  });
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(readable(cancellation.wait_fd(), 10'000));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds{2});
  canceller.join();
  EXPECT_TRUE(cancellation.cancelled());
  EXPECT_TRUE(cancellation.flag().load());
  // Every later wait wakes too, and cancelling again changes nothing.
  cancellation.cancel();
  EXPECT_TRUE(readable(cancellation.wait_fd(), 0));
  EXPECT_TRUE(readable(cancellation.wait_fd(), 0));
}

// A pause runs its whole length when nothing cancels it, wakes within
// milliseconds when the cancellation comes during it, and does not start
// when it came before.
TEST(Cancellation, APauseEndsOnCancellationAndOtherwiseRunsItsLength) {
  using std::chrono::milliseconds;
  using Clock = std::chrono::steady_clock;
  Cancellation cancellation;
  auto start = Clock::now();
  EXPECT_TRUE(pause_unless_cancelled(&cancellation, milliseconds{100}));
  EXPECT_GE(Clock::now() - start, milliseconds{100});
  start = Clock::now();
  EXPECT_TRUE(pause_unless_cancelled(nullptr, milliseconds{50}));
  EXPECT_GE(Clock::now() - start, milliseconds{50});

  std::thread canceller([&] {
    std::this_thread::sleep_for(milliseconds{50});
    cancellation.cancel();
  });
  start = Clock::now();
  EXPECT_FALSE(pause_unless_cancelled(&cancellation, milliseconds{30'000}));
  const auto woke = Clock::now() - start;
  canceller.join();
  EXPECT_GE(woke, milliseconds{50});
  EXPECT_LT(woke, milliseconds{1000});

  start = Clock::now();
  EXPECT_FALSE(pause_unless_cancelled(&cancellation, milliseconds{30'000}));
  EXPECT_LT(Clock::now() - start, milliseconds{100});
}

}  // namespace
}  // namespace condspec
