#pragma once
// For tests: cancels a Cancellation from another thread after a delay, as a
// signal would in the middle of a wait.

#include <chrono>
#include <thread>

#include "src/core/cancellation.h"

namespace condspec::cancel_testing {

class CancelLater {
 public:
  CancelLater(Cancellation& cancellation, std::chrono::milliseconds delay)
      : thread_([&cancellation, delay] {
          std::this_thread::sleep_for(delay);
          cancellation.cancel();
        }) {}
  ~CancelLater() { thread_.join(); }
  CancelLater(const CancelLater&) = delete;
  CancelLater& operator=(const CancelLater&) = delete;

 private:
  std::thread thread_;
};

}  // namespace condspec::cancel_testing
