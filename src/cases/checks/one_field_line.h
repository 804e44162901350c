#pragma once
// `one_field_line: [Date]`: each listed field, when present, is on one field
// line. RFC 9110 5.3 forbids a sender to repeat a field whose value is not a
// list (Date, Last-Modified, Expires, ETag are singletons): a recipient
// cannot tell which line is meant. How a single line is written is other
// checks' business (date_syntax, etag_syntax), which leave repeated lines to
// this one so that each problem is reported under its own section.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/cases/checks/kind.h"

namespace condspec {

struct OneFieldLineCheck {
  static constexpr std::string_view key = "one_field_line";
  // Judges the head only, so also a response whose content was cut short.
  static constexpr bool head_only = true;

  std::vector<std::string> fields;  // at least one

  static std::optional<OneFieldLineCheck> read(const Entry& entry, const StepReader& reader);
  std::string describe() const;
  Verdict judge(const Response& response, const CheckInput& in) const;
};

}  // namespace condspec
