#pragma once
// `absent_fields: [Connection, Keep-Alive]`: none of the listed fields is
// present, e.g. the connection-specific fields an HTTP/2 response must not
// carry (RFC 9113 8.2.2).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/cases/checks/kind.h"

namespace condspec {

struct AbsentFieldsCheck {
  static constexpr std::string_view key = "absent_fields";
  // Judges the head only, so also a response whose content was cut short.
  static constexpr bool head_only = true;

  std::vector<std::string> fields;  // at least one

  static std::optional<AbsentFieldsCheck> read(const Entry& entry, const StepReader& reader);
  std::string describe() const;
  Verdict judge(const Response& response, const CheckInput& in) const;
};

}  // namespace condspec
