#include "src/cases/checks/responds.h"

#include <fmt/format.h>

#include <algorithm>

#include "src/cases/checks/evidence.h"
#include "src/cases/step_reader.h"
#include "src/cases/yaml_reading.h"

namespace condspec {

std::optional<RespondsCheck> RespondsCheck::read(const Entry& entry, const StepReader& reader) {
  if (!read_true(entry, reader.diagnostics())) return std::nullopt;
  return RespondsCheck{};
}

std::string RespondsCheck::describe() const {
  return "an HTTP response, not a connection closed without one";
}

// Judged even without a response: a dropped request is what it looks for.
Verdict RespondsCheck::judge(const CheckInput& in) const {
  const Exchange& exchange = in.exchange;
  const std::string expected = "an HTTP response (any status)";
  if (exchange.response) {
    return pass(expected, fmt::format("status {}", exchange.response->status));
  }
  // A head came, though its content was cut short: the server answered.
  if (exchange.cut_short) {
    return pass(expected,
                fmt::format("status {}, its content cut short", exchange.cut_short->status));
  }
  if (exchange.undecodable) {
    return pass(expected, fmt::format("status {}, its chunked content not decodable",
                                      exchange.undecodable->status));
  }
  if (exchange.closed_without_response) {
    // Over HTTP/2 a server can also drop one request alone: it resets the
    // stream (RST_STREAM) and keeps the connection.
    const bool reset = std::any_of(exchange.frames.begin(), exchange.frames.end(),
                                   [](const FrameRecord& f) { return !f.sent && f.type == 0x3; });
    if (reset)
      return broken(expected, "stream reset without a response",
                    "The server reset the stream (RST_STREAM) without answering the request.");
    return broken(expected, "connection closed without a response",
                  "The server closed the connection without answering the request.");
  }
  return error(expected, exchange.error.empty()
                             ? "The request got no response, for a reason other than the server "
                               "closing the connection."
                             : fmt::format("The request got no response ({}), for a reason other "
                                           "than the server closing the connection.",
                                           exchange.error));
}

}  // namespace condspec
