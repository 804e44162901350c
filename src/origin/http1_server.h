#pragma once
// The HTTP/1.1 transport of the reference origin: cpp-httplib serving an
// origin's answers (request_reply.h) on a TCP port. It turns each request
// into an Incoming, and writes the Reply it gets back exactly: the fields as
// given, the content as given, and the framing flags interpreted the
// HTTP/1.1 way (chunked transfer coding, content even after HEAD, 204 or
// 304, the connection closed without a response). With a stalled-head wait
// it is served behind a StallingFront (stalling_front.h).

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "src/core/result.h"
#include "src/origin/request_reply.h"

namespace condspec {

struct Http1Options {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: an ephemeral port
  // Answer a header section that stops arriving for this long from what came
  // (a fault: RFC 9110 5.3 says to wait for all of it); nullopt: wait.
  std::optional<std::chrono::milliseconds> stalled_head_wait;
};

// What the server serves.
struct Http1Handlers {
  std::function<Reply(const Incoming&)> respond;
  // The reply the origin would give to a request cpp-httplib refuses by
  // itself (e.g. 400 to a malformed request line): its Date is added to
  // cpp-httplib's.
  std::function<Reply(int status)> transport_error;
};

class Http1Server {
 public:
  // Listening when this returns. Errors: the address cannot be bound, or
  // the server did not start listening.
  static Result<std::unique_ptr<Http1Server>> start(Http1Options options, Http1Handlers handlers);
  ~Http1Server();
  Http1Server(const Http1Server&) = delete;
  Http1Server& operator=(const Http1Server&) = delete;

  int port() const;
  // Stops listening, ends the connections kept alive (a client waiting
  // between requests would otherwise hold it for the keep-alive timeout)
  // and waits for the rest to finish. Idempotent.
  void stop();

 private:
  struct Impl;
  explicit Http1Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace condspec
