// Fuzzes the URL parser (src/http/url.h) with what a user types as a URL.
//
// Input: the URL text.
//
// Properties: no crash or UB. An error is one line of printable ASCII,
// "invalid URL '<the URL>': <reason>", where the URL is shown as typed
// (escaped) except that everything between the scheme and its last '@' is
// "***", and the reason is then one of the fixed ones, quoting no part of
// the URL: no credential is ever printed. A parsed URL has a scheme of http or https, a
// host, a port in 1-65535 and a target starting with '/'; it never has
// userinfo; written back (str()) it parses to the same URL, and so does its
// origin with the target "/".

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "src/core/text.h"
#include "src/http/url.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

bool printable_ascii_line(std::string_view text) {
  for (unsigned char c : text)
    if (c < 0x20 || c >= 0x7f) return false;
  return true;
}

// The URL as the error must show it (the rule stated above).
std::string expected_shown(std::string_view text) {
  const size_t scheme_end = text.find("://");
  const size_t after = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  std::string kept(text);
  if (text.find('@', after) != std::string_view::npos)
    kept = std::string(text.substr(0, after)) + "***" + std::string(text.substr(text.rfind('@')));
  std::string shown = condspec::printable(kept);
  std::erase(shown, '\n');
  return shown;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = condspec::parse_url(text);
  if (!parsed) {
    const std::string& message = parsed.error().message;
    FUZZ_CHECK(printable_ascii_line(message));
    const std::string prefix = "invalid URL '" + expected_shown(text) + "': ";
    FUZZ_CHECK(message.starts_with(prefix));
    const size_t scheme_end = text.find("://");
    const size_t after = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
    const size_t last_at = text.rfind('@');
    if (last_at != std::string_view::npos && last_at >= after) {
      // What may be credentials: the reason is one of the fixed ones, with
      // no part of the URL quoted in it.
      const std::string reason = message.substr(prefix.size());
      bool fixed = false;
      for (std::string_view known :
           {"contains a space, control or non-ASCII character (percent-encode it)",
            "missing scheme; expected http:// or https://", "only http and https are supported",
            "credentials in URLs are not supported; use --header 'Authorization: ...'",
            "missing ']' after IPv6 address", "unexpected text after IPv6 address",
            "invalid IPv6 address", "IPv6 addresses must be in brackets, e.g. http://[::1]:8080/",
            "missing host", "invalid host", "invalid IPv4 address", "invalid port"})
        fixed = fixed || reason == known;
      FUZZ_CHECK(fixed);
    }
    return 0;
  }
  const condspec::Url& url = *parsed;
  FUZZ_CHECK(url.scheme == "http" || url.scheme == "https");
  FUZZ_CHECK(!url.host.empty());
  FUZZ_CHECK(url.port >= 1 && url.port <= 65535);
  FUZZ_CHECK(url.target.starts_with('/'));
  FUZZ_CHECK(url.authority().find('@') == std::string::npos);
  const auto again = condspec::parse_url(url.str());
  FUZZ_CHECK(again && *again == url);
  const auto origin = condspec::parse_url(url.origin());
  FUZZ_CHECK(origin && *origin == url.with_target("/"));
  return 0;
}
