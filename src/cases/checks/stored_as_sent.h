#pragma once
// `stored_as_sent: { step: write }`: if the response to that earlier step (a PUT)
// carried ETag or Last-Modified, this response's content is exactly the content
// that step sent (RFC 9110 9.3.4).

#include <optional>
#include <string>
#include <string_view>

#include "src/cases/checks/kind.h"

namespace condspec {

struct StoredAsSentCheck {
  static constexpr std::string_view key = "stored_as_sent";

  std::string step;  // an earlier step that sent content (a PUT)

  static std::optional<StoredAsSentCheck> read(const Entry& entry, const StepReader& reader);
  std::string describe() const;
  Verdict judge(const Response& response, const CheckInput& in) const;
};

}  // namespace condspec
