#pragma once
// Errors are values inside the library: a function that can fail returns
// Result<T>, which holds either the value or an Error saying what went wrong.
// A caller that needs more than a sentence (the case loader's diagnostics,
// each with its location) names its own error type: Result<T, E>.
// (std::expected is C++23; this is the small subset condspec needs.)

#include <string>
#include <utility>
#include <variant>

namespace condspec {

struct Error {
  std::string message;
  bool operator==(const Error&) const = default;
};

template <class T, class E = Error>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}
  Result(E error) : state_(std::move(error)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const E& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, E> state_;
};

// For operations that produce nothing but can fail.
struct Ok {};
using Status = Result<Ok>;

}  // namespace condspec
