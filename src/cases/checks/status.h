#pragma once
// `status: 304` or `status: [200, 304]`: the status is one of these.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/cases/checks/kind.h"

namespace condspec {

struct StatusCheck {
  static constexpr std::string_view key = "status";
  // Judges the head only, so also a response whose content was cut short.
  static constexpr bool head_only = true;

  std::vector<int> allowed;

  static std::optional<StatusCheck> read(const Entry& entry, const StepReader& reader);
  std::string describe() const;
  Verdict judge(const Response& response, const CheckInput& in) const;
};

}  // namespace condspec
