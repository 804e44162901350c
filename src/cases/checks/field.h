#pragma once
// `field: { name: ETag, present|absent|equals|differs|matches: ... }`: a header
// field of this response.

#include <optional>
#include <string>
#include <string_view>

#include "src/cases/checks/kind.h"
#include "src/cases/template.h"
#include "src/http/fields.h"

namespace condspec {

struct FieldCheck {
  static constexpr std::string_view key = "field";

  enum class Op { present, absent, equals, differs, matches };
  std::string name;
  Op op = Op::present;
  Template value;  // equals, differs: template; matches: the ECMAScript regex (whole value)

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
