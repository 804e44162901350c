#pragma once
// What a cache run (`condspec cache`) adds to a target: the origin behind
// the cache, which the executor scripts and reads, and where each scenario's
// resource lives. The cache is the target's URL; a scenario's resource is
// the origin's prefix plus its name (scope, then the scenario id), asked of
// the cache under the cache URL's own path:
//
//   cache URL     http://127.0.0.1:6081/edge/
//   prefix        /c/1f0e.../            (one per run: instrumented_origin.h)
//   scope         h1/                    (one per protocol judged)
//   resource      h1/inm-stored-tag
//   client asks   http://127.0.0.1:6081/edge/c/1f0e.../h1/inm-stored-tag

#include <chrono>
#include <string>
#include <string_view>

#include "src/http/url.h"
#include "src/origin/instrumented_origin.h"

namespace condspec {

struct CacheTarget {
  InstrumentedOrigin* origin = nullptr;  // not owned: it outlives the run
  std::string scope;
  // How long to wait after the client's response before reading what went
  // upstream during a step: a cache may ask the origin just after answering
  // (a background revalidation), and that request belongs to this step.
  std::chrono::milliseconds settle{250};
};

// The name of a scenario's resource at the origin.
std::string resource_name(const CacheTarget& cache, std::string_view scenario);

// The URL under which the client asks the cache for the resource `name`.
Url cache_url_for(const Url& cache_url, const CacheTarget& cache, std::string_view name);

// Whether an upstream request is a validation request: it carries
// If-None-Match or If-Modified-Since (RFC 9111 4.3.1).
bool is_validation(const Request& upstream);

}  // namespace condspec
