#pragma once
// The origin behind a cache under test (`condspec cache`): it answers each
// scenario's resource as that scenario scripts it (origin_script.h) and
// records every request the cache sends it, with its answer, per resource.
// The upstream checks judge the cache by that record, never by what the
// cache says about itself (Age, X-Cache): a request that did not reach the
// origin was answered from the cache's store.
//
// Every resource lives under one prefix, /c/<run-id>/, with a fresh
// unguessable run id (128 random bits) per origin, so that two runs against
// the same warm cache never share a stored response. A resource is named by
// the rest of its path: prefix "/c/1f../" and name "h1/inm-stored-tag" is the
// path /c/1f../h1/inm-stored-tag. A cache may put its own path before the
// prefix (a CDN mapping /condspec/* to this origin): the prefix is found
// anywhere in the path.
//
// What it serves, wherever it listens (a hosted CDN needs it reachable from
// outside, so nothing here depends on the address being loopback):
//   - only paths that contain the run's prefix; anything else is 404, and
//     counted, never recorded;
//   - under the prefix, GET and HEAD only (the cache checks send nothing
//     else): another method is 405, recorded;
//   - a name no scenario scripted is 404 with Cache-Control: no-store;
//   - at most kMaxRecorded requests per name are recorded, so a flood cannot
//     grow memory without bound.
// It stops when stopped or destroyed, which the cache command does when the
// run ends.

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "src/core/clock.h"
#include "src/core/result.h"
#include "src/http/upstream_exchange.h"
#include "src/origin/origin_script.h"

namespace condspec {

struct InstrumentedOriginOptions {
  std::string host = "127.0.0.1";
  int port = 0;                  // 0: an ephemeral port
  const Clock* clock = nullptr;  // nullptr: the system clock
  std::string run_id;            // empty: 32 random hex digits
};

class InstrumentedOrigin {
 public:
  static constexpr size_t kMaxRecorded = 256;

  // Listening when this returns. Errors: the address cannot be bound.
  static Result<std::unique_ptr<InstrumentedOrigin>> start(InstrumentedOriginOptions options);
  ~InstrumentedOrigin();
  InstrumentedOrigin(const InstrumentedOrigin&) = delete;
  InstrumentedOrigin& operator=(const InstrumentedOrigin&) = delete;

  int port() const;
  std::string base_url() const;  // e.g. "http://127.0.0.1:8081"
  const std::string& prefix() const;

  // From now on, requests for `name` are answered by `script`. Errors: the
  // script names a fault the reference origin does not have.
  Status script(const std::string& name, OriginScript script);

  // The requests received for `name` so far, from the `from`-th on.
  std::vector<UpstreamExchange> received(const std::string& name, size_t from = 0) const;
  size_t received_count(const std::string& name) const;
  // Requests under the prefix, for any name; and requests it refused as
  // outside the prefix.
  size_t received_under_prefix() const;
  size_t refused_outside_prefix() const;

  // Stops listening and waits for the connections to finish. Idempotent.
  void stop();

 private:
  struct Impl;
  explicit InstrumentedOrigin(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// 32 hex digits from the system's random source.
std::string fresh_run_id();

}  // namespace condspec
