#pragma once
// The built-in reference origin: its answers (responder.h) served over
// HTTP/1.1 (http1_server.h), or HTTP/2 (http2_server.h) with prior knowledge
// (h2c) or over TLS (h2, with a self-signed certificate made at start,
// self_signed.h), on a TCP port. Its conditional request handling
// follows RFC 9110 exactly (preconditions.h); it is used to test condspec
// itself and as a known-good target. Named faults (faults.h) each break one
// requirement on purpose, so that condspec's tests can show every scenario is
// able to fail. The resources are described in resources.h: /strong (with a
// gzip variant), /weak, /plain and /writable; anything else is 404, and
// OPTIONS gives 204 with Allow.

#include <cstddef>
#include <memory>
#include <set>
#include <string>

#include "src/core/clock.h"
#include "src/core/result.h"
#include "src/http/protocol.h"
#include "src/origin/faults.h"  // known_faults(), for the users of the origin

namespace condspec {

struct OriginOptions {
  const Clock* clock = nullptr;  // nullptr: the system clock
  std::set<std::string> faults;  // names from known_faults()
  std::string host = "127.0.0.1";
  int port = 0;  // 0: an ephemeral port
  // http/1.1, h2c or h2; the same answers and faults over each.
  Protocol protocol = Protocol::http1_1;
};

class ReferenceOrigin {
 public:
  // Listening when this returns. Errors: an unknown fault name, the
  // address cannot be bound, or (h2) no certificate could be made.
  static Result<std::unique_ptr<ReferenceOrigin>> start(OriginOptions options);
  ~ReferenceOrigin();
  ReferenceOrigin(const ReferenceOrigin&) = delete;
  ReferenceOrigin& operator=(const ReferenceOrigin&) = delete;

  int port() const;
  std::string base_url() const;  // e.g. "http://127.0.0.1:41234", https over h2
  // Over h2, the PEM certificate a client must trust (--cacert); else empty.
  std::string certificate_pem() const;
  // How many requests it has answered (not counting those it refused as
  // malformed), for tests that count what a run sent.
  size_t requests_answered() const;

  // Stops listening and waits for the connections to finish. Idempotent.
  void stop();

 private:
  struct Impl;
  explicit ReferenceOrigin(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace condspec
