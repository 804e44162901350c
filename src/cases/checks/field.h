#pragma once
// `field: { name: ETag, present|absent|equals|differs|lists|matches: ... }`: a
// header field of this response. Every expectation reads as words in the
// reports: `lists` names list members, and `matches` carries `means`, the
// pattern's meaning, shown instead of the pattern.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/cases/checks/kind.h"
#include "src/cases/template.h"

namespace condspec {

struct FieldCheck {
  static constexpr std::string_view key = "field";

  enum class Op { present, absent, equals, differs, matches, lists };
  std::string name;
  Op op = Op::present;
  Template value;  // equals, differs: template; matches: the ECMAScript regex (whole value)
  // matches: what the pattern means, completing "NAME ...", e.g. "has no
  // backslash"; shown in reports instead of the pattern. Empty: the pattern
  // is shown (the shipped cases always say it in words).
  std::string means;
  // lists: the list members (case-insensitive tokens) of which at least one
  // must be in the field's comma-separated value, e.g. {"Accept-Encoding", "*"}.
  std::vector<std::string> members;

  static std::optional<FieldCheck> read(const Entry& entry, const StepReader& reader);
  std::string describe() const;
  Verdict judge(const Response& response, const CheckInput& in) const;
};

}  // namespace condspec
