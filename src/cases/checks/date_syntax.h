#pragma once
// `date_syntax: [Date, Last-Modified]`: each listed field, when present, is an
// IMF-fixdate (runs of whitespace are left to date_whitespace; that a field
// is repeated at all, to one_field_line: RFC 9110 5.3).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/cases/checks/kind.h"

namespace condspec {

struct DateSyntaxCheck {
  static constexpr std::string_view key = "date_syntax";
  // Judges the head only, so also a response whose content was cut short.
  static constexpr bool head_only = true;

  std::vector<std::string> fields;

  static std::optional<DateSyntaxCheck> read(const Entry& entry, const StepReader& reader);
  std::string describe() const;
  Verdict judge(const Response& response, const CheckInput& in) const;
};

}  // namespace condspec
