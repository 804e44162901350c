#pragma once
// The built-in reference origin: a small HTTP/1.1 server (cpp-httplib) whose
// conditional request handling follows RFC 9110 exactly, used to test
// condspec itself and as a known-good target. Named faults switch on
// deliberate deviations, one requirement each, so that condspec's tests can
// show every scenario is able to fail.
//
// Resources:
//   /strong    GET/HEAD: text, strong ETag, Last-Modified, byte ranges,
//              Cache-Control, Expires, Vary, Content-Location (a 206 answering
//              If-Range leaves out Content-Type and Last-Modified, 15.3.7);
//              with Accept-Encoding accepting gzip, a gzip-coded variant with
//              its own strong ETag and Content-Length (Vary: Accept-Encoding
//              on both)
//   /weak      GET/HEAD: the same shape with a weak ETag, no Content-Location,
//              byte ranges (If-Range never holds with its weak tag)
//   /plain     GET/HEAD: no ETag and no Last-Modified
//   /writable  GET/HEAD/PUT/DELETE, initially absent
// Anything else is 404; OPTIONS gives 204 with Allow.

#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "src/core/clock.h"
#include "src/core/result.h"
#include "src/origin/faults.h"

namespace condspec {

struct OriginOptions {
  const Clock* clock = nullptr;  // nullptr: the system clock
  std::set<std::string> faults;  // names from known_faults()
  std::string host = "127.0.0.1";
  int port = 0;  // 0: an ephemeral port
};

class ReferenceOrigin {
 public:
  // Listening when this returns. Errors: an unknown fault name, or the
  // address cannot be bound.
  static Result<std::unique_ptr<ReferenceOrigin>> start(OriginOptions options);
  ~ReferenceOrigin();
  ReferenceOrigin(const ReferenceOrigin&) = delete;
  ReferenceOrigin& operator=(const ReferenceOrigin&) = delete;

  int port() const;
  std::string base_url() const;  // e.g. "http://127.0.0.1:41234"
  // Stops listening and waits for the connections to finish. Idempotent.
  void stop();

 private:
  struct Impl;
  explicit ReferenceOrigin(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace condspec
