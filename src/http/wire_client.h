#pragma once
// The wire client: HTTP/1.1 over TCP or TLS, written for judging conformance.
// It sends exactly the bytes a scenario asks for, records every byte sent and
// received, and frames responses itself (RFC 9112 6.3), so framing violations
// such as content after a 304 become evidence instead of being smoothed over.
//
// One WireClient owns at most one connection to one origin and reuses it
// (keep-alive) until the server closes it. It is not thread-safe: each
// scenario run uses its own client.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "src/http/message.h"
#include "src/http/url.h"

namespace condspec {

struct ClientOptions {
  std::chrono::milliseconds connect_timeout{5000};
  // Total time for one exchange (connect, send, receive everything); not an
  // idle timeout, so a server that drips bytes cannot stretch it.
  std::chrono::milliseconds deadline{10000};
  size_t max_head_bytes = 64 * 1024;
  size_t max_content_bytes = 8 * 1024 * 1024;
  bool verify_tls = true;
  std::string ca_file;  // empty: the system's trust store
};

class WireClient {
 public:
  WireClient(Url origin, ClientOptions options);
  ~WireClient();
  WireClient(WireClient&&) noexcept;
  WireClient& operator=(WireClient&&) noexcept;

  // Sends `request` to the origin given at construction (its target is used
  // as is) and reads one final response. Interim 1xx responses are skipped.
  // Never throws: every failure is returned as an Exchange with `error` set
  // and the bytes seen in `received`.
  //
  // If `previous` is given and was answered on the connection this request
  // reuses, bytes that arrive before this response's status line are stored
  // in previous->stray_bytes and previous->stray_checked is set: that is how
  // content after a 304 or HEAD response is detected without sleeping.
  Exchange send(const Request& request, Exchange* previous = nullptr);

  // Closes the connection, if any. If `previous` is given, first collects
  // any bytes the server sent after it (reading until the server closes the
  // connection or `grace` runs out) into previous->stray_bytes.
  void close(Exchange* previous = nullptr,
             std::chrono::milliseconds grace = std::chrono::milliseconds{0});

  const Url& origin() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace condspec
