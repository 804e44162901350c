#include "src/cases/checks/content_length_matches_data.h"

#include <fmt/format.h>

#include <cstdint>
#include <vector>

#include "src/cases/checks/evidence.h"
#include "src/cases/step_reader.h"
#include "src/cases/yaml_reading.h"

namespace condspec {
namespace {

// The DATA frames the server sent during the exchange, as evidence: their
// number and payload lengths.
std::string data_frames(const Exchange& exchange) {
  std::vector<std::string> lengths;
  for (const auto& frame : exchange.frames)
    if (!frame.sent && frame.type == 0 /* DATA */) lengths.push_back(std::to_string(frame.length));
  if (lengths.empty()) return "no DATA frame";
  return fmt::format("{} DATA frame{} of {} bytes", lengths.size(), lengths.size() == 1 ? "" : "s",
                     join_and(lengths));
}

}  // namespace

std::optional<ContentLengthMatchesDataCheck> ContentLengthMatchesDataCheck::read(
    const Entry& entry, const StepReader& reader) {
  if (!read_true(entry, reader.diagnostics())) return std::nullopt;
  return ContentLengthMatchesDataCheck{};
}

std::string ContentLengthMatchesDataCheck::describe() const {
  return "content-length, when present, equal to the DATA payload of the HTTP/2 stream";
}

Verdict ContentLengthMatchesDataCheck::judge(const Response& response, const CheckInput& in) const {
  const Exchange& exchange = in.exchange;
  const std::string expected = "content-length, when present, equal to the DATA payload";
  if (response.version != "HTTP/2") {
    return error(expected, fmt::format("The response came over {}, which has no DATA frames to "
                                       "compare content-length with.",
                                       response.version));
  }
  if (response.framing != Framing::end_stream) {
    return pass(expected, "a response without content",
                fmt::format("{} cannot have content, so its content-length may announce the "
                            "length a 200 would have (RFC 9113 8.1.1).",
                            subject(exchange)));
  }
  const auto lines = response.fields.all("content-length");
  if (lines.empty()) return pass(expected, "no content-length");
  if (!exchange.stray_checked) {
    return error(expected,
                 "The stream did not end, so the DATA payload could not be compared with "
                 "content-length.");
  }
  const uint64_t received =
      response.content.size() + exchange.stray_bytes.size() + exchange.stray_bytes_dropped;
  const std::string shown =
      fmt::format("content-length: {}; {}", join(lines, ", "), data_frames(exchange));
  for (const auto& line : lines) {
    auto announced = parse_content_length(line);
    if (!announced) {
      return broken(expected, shown,
                    fmt::format("{} carries content-length '{}', which is not a number of bytes.",
                                subject(exchange), line));
    }
    if (*announced != received) {
      return broken(expected, shown,
                    fmt::format("{} announced content-length {}, but the DATA frames of its "
                                "stream carried {}.",
                                subject(exchange), *announced, byte_count(received)));
    }
  }
  return pass(expected, shown);
}

}  // namespace condspec
