#pragma once
// `content_equals: { step: first, range: "0-0" }`: the content equals that of an
// earlier step, or the given bytes of it; `range: "-5"` is its last 5 bytes
// (all of it when shorter), as a suffix range asks (RFC 9110 14.1.2).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "src/cases/checks/kind.h"

namespace condspec {

struct ContentCheck {
  static constexpr std::string_view key = "content_equals";

  std::string step;
  std::optional<std::pair<std::uint64_t, std::uint64_t>> range;  // inclusive first-last
  std::optional<std::uint64_t> suffix;                           // the last N bytes, N > 0

  static std::optional<ContentCheck> read(const Entry& entry, const StepReader& reader);
  std::string describe() const;
  Verdict judge(const Response& response, const CheckInput& in) const;
};

}  // namespace condspec
