#pragma once
// The reference cache: a small caching reverse proxy in front of an origin,
// which follows RFC 9111 4 where the cache scenarios (cases/cache) judge it,
// and its faults, each a deliberate departure that breaks one requirement.
// It exists to prove the cache checks: the clean cache passes every cache
// scenario and each fault fails its own requirement only
// (tests/cache_fault_proof_test.cpp), as the reference origin does for the
// origin scenarios. `condspec serve-cache` runs it by hand.
//
// What it does, kept small on purpose:
//   - GET and HEAD only (405 otherwise); per path, one stored response per
//     variant: its secondary key is the request's fields its Vary names, and
//     a request gets only the variant whose key it matches (RFC 9111 4.1).
//   - It stores a 200 whose Cache-Control has max-age and neither no-store
//     nor private; that response is fresh for max-age seconds from when it
//     arrived (RFC 9111 4.2.1, Age and Date aside).
//   - A miss is fetched unconditionally (the client's conditionals are
//     answered from what is then stored); a stale response is revalidated
//     with If-None-Match carrying its ETag and If-Modified-Since carrying its
//     Last-Modified, and the client's fields that its Vary names (4.3.1).
//     A 304 freshens the stored response: its fields replace the stored
//     ones, except the framing and content fields that 4.3.4 (via 3.2) says
//     not to copy, and its freshness is recomputed; a
//     304 naming another strong ETag updates nothing, and the response is
//     then fetched whole. A 200 replaces it (4.3.3).
//   - A client's If-None-Match and If-Modified-Since are evaluated against
//     the stored response by the origin's oracle (preconditions.h), as 4.3.2
//     asks; a 304 carries the stored fields without representation metadata,
//     and Age. If-Match and If-Unmodified-Since, which apply only to an
//     origin server, are ignored (4.3.2; RFC 9110 13.1.1, 13.1.4). A GET
//     with one byte range gets 206 with that part of the stored content
//     unless If-Range is false against the stored validators (the whole 200).
//   - Anything else the origin answers is passed on, not stored.
//   - Upstream connections are kept open between requests while they are
//     clean (one framed by length or chunks, nothing after it): the one a
//     304 came on is closed, so bytes a broken origin writes after a 304
//     never become part of the next response (RFC 9112 6.3).

#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "src/core/clock.h"
#include "src/core/result.h"

namespace condspec {

struct CacheFault {
  std::string_view name;
  // The requirement id it breaks; empty for a fault that changes only how
  // the cache handles a broken origin (a scenario's handling), no verdict.
  std::string_view breaks;
  std::string_view why;  // one line: what it does wrong
};

// Every fault of the reference cache, in a fixed order.
const std::vector<CacheFault>& known_cache_faults();

struct ReferenceCacheOptions {
  std::string host = "127.0.0.1";
  int port = 0;          // 0: an ephemeral port
  std::string upstream;  // the origin's base URL, e.g. "http://127.0.0.1:8081"
  std::set<std::string> faults;
  const Clock* clock = nullptr;  // nullptr: the system clock
};

class ReferenceCache {
 public:
  // Listening when this returns. Errors: an unknown fault, an upstream that
  // is no http:// URL, an address that cannot be bound.
  static Result<std::unique_ptr<ReferenceCache>> start(ReferenceCacheOptions options);
  ~ReferenceCache();
  ReferenceCache(const ReferenceCache&) = delete;
  ReferenceCache& operator=(const ReferenceCache&) = delete;

  int port() const;
  std::string base_url() const;
  void stop();

 private:
  struct Impl;
  explicit ReferenceCache(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace condspec
