#include "src/http/url.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <optional>
#include <utility>

#include "src/core/text.h"

namespace condspec {
namespace {

int default_port(std::string_view scheme) {
  return scheme == "https" ? 443 : 80;
}

// Where userinfo may begin: after "://", or at the start without a scheme.
size_t after_scheme(std::string_view text) {
  const size_t scheme_end = text.find("://");
  return scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
}

// A URL with an "@" after its scheme may hold credentials, also where the
// parser would not take them for userinfo (a password with a "/" in it).
// Its messages never show what precedes the last "@", nor quote any part.
bool may_hold_credentials(std::string_view text) {
  return text.find('@', after_scheme(text)) != std::string_view::npos;
}

// The URL as the user typed it, made safe to print on one line, without
// what may be credentials.
std::string shown(std::string_view text) {
  std::string kept(text);
  if (may_hold_credentials(text))
    kept = std::string(text.substr(0, after_scheme(text))) + "***" +
           std::string(text.substr(text.rfind('@')));
  std::string out = printable(kept);
  std::erase(out, '\n');  // printable() breaks lines after "\n"; a message keeps one line
  return out;
}

Error invalid(std::string_view text, std::string_view reason) {
  return Error{fmt::format("invalid URL '{}': {}", shown(text), reason)};
}

// `what` followed by the offending part in quotes, unless the URL may hold
// credentials: then the part could be a piece of a password.
std::string naming(std::string_view text, std::string_view what, std::string_view part) {
  if (may_hold_credentials(text)) return std::string(what);
  return fmt::format("{} '{}'", what, printable(part));
}

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Octets a URL may never carry unencoded (RFC 3986 2): controls, space, DEL, non-ASCII.
bool needs_encoding(unsigned char c) {
  return c <= 0x20 || c >= 0x7F;
}

// reg-name characters this tool accepts: letters, digits and "-._~" (host
// names in practice). Percent-encoding and sub-delims in host names are not
// supported by the resolver anyway.
bool is_host_char(char c) {
  return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

// Port text after ':' (possibly empty, meaning the default, RFC 3986 3.2.3).
std::optional<int> parse_port(std::string_view text, int fallback) {
  if (text.empty()) return fallback;
  if (text.size() > 5 || !std::all_of(text.begin(), text.end(), is_digit)) return std::nullopt;
  int port = 0;
  for (char c : text) port = port * 10 + (c - '0');
  if (port < 1 || port > 65535) return std::nullopt;
  return port;
}

}  // namespace

std::string Url::authority() const {
  std::string out = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != default_port(scheme)) out += ":" + std::to_string(port);
  return out;
}

std::string Url::origin() const {
  return scheme + "://" + authority();
}

std::string Url::str() const {
  return origin() + target;
}

Url Url::with_target(std::string new_target) const {
  Url copy = *this;
  copy.target = std::move(new_target);
  return copy;
}

Result<Url> parse_url(std::string_view text) {
  if (std::any_of(text.begin(), text.end(),
                  [](char c) { return needs_encoding(static_cast<unsigned char>(c)); })) {
    return invalid(text, "contains a space, control or non-ASCII character (percent-encode it)");
  }
  size_t scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) {
    return invalid(text, "missing scheme; expected http:// or https://");
  }
  Url url;
  url.scheme = to_lower(text.substr(0, scheme_end));
  if (url.scheme != "http" && url.scheme != "https") {
    return invalid(text, "only http and https are supported");
  }

  std::string_view rest = text.substr(scheme_end + 3);
  size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  rest = authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);

  if (authority.find('@') != std::string_view::npos) {
    return invalid(text,
                   "credentials in URLs are not supported; use --header 'Authorization: ...'");
  }

  std::string_view host;
  std::string_view port_text;
  bool has_port = false;
  if (authority.starts_with('[')) {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return invalid(text, "missing ']' after IPv6 address");
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return invalid(text, "unexpected text after IPv6 address");
      has_port = true;
      port_text = after.substr(1);
    }
    in6_addr address;
    if (host.empty() || inet_pton(AF_INET6, std::string(host).c_str(), &address) != 1) {
      return invalid(text, naming(text, "invalid IPv6 address", host));
    }
  } else {
    size_t colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      has_port = true;
      port_text = authority.substr(colon + 1);
      in6_addr address;
      if (inet_pton(AF_INET6, std::string(authority).c_str(), &address) == 1) {
        return invalid(text, "IPv6 addresses must be in brackets, e.g. http://[::1]:8080/");
      }
    }
    if (host.empty()) return invalid(text, "missing host");
    if (!std::all_of(host.begin(), host.end(), is_host_char)) {
      return invalid(text, naming(text, "invalid host", host));
    }
    // All digits and dots reads as an IPv4 address to a resolver (even "1.2"
    // or "010.0.0.1"), so demand the one unambiguous spelling.
    if (std::all_of(host.begin(), host.end(), [](char c) { return is_digit(c) || c == '.'; })) {
      in_addr address;
      if (inet_pton(AF_INET, std::string(host).c_str(), &address) != 1) {
        return invalid(text, naming(text, "invalid IPv4 address", host));
      }
    }
  }
  url.host = to_lower(host);  // host names are case-insensitive (RFC 3986 3.2.2)

  url.port = default_port(url.scheme);
  if (has_port) {
    auto port = parse_port(port_text, url.port);
    if (!port) return invalid(text, naming(text, "invalid port", port_text));
    url.port = *port;
  }

  // The fragment is for the user agent only; it never goes on the wire.
  std::string_view target = rest.substr(0, rest.find('#'));
  url.target = target.starts_with('/') ? std::string(target) : "/" + std::string(target);
  return url;
}

}  // namespace condspec
