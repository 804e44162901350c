#include "src/cases/checks/content_length_exact.h"

#include <fmt/format.h>

#include "src/cases/checks/evidence.h"
#include "src/cases/step_reader.h"
#include "src/cases/yaml_reading.h"

namespace condspec {

std::optional<ContentLengthExactCheck> ContentLengthExactCheck::read(const Entry& entry,
                                                                     const StepReader& reader) {
  if (!read_true(entry, reader.diagnostics())) return std::nullopt;
  return ContentLengthExactCheck{};
}

std::string ContentLengthExactCheck::describe() const {
  return "exactly Content-Length bytes of content, nothing after them";
}

Verdict ContentLengthExactCheck::judge(const Response& response, const CheckInput& in) const {
  const Exchange& exchange = in.exchange;
  if (response.framing != Framing::content_length) {
    return pass("content framed by Content-Length", "not framed by Content-Length",
                "The response is not framed by Content-Length, so there is nothing to check.");
  }
  constexpr size_t kShown = 200;
  const std::string length = byte_count(response.content.size());
  const std::string expected =
      fmt::format("{} of content (Content-Length), then nothing before the next response", length);
  if (!exchange.stray_bytes.empty()) {
    const size_t total = exchange.stray_bytes.size() + exchange.stray_bytes_dropped;
    return broken(expected,
                  fmt::format("{} of content, then {}: {}", length, byte_count(total),
                              preview(exchange.stray_bytes, kShown)),
                  fmt::format("{} announced {} of content, but {} more followed it before the "
                              "next response.",
                              subject(exchange), length, byte_count(total)));
  }
  if (!exchange.stray_checked) {
    return error(expected,
                 "Nothing was read after the response, so bytes beyond its Content-Length could "
                 "not be ruled out.");
  }
  return pass(expected, fmt::format("{} of content, nothing after it", length));
}

Verdict ContentLengthExactCheck::judge_cut_short(const Response& head, const CheckInput& in) const {
  if (head.framing != Framing::content_length) {
    return cut_short_content(in);  // chunks: how many bytes were due is unknown
  }
  const std::string* announced = head.fields.find("Content-Length");
  return broken(fmt::format("{} bytes of content (Content-Length)", announced ? *announced : "?"),
                fmt::format("{}, then the connection ended", byte_count(head.content.size())),
                fmt::format("{} announced Content-Length: {}, but the server ended the connection "
                            "after {} of content.",
                            subject(in.exchange), announced ? *announced : "?",
                            byte_count(head.content.size())));
}

}  // namespace condspec
