#pragma once
// The clock is injected wherever "now" matters (the Date a server sends, the
// dates a template renders), so date logic is tested without sleeping.

#include <chrono>

namespace condspec {

using Seconds = std::chrono::sys_seconds;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Seconds now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Seconds now() const override {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  }
};

class FixedClock final : public Clock {
 public:
  explicit FixedClock(Seconds at) : at_(at) {}
  Seconds now() const override { return at_; }
  void set(Seconds at) { at_ = at; }

 private:
  Seconds at_;
};

}  // namespace condspec
