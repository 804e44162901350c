#pragma once
// Which protocol a TLS server chooses in ALPN, found with one handshake and
// no request: how `condspec run` learns, by default, whether an https target
// also speaks HTTP/2.

#include <string>
#include <vector>

#include "src/core/result.h"
#include "src/http/transport.h"
#include "src/http/url.h"

namespace condspec {

// Connects to `url`'s origin (https), offers `offers` in ALPN, and returns
// the protocol the server chose ("" for none), then closes. Bounded by
// options.connect_timeout and options.deadline; verification as in
// `options`. An error says why no handshake completed.
Result<std::string> negotiate_alpn(const Url& url, const ClientOptions& options,
                                   const std::vector<std::string>& offers);

}  // namespace condspec
