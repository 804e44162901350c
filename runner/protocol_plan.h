#pragma once
// Which protocols each URL is judged over (`--protocol`): the run's targets,
// a URL and a protocol each, URLs in the order given and for each URL its
// protocols in a fixed order (http/1.1, h2, h2c), so that --shard slices the
// same way every time it is given the same URLs and options.
//
// With --protocol: each URL over each protocol given that can reach it (h2
// needs an https URL, h2c an http URL; with --unsafe-url, that URL too). A
// URL that none of them reaches is a usage error.
// Without: HTTP/1.1, plus h2 for an https URL whose server offers h2 in ALPN
// (and, with --unsafe-url, whose writable URL's server does too): what a
// browser would use, and what an older client would.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "src/core/result.h"
#include "src/engine/target.h"
#include "src/http/protocol.h"

namespace condspec {

// Whether the server of an https URL offers h2 in ALPN. Asked at most once
// per origin.
using OffersH2 = std::function<bool(const Url&)>;

// `targets` holds one TargetConfig per URL (client.protocol unset); the
// result has one per URL and protocol.
Result<std::vector<TargetConfig>> plan_protocols(const std::vector<TargetConfig>& targets,
                                                 const std::vector<Protocol>& requested,
                                                 const OffersH2& offers_h2);

}  // namespace condspec
