#pragma once
// An http or https URL, split into what the wire client needs.

#include <string>
#include <string_view>

#include "src/core/result.h"

namespace condspec {

struct Url {
  std::string scheme;  // "http" or "https"
  std::string host;    // without brackets for IPv6 literals
  int port = 0;        // always set: 80/443 when the URL has none
  std::string target;  // origin-form: path (at least "/") and query

  bool tls() const { return scheme == "https"; }
  // Host field value: host[:port], port omitted when it is the default.
  std::string authority() const;
  std::string origin() const;  // scheme://authority
  std::string str() const;     // origin() + target
  // The same origin with another target.
  Url with_target(std::string new_target) const;
  bool operator==(const Url&) const = default;
};

// Accepts http:// and https:// URLs; rejects anything else with a message
// that names the URL and what is wrong with it.
Result<Url> parse_url(std::string_view text);

}  // namespace condspec
