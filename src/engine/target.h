#pragma once
// One URL under test, the protocol it is judged over (client.protocol), and
// how to talk to it.

#include <optional>

#include "src/http/fields.h"
#include "src/http/transport.h"
#include "src/http/url.h"

namespace condspec {

struct TargetConfig {
  Url url;                    // the URL under test: only safe methods are sent to it
  std::optional<Url> unsafe;  // --unsafe-url: condspec may create, replace and delete it
  Fields extra_fields;        // --header lines, sent with every request
  ClientOptions client;
};

// A path next to the target that should not exist, for scenarios about
// conditionals on a missing resource: /a/b.js -> /a/condspec-no-such-resource
Url missing_url(const Url& target);

}  // namespace condspec
