#pragma once
// `framing_decodable: true`: the response's content can be read as the
// framing its head announces (RFC 9112 6.3); in particular, content under
// Transfer-Encoding: chunked is the chunked coding (RFC 9112 7.1). A
// response that says chunked and sends something else (Exchange::undecodable)
// fails; one cut short by the connection is an error, since a network can do
// that to any response.

#include <optional>
#include <string>
#include <string_view>

#include "src/cases/checks/kind.h"

namespace condspec {

struct FramingDecodableCheck {
  static constexpr std::string_view key = "framing_decodable";

  static std::optional<FramingDecodableCheck> read(const Entry& entry, const StepReader& reader);
  std::string describe() const;
  Verdict judge(const Response& response, const CheckInput& in) const;
  // The head announced chunks and what followed is not chunks.
  Verdict judge_undecodable(const Response& head, const CheckInput& in) const;
};

}  // namespace condspec
