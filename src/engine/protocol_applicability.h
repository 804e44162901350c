#pragma once
// Which scenarios are judged over which protocol. A scenario about HTTP
// semantics (RFC 9110) holds over every protocol; one about a protocol's own
// framing (RFC 9112 6 for HTTP/1.1, RFC 9113 8.1 for HTTP/2) only over that
// one. The case format does not say so yet, so today every scenario applies
// over every protocol; when it does, this is the one place that reads it,
// and a scenario that does not apply is reported not_applicable with
// not_over_reason().

#include <string>

#include "src/cases/model.h"
#include "src/http/protocol.h"

namespace condspec {

bool applies_over(const Scenario& scenario, Protocol protocol);

// Why a scenario is not judged over `protocol`.
std::string not_over_reason(const Scenario& scenario, Protocol protocol);

}  // namespace condspec
