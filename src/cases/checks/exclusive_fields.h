#pragma once
// `exclusive_fields: [Content-Length, Transfer-Encoding]`: at most one of the
// listed fields is present.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/cases/checks/kind.h"

namespace condspec {

struct ExclusiveFieldsCheck {
  static constexpr std::string_view key = "exclusive_fields";
  // Judges the head only, so also a response whose content was cut short.
  static constexpr bool head_only = true;

  std::vector<std::string> fields;  // at least two

  static std::optional<ExclusiveFieldsCheck> read(const Entry& entry, const StepReader& reader);
  std::string describe() const;
  Verdict judge(const Response& response, const CheckInput& in) const;
};

}  // namespace condspec
