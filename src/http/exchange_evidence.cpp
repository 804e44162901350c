#include "src/http/exchange_evidence.h"

#include <algorithm>

namespace condspec {

void keep_received(Exchange& exchange, std::string_view bytes) {
  const size_t room = kMaxEvidenceBytes - std::min(kMaxEvidenceBytes, exchange.received.size());
  exchange.received.append(bytes.substr(0, room));
  exchange.received_dropped += bytes.size() - std::min(room, bytes.size());
}

void keep_handshake(Exchange& exchange, const Connection& connection) {
  exchange.received = connection.handshake_bytes();
  exchange.received_dropped = connection.handshake_bytes_dropped();
}

}  // namespace condspec
