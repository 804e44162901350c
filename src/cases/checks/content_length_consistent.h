#pragma once
// `content_length_consistent: { step: first }`: if this response has
// Content-Length, it equals the content length of that earlier step's 200 to
// the same request.

#include <optional>
#include <string>
#include <string_view>

#include "src/cases/checks/kind.h"

namespace condspec {

struct ContentLengthCheck {
  static constexpr std::string_view key = "content_length_consistent";
  // Judges the head only, so also a response whose content was cut short.
  static constexpr bool head_only = true;

  std::string step;  // the 200 to the same request

  static std::optional<ContentLengthCheck> read(const Entry& entry, const StepReader& reader);
  std::string describe() const;
  Verdict judge(const Response& response, const CheckInput& in) const;
};

}  // namespace condspec
