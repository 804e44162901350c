#pragma once
// `not_stale: true`: if the response carries Age and its Cache-Control has
// max-age, Age is not above max-age (RFC 9111 4.2: a response whose age
// exceeds its freshness lifetime is stale). The cache's own statement of a
// response's age is what is judged; a response without Age, or without
// max-age, has nothing to judge and passes, saying so.

#include <optional>
#include <string>
#include <string_view>

#include "src/cases/checks/kind.h"

namespace condspec {

struct NotStaleCheck {
  static constexpr std::string_view key = "not_stale";

  static std::optional<NotStaleCheck> read(const Entry& entry, const StepReader& reader);
  std::string describe() const;
  Verdict judge(const Response& response, const CheckInput& in) const;
};

// The value of a directive=number in a Cache-Control value; nullopt when
// absent or not a number.
std::optional<long> cache_control_seconds(std::string_view cache_control,
                                          std::string_view directive);

}  // namespace condspec
