#pragma once
// `upstream_field: { name: If-None-Match, equals: '"v1"' }`: a header field
// of every request the cache sent upstream for the scenario's resource
// during this step, with the conditions of `field` (present, absent, equals,
// differs, matches). A step in which no request went upstream has nothing to
// judge and passes, saying so: whether one should have gone is
// `upstream_requests`' question.

#include <optional>
#include <string>
#include <string_view>

#include "src/cases/checks/field.h"
#include "src/cases/checks/kind.h"

namespace condspec {

struct UpstreamFieldCheck {
  static constexpr std::string_view key = "upstream_field";
  static constexpr bool upstream = true;  // judges the hop from the cache to the origin

  FieldCheck field;

  static std::optional<UpstreamFieldCheck> read(const Entry& entry, const StepReader& reader);
  std::string describe() const;
  Verdict judge(const Response& response, const CheckInput& in) const;
};

}  // namespace condspec
