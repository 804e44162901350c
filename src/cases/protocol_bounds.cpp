#include "src/cases/protocol_bounds.h"

#include <fmt/format.h>

#include <string_view>

namespace condspec {
namespace {

bool is_http2(Protocol protocol) {
  return protocol == Protocol::h2 || protocol == Protocol::h2c;
}

// The RFC of a requirement id: ids are "<rfc>-<section>-<slug>", checked by
// the loader.
std::string_view rfc_of(std::string_view requirement) {
  return requirement.substr(0, requirement.find('-'));
}

}  // namespace

std::optional<ProtocolBarrier> protocol_barrier(const Scenario& scenario, Protocol protocol) {
  for (const auto& step : scenario.steps) {
    if (is_http2(protocol) && step.request.version == "HTTP/1.0")
      return ProtocolBarrier{fmt::format("step '{}' sends an HTTP/1.0 request", step.id),
                             "an HTTP/1.0 request cannot be sent over HTTP/2"};
    if (is_http2(protocol) && !step.request.split_before.empty())
      return ProtocolBarrier{
          fmt::format("step '{}' sends its header section in two writes (split_before)", step.id),
          "a header section in two writes (split_before) is sent over HTTP/1.1 only"};
    for (const auto& expectation : step.expect) {
      const std::string_view rfc = rfc_of(expectation.requirement);
      if (is_http2(protocol) && rfc == "9112")
        return ProtocolBarrier{
            fmt::format("it judges {}", expectation.requirement),
            "HTTP/1.1 message framing (RFC 9112) is not used over HTTP/2, whose frames delimit "
            "messages (RFC 9113 8.1)"};
      if (protocol == Protocol::http1_1 && rfc == "9113")
        return ProtocolBarrier{fmt::format("it judges {}", expectation.requirement),
                               "HTTP/2 framing (RFC 9113) is not used over HTTP/1.1"};
    }
  }
  return std::nullopt;
}

}  // namespace condspec
