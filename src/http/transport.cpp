#include "src/http/transport.h"

#include "src/http/http2_client.h"
#include "src/http/wire_client.h"

namespace condspec {

std::unique_ptr<Transport> make_transport(const Url& origin, const ClientOptions& options) {
  // The one place that chooses the protocol.
  switch (options.protocol) {
    case Protocol::h2:
    case Protocol::h2c:
      return std::make_unique<Http2Client>(origin, options);
    case Protocol::http1_1:
      break;
  }
  return std::make_unique<WireClient>(origin, options);
}

}  // namespace condspec
