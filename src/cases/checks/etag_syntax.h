#pragma once
// `etag_syntax: true`: if the response has an ETag, it is exactly one valid entity-tag.

#include <optional>
#include <string>
#include <string_view>

#include "src/cases/checks/kind.h"

namespace condspec {

struct EtagSyntaxCheck {
  static constexpr std::string_view key = "etag_syntax";

  static std::optional<EtagSyntaxCheck> read(const Entry& entry, const StepReader& reader);
  std::string describe() const;
  Verdict judge(const Response& response, const CheckInput& in) const;
};

}  // namespace condspec
