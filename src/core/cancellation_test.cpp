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

}  // namespace
}  // namespace condspec
