#include "src/cases/checks/no_content.h"

#include <fmt/format.h>

#include <vector>

#include "src/cases/checks/evidence.h"
#include "src/cases/step_reader.h"
#include "src/cases/yaml_reading.h"

namespace condspec {

std::optional<NoContentCheck> NoContentCheck::read(const Entry& entry, const StepReader& reader) {
  if (!read_true(entry, reader.diagnostics())) return std::nullopt;
  return NoContentCheck{};
}

std::string NoContentCheck::describe() const {
  return "no content on the wire after the header section";
}

Verdict NoContentCheck::judge(const Response& response, const CheckInput& in) const {
  const Exchange& exchange = in.exchange;
  // Over HTTP/2 nothing follows the end of a stream: what would be bytes
  // after the header section is DATA payload on the stream of a response
  // that cannot have content (RFC 9113 8.1.1), kept as its stray bytes.
  const bool framed = response.version == "HTTP/2";
  const std::string expected =
      framed ? "no DATA payload after the HEADERS" : "no content after the header section";
  constexpr size_t kShown = 200;
  std::vector<std::string> found, problems;
  if (!response.content.empty()) {
    found.push_back(fmt::format("{} of content: {}", byte_count(response.content.size()),
                                preview(response.content, kShown)));
    problems.push_back(fmt::format("has {} of content", byte_count(response.content.size())));
  }
  if (!exchange.stray_bytes.empty()) {
    // Only the first 64 KiB are kept as evidence; the count says how many came.
    const size_t total = exchange.stray_bytes.size() + exchange.stray_bytes_dropped;
    if (framed) {
      found.push_back(fmt::format("{} of DATA payload: {}", byte_count(total),
                                  preview(exchange.stray_bytes, kShown)));
      problems.push_back(fmt::format("carries {} of DATA payload", byte_count(total)));
    } else {
      found.push_back(fmt::format("{} after the header section: {}", byte_count(total),
                                  preview(exchange.stray_bytes, kShown)));
      problems.push_back(fmt::format("is followed by {}", byte_count(total)));
    }
  }

  if (!found.empty()) {
    return broken(
        expected, join(found, "; "),
        fmt::format("{} {}, but it cannot have content.", subject(exchange), join_and(problems)));
  }
  if (!exchange.stray_checked) {
    return error(expected,
                 framed ? "The stream did not end, so DATA payload after the HEADERS could not be "
                          "ruled out."
                        : "Nothing was read after the response, so content after its header "
                          "section could not be ruled out.");
  }
  return pass(expected, framed ? "no DATA payload" : "no content");
}

}  // namespace condspec
