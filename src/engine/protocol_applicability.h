#pragma once
// Which scenarios are judged over which protocol. A scenario about HTTP
// semantics (RFC 9110) holds over every protocol; one about a protocol's own
// framing (RFC 9112 for HTTP/1.1, RFC 9113 for HTTP/2), or whose request
// only one protocol can carry, only over that one (src/cases/protocol_bounds.h);
// a case file may narrow a scenario further with `protocols`. The loader
// settles this into Scenario::protocols; this is the one place the engine
// reads it, and a scenario that does not apply is reported not_applicable
// with not_over_reason().

#include <string>

#include "src/cases/model.h"
#include "src/http/protocol.h"

namespace condspec {

bool applies_over(const Scenario& scenario, Protocol protocol);

// Why a scenario is not judged over `protocol`: what keeps it from being
// judged there, or else that its case file lists other protocols.
std::string not_over_reason(const Scenario& scenario, Protocol protocol);

}  // namespace condspec
