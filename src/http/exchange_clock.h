#pragma once
// When an exchange began and its one total deadline: what bounds every
// transport (ClientOptions::deadline), checked before every read.

#include <chrono>

namespace condspec {

struct ExchangeClock {
  using SteadyClock = std::chrono::steady_clock;
  SteadyClock::time_point start;
  SteadyClock::time_point deadline;

  static ExchangeClock starting_now(std::chrono::milliseconds budget) {
    const auto now = SteadyClock::now();
    return {now, now + budget};
  }
  std::chrono::microseconds elapsed() const {
    return std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - start);
  }
  // For messages: how long the exchange really took, not what the deadline
  // was meant to be.
  long long elapsed_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - start)
        .count();
  }
};

}  // namespace condspec
