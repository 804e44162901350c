#pragma once
// `responds: true`: the server answers with an HTTP response (any status)
// rather than closing the connection without one. Judged even when there is
// no response: a dropped request is what it looks for.

#include <optional>
#include <string>
#include <string_view>

#include "src/cases/checks/kind.h"

namespace condspec {

struct RespondsCheck {
  static constexpr std::string_view key = "responds";

  static std::optional<RespondsCheck> read(const Entry& entry, const StepReader& reader);
  std::string describe() const;
  Verdict judge(const CheckInput& in) const;
};

}  // namespace condspec
