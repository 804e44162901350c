#pragma once
// What condspec learns of a cache under test (`condspec cache`) before any
// scenario runs, with one resource of its own at the origin, scripted fresh
// for an hour (Cache-Control: max-age=3600, ETag, Last-Modified):
//   - the cache can be reached and answers 200 for that resource;
//   - the origin received the request: the cache forwards to it (a cache
//     whose upstream points elsewhere answers, or times out, without ever
//     reaching it, and the target is unusable, saying so);
//   - a second GET is answered without asking the origin: fact cache-stores.
// The records hold both hops: the client's GETs and what reached the origin.

#include "src/core/clock.h"
#include "src/engine/discovery.h"
#include "src/engine/target.h"

namespace condspec {

// `target.cache` must be set.
Discovery discover_cache(const TargetConfig& target, Seconds now);

}  // namespace condspec
