#pragma once
// The HTTP/2 transport of the reference origin: libnghttp2's server session
// serving an origin's answers (request_reply.h) over cleartext TCP with prior
// knowledge (h2c, RFC 9113 3.3), or over TLS with "h2" chosen in ALPN (a
// client that does not offer h2 fails the handshake), beside the HTTP/1.1
// transport
// (http1_server.h) and with the same responder. Each stream's request becomes
// an Incoming (version "HTTP/2", :authority as Host), and the Reply goes out
// as given: its fields in lower case (HTTP/2 field names are, RFC 9113
// 8.2.1), content in DATA frames. The framing flags are read the HTTP/2 way:
// content_after_bodiless sends DATA after the HEADERS of a 204, 304 or a
// response to HEAD (RFC 9113 8.1.1); close_without_response resets the stream
// (RST_STREAM INTERNAL_ERROR); chunked means nothing in HTTP/2, which has no
// transfer codings, and is ignored. libnghttp2's own HTTP messaging checks
// are off, so a fault's reply goes out exactly as the fault shaped it.
//
// One thread per connection; connections are few (condspec opens one per
// target and protocol).

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "src/core/result.h"
#include "src/origin/request_reply.h"
#include "src/origin/self_signed.h"

namespace condspec {

struct Http2Options {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: an ephemeral port
  // Set: HTTP/2 over TLS (h2) with this identity; unset: cleartext (h2c).
  std::optional<TlsIdentity> tls;
};

class Http2Server {
 public:
  // Listening when this returns. Errors: the address cannot be bound, or the
  // TLS identity cannot be used.
  static Result<std::unique_ptr<Http2Server>> start(Http2Options options,
                                                    std::function<Reply(const Incoming&)> respond);
  ~Http2Server();
  Http2Server(const Http2Server&) = delete;
  Http2Server& operator=(const Http2Server&) = delete;

  int port() const;
  // Stops listening, ends the connections and waits for their threads.
  // Idempotent.
  void stop();

 private:
  struct Impl;
  explicit Http2Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace condspec
