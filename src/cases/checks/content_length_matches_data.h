#pragma once
// `content_length_matches_data: true`, over HTTP/2: when the response can
// have content and carries content-length, the DATA frames of its stream
// carried exactly that many bytes (RFC 9113 8.1.1; otherwise the response is
// malformed). A response that cannot have content (204, 304, HEAD) may
// announce any length.

#include <optional>
#include <string>
#include <string_view>

#include "src/cases/checks/kind.h"

namespace condspec {

struct ContentLengthMatchesDataCheck {
  static constexpr std::string_view key = "content_length_matches_data";

  static std::optional<ContentLengthMatchesDataCheck> read(const Entry& entry,
                                                           const StepReader& reader);
  std::string describe() const;
  Verdict judge(const Response& response, const CheckInput& in) const;
};

}  // namespace condspec
