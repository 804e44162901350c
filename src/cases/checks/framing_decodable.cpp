#include "src/cases/checks/framing_decodable.h"

#include <fmt/format.h>

#include "src/cases/checks/evidence.h"
#include "src/cases/step_reader.h"
#include "src/cases/yaml_reading.h"

namespace condspec {
namespace {

constexpr std::string_view kExpected = "content framed as the head announces";

std::string framing_shown(const Response& response) {
  switch (response.framing) {
    case Framing::no_content:
      return "no content, as the head announces";
    case Framing::content_length:
      return fmt::format("{} of content (Content-Length)", byte_count(response.content.size()));
    case Framing::chunked:
      return fmt::format("{} of content in chunks (Transfer-Encoding: {})",
                         byte_count(response.content.size()),
                         response.fields.combined("Transfer-Encoding").value_or("chunked"));
    case Framing::close_delimited:
      return fmt::format("{} of content, until the connection closed",
                         byte_count(response.content.size()));
    case Framing::end_stream:
      return fmt::format("{} of content, until the end of the stream",
                         byte_count(response.content.size()));
  }
  return "?";
}

}  // namespace

std::optional<FramingDecodableCheck> FramingDecodableCheck::read(const Entry& entry,
                                                                 const StepReader& reader) {
  if (!read_true(entry, reader.diagnostics())) return std::nullopt;
  return FramingDecodableCheck{};
}

std::string FramingDecodableCheck::describe() const {
  return "the content can be read as the framing the head announces (chunks under "
         "Transfer-Encoding: chunked)";
}

Verdict FramingDecodableCheck::judge(const Response& response, const CheckInput& /*in*/) const {
  return pass(std::string(kExpected), framing_shown(response));
}

Verdict FramingDecodableCheck::judge_undecodable(const Response& head, const CheckInput& in) const {
  const std::string coding = head.fields.combined("Transfer-Encoding").value_or("chunked");
  return broken(std::string(kExpected),
                fmt::format("Transfer-Encoding: {}, then content that is not chunks ({})", coding,
                            in.exchange.error),
                fmt::format("{} says Transfer-Encoding: {}, but its content is not in chunks "
                            "({}), so no recipient can frame it.",
                            subject(in.exchange), coding, in.exchange.error));
}

}  // namespace condspec
