#pragma once
// `content_length_exact: true`: if the response is framed by Content-Length,
// exactly that many bytes came and nothing follows them before the next
// response (RFC 9112 6.3), proven with a follow-up request like no_content.

#include <optional>
#include <string>
#include <string_view>

#include "src/cases/checks/kind.h"

namespace condspec {

struct ContentLengthExactCheck {
  static constexpr std::string_view key = "content_length_exact";

  static std::optional<ContentLengthExactCheck> read(const Entry& entry, const StepReader& reader);
  std::string describe() const;
  Verdict judge(const Response& response, const CheckInput& in) const;
  // Fewer bytes than Content-Length before the server ended the connection
  // breaks the same rule from the other side.
  Verdict judge_cut_short(const Response& head, const CheckInput& in) const;
};

}  // namespace condspec
