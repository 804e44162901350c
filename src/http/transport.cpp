#include "src/http/transport.h"

#include "src/http/wire_client.h"

namespace condspec {

std::unique_ptr<Transport> make_transport(const Url& origin, const ClientOptions& options) {
  // The one place that chooses the protocol: HTTP/1.1 is the only one yet.
  return std::make_unique<WireClient>(origin, options);
}

}  // namespace condspec
