#pragma once
// Which protocols a scenario can be judged over, and why not the others.
// HTTP semantics (RFC 9110) are the same over HTTP/1.1 and HTTP/2; what is
// not is each protocol's own framing, and what a request can say:
//   - a scenario judging a requirement of RFC 9112 (HTTP/1.1 message
//     framing) is judged over HTTP/1.1 only, one judging a requirement of
//     RFC 9113 (HTTP/2) over h2 and h2c only;
//   - an HTTP/1.0 request, or a header section split over two writes
//     (split_before), can only be sent over HTTP/1.1.
// The loader keeps a scenario's `protocols` (docs/case-format.md) within
// these bounds; the engine reports a scenario not_applicable over a protocol
// it is not judged over, with the reason given here.

#include <optional>
#include <string>

#include "src/cases/model.h"
#include "src/http/protocol.h"

namespace condspec {

// What keeps a scenario from being judged over a protocol.
struct ProtocolBarrier {
  // The part of the scenario that does, for case-file diagnostics: "step
  // 'first' sends an HTTP/1.0 request", "it judges 9112-6.3-cl-body-match".
  std::string what;
  // Why that cannot be over the protocol, the same for every scenario it
  // keeps out (reports group not_applicable scenarios by reason): "an
  // HTTP/1.0 request cannot be sent over HTTP/2".
  std::string reason;
};

// The first barrier (in step and expectation order) between `scenario` and
// `protocol`; nullopt when the scenario can be judged over it.
std::optional<ProtocolBarrier> protocol_barrier(const Scenario& scenario, Protocol protocol);

}  // namespace condspec
