#pragma once
// What a transport keeps of the bytes it received in an exchange that
// failed, the same way over every protocol: the first kMaxEvidenceBytes, and
// a count of the rest, so redaction (src/engine/redact.h) knows the evidence
// was cut there and that a secret may straddle the cut.

#include <cstddef>
#include <string_view>

#include "src/http/connection.h"
#include "src/http/message.h"

namespace condspec {

// How many received bytes an exchange keeps as evidence.
inline constexpr size_t kMaxEvidenceBytes = 64 * 1024;

// Appends `bytes` to exchange.received within kMaxEvidenceBytes and counts
// the rest in exchange.received_dropped.
void keep_received(Exchange& exchange, std::string_view bytes);

// What the server sent during a handshake that failed on `connection`, and
// how many more bytes came, as the exchange's evidence.
void keep_handshake(Exchange& exchange, const Connection& connection);

}  // namespace condspec
