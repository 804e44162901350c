#pragma once
// `last_modified_not_after_date: true`: if the response has both Last-Modified
// and Date, Last-Modified is not later than Date.

#include <optional>
#include <string>
#include <string_view>

#include "src/cases/checks/kind.h"

namespace condspec {

struct LastModifiedNotAfterDateCheck {
  static constexpr std::string_view key = "last_modified_not_after_date";
  // Judges the head only, so also a response whose content was cut short.
  static constexpr bool head_only = true;

  static std::optional<LastModifiedNotAfterDateCheck> read(const Entry& entry,
                                                           const StepReader& reader);
  std::string describe() const;
  Verdict judge(const Response& response, const CheckInput& in) const;
};

}  // namespace condspec
