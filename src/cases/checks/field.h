#pragma once
// `field: { name: ETag, present|absent|equals|differs|matches: ... }`: a header
// field of this response.

#include <optional>
#include <string>
#include <string_view>

#include "src/cases/checks/kind.h"
#include "src/cases/template.h"

namespace condspec {

struct FieldCheck {
  static constexpr std::string_view key = "field";

  enum class Op { present, absent, equals, differs, matches };
  std::string name;
  Op op = Op::present;
  Template value;  // equals, differs: template; matches: the ECMAScript regex (whole value)

  static std::optional<FieldCheck> read(const Entry& entry, const StepReader& reader);
  std::string describe() const;
  Verdict judge(const Response& response, const CheckInput& in) const;
};

}  // namespace condspec
