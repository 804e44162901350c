#include "src/core/cancellation.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <thread>

namespace condspec {

Cancellation::Cancellation() : fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}

Cancellation::~Cancellation() {
  if (fd_ >= 0) ::close(fd_);
}

void Cancellation::cancel() noexcept {
  cancelled_.store(true);
  if (fd_ >= 0) {
    const uint64_t one = 1;
    // Nothing reads it: once written it stays readable for every poll.
    [[maybe_unused]] const auto written = ::write(fd_, &one, sizeof one);
  }
}

bool pause_unless_cancelled(const Cancellation* cancel, std::chrono::milliseconds pause) {
  using Clock = std::chrono::steady_clock;
  if (!cancel) {
    std::this_thread::sleep_for(pause);
    return true;
  }
  const auto until = Clock::now() + pause;
  while (!cancel->cancelled()) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - Clock::now()).count();
    if (left <= 0) return true;
    if (cancel->wait_fd() < 0) {
      std::this_thread::sleep_for(
          std::chrono::milliseconds{std::min<long long>(left, Cancellation::kSliceMs)});
      continue;
    }
    pollfd entry{cancel->wait_fd(), POLLIN, 0};
    // Readable means cancelled, which the loop then sees; EINTR (a signal
    // landed here) just looks again.
    ::poll(&entry, 1, static_cast<int>(std::min<long long>(left, 60'000)));
  }
  return false;
}

}  // namespace condspec
