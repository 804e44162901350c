#pragma once
// `strong_etag_differs: { step: first }`: if this response and that earlier
// step's both carry a strong ETag and their contents differ, the two tags
// differ (RFC 9110 8.8.1).

#include <optional>
#include <string>
#include <string_view>

#include "src/cases/checks/kind.h"

namespace condspec {

struct StrongTagDiffersCheck {
  static constexpr std::string_view key = "strong_etag_differs";

  std::string step;

  static std::optional<StrongTagDiffersCheck> read(const Entry& entry, const StepReader& reader);
  std::string describe() const;
  Verdict judge(const Response& response, const CheckInput& in) const;
};

}  // namespace condspec
