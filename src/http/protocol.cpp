#include "src/http/protocol.h"

namespace condspec {

std::string_view to_string(Protocol protocol) {
  switch (protocol) {
    case Protocol::http1_1:
      return "http/1.1";
    case Protocol::h2:
      return "h2";
    case Protocol::h2c:
      return "h2c";
  }
  return "?";
}

std::optional<Protocol> parse_protocol(std::string_view name) {
  for (Protocol protocol : kProtocols)
    if (to_string(protocol) == name) return protocol;
  return std::nullopt;
}

bool reaches(Protocol protocol, const Url& url) {
  switch (protocol) {
    case Protocol::http1_1:
      return true;
    case Protocol::h2:
      return url.tls();
    case Protocol::h2c:
      return !url.tls();
  }
  return false;
}

}  // namespace condspec
