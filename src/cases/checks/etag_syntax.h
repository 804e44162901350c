#pragma once
// `etag_syntax: true`: if the response has an ETag, it is exactly one valid entity-tag.

#include <optional>
#include <string>
#include <string_view>

#include "src/cases/checks/kind.h"

namespace condspec {

struct EtagSyntaxCheck {
  static constexpr std::string_view key = "etag_syntax";
  // Judges the head only, so also a response whose content was cut short.
  static constexpr bool head_only = true;

  static std::optional<EtagSyntaxCheck> read(const Entry& entry, const StepReader& reader);
  std::string describe() const;
  Verdict judge(const Response& response, const CheckInput& in) const;
};

}  // namespace condspec
