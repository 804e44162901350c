#pragma once
// `no_content: true`: no content bytes follow the header section on the wire
// (304, responses to HEAD), proven with a follow-up request on the same connection.

#include <optional>
#include <string>
#include <string_view>

#include "src/cases/checks/kind.h"

namespace condspec {

struct NoContentCheck {
  static constexpr std::string_view key = "no_content";

  static std::optional<NoContentCheck> read(const Entry& entry, const StepReader& reader);
  std::string describe() const;
  Verdict judge(const Response& response, const CheckInput& in) const;
};

}  // namespace condspec
