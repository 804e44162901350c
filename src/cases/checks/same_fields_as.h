#pragma once
// `same_fields_as: { step: first, fields: [ETag, Vary], compare: value|presence|value-if-present
// }`: fields carried over from an earlier response.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/cases/checks/kind.h"

namespace condspec {

struct SameFieldsCheck {
  static constexpr std::string_view key = "same_fields_as";
  // Judges the head only, so also a response whose content was cut short.
  static constexpr bool head_only = true;

  std::string step;
  std::vector<std::string> fields;
  bool presence_only = false;  // compare: presence -> "present here whenever present there"
  // compare: value-if-present -> "the same value whenever present here": for
  // fields a response may leave out but must not change (Last-Modified in a 304).
  bool only_when_present = false;

  static std::optional<SameFieldsCheck> read(const Entry& entry, const StepReader& reader);
  std::string describe() const;
  Verdict judge(const Response& response, const CheckInput& in) const;
};

}  // namespace condspec
