#pragma once
// A run's cancellation (SIGINT, SIGTERM): set once, from a signal handler,
// and seen by every wait of the run. Waits on sockets poll wait_fd() beside
// their socket, so they wake the moment it is set, not when their own
// timeout runs out; code between waits checks cancelled().

#include <atomic>
#include <chrono>

namespace condspec {

class Cancellation {
 public:
  // Creates the eventfd behind wait_fd(); if that fails, wait_fd() is -1
  // and waits fall back to polling in slices of kSliceMs.
  Cancellation();
  ~Cancellation();
  Cancellation(const Cancellation&) = delete;
  Cancellation& operator=(const Cancellation&) = delete;

  // Async-signal-safe: an atomic store and a write(2).
  void cancel() noexcept;
  bool cancelled() const noexcept { return cancelled_.load(); }
  // For code that only takes a flag (the reference origin's server loop).
  const std::atomic<bool>& flag() const noexcept { return cancelled_; }

  // Readable once cancel() was called (it stays readable), or -1.
  int wait_fd() const noexcept { return fd_; }

  // Without an eventfd, how long a wait may sleep before it looks again.
  static constexpr int kSliceMs = 100;

 private:
  std::atomic<bool> cancelled_{false};
  int fd_ = -1;
};

// Sleeps for `pause` unless `cancel` (null: none) is cancelled before or
// during it; returns false when the cancellation cut it short. For the waits
// a run makes without a socket (a cache scenario's `pause`, the time it
// gives a cache to send what it sends upstream after answering): a signal
// must end them as promptly as it ends a wait on a socket.
bool pause_unless_cancelled(const Cancellation* cancel, std::chrono::milliseconds pause);

}  // namespace condspec
