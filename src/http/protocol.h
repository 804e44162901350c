#pragma once
// The protocol an exchange travels over. HTTP semantics (RFC 9110) are the
// same over each; what differs is the framing, and so the evidence kept.

#include <array>
#include <optional>
#include <string_view>

#include "src/http/url.h"

namespace condspec {

enum class Protocol {
  http1_1,  // HTTP/1.1 (RFC 9112) over TCP, or TLS for https
  h2,       // HTTP/2 (RFC 9113) over TLS, chosen in ALPN as "h2"
  h2c,      // HTTP/2 over cleartext TCP, with prior knowledge (RFC 9113 3.3)
};

// Every protocol, in the order a target's runs are listed and sharded.
inline constexpr std::array<Protocol, 3> kProtocols = {Protocol::http1_1, Protocol::h2,
                                                       Protocol::h2c};

// "http/1.1", "h2", "h2c": the names the command line, the reports and
// baselines use (h2 and h2c are their ALPN and RFC 9113 identifiers).
std::string_view to_string(Protocol protocol);

// The protocol of that name, or nothing.
std::optional<Protocol> parse_protocol(std::string_view name);

// Whether `protocol` can reach `url`: h2 needs an https URL and h2c an http
// URL; HTTP/1.1 reaches both.
bool reaches(Protocol protocol, const Url& url);

}  // namespace condspec
