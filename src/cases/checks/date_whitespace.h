#pragma once
// `date_whitespace: [Date, Last-Modified]`: each listed field that holds an
// HTTP-date has no whitespace beyond the single spaces of the grammar.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/cases/checks/kind.h"

namespace condspec {

struct DateWhitespaceCheck {
  static constexpr std::string_view key = "date_whitespace";
  // Judges the head only, so also a response whose content was cut short.
  static constexpr bool head_only = true;

  std::vector<std::string> fields;

  static std::optional<DateWhitespaceCheck> read(const Entry& entry, const StepReader& reader);
  std::string describe() const;
  Verdict judge(const Response& response, const CheckInput& in) const;
};

}  // namespace condspec
