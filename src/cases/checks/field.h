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
#include "src/http/fields.h"

namespace condspec {

struct FieldCheck {
  static constexpr std::string_view key = "field";
  // Judges the head only, so also a response whose content was cut short.
  static constexpr bool head_only = true;

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
  // The same value under another key (`upstream_field`), named `what` in
  // diagnostics.
  static std::optional<FieldCheck> read(const Entry& entry, const StepReader& reader,
                                        std::string_view what);
  std::string describe() const;
  Verdict judge(const Response& response, const CheckInput& in) const;
  // The same judgement of any field section: `holder` names what carries
  // it in messages ("The response", "The request the cache sent upstream").
  Verdict judge_fields(const Fields& fields, const CheckInput& in, std::string_view holder) const;
};

}  // namespace condspec
