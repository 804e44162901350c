#pragma once
// `date_near_now: 300`: the response's Date is within that many seconds of
// condspec's clock (a missing or unparsable Date passes: other checks judge it).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "src/cases/checks/kind.h"

namespace condspec {

struct DateNearNowCheck {
  static constexpr std::string_view key = "date_near_now";
  // Judges the head only, so also a response whose content was cut short.
  static constexpr bool head_only = true;

  std::int64_t tolerance_seconds = 0;

  static std::optional<DateNearNowCheck> read(const Entry& entry, const StepReader& reader);
  std::string describe() const;
  Verdict judge(const Response& response, const CheckInput& in) const;
};

}  // namespace condspec
