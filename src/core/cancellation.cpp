#include "src/core/cancellation.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>

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

}  // namespace condspec
