#pragma once
// The wire client: HTTP/1.1 over TCP or TLS, written for judging conformance.
// It sends exactly the bytes a scenario asks for, records every byte sent and
// received, and frames responses itself (RFC 9112 6.3), so framing violations
// such as content after a 304 become evidence instead of being smoothed over.
//
// One WireClient owns at most one connection to one origin and reuses it
// (keep-alive) until the server closes it. It is not thread-safe: each
// scenario run uses its own client.
//
// Stray bytes (bytes after a response; see Exchange::stray_bytes) are kept up
// to 64 KiB per exchange, the rest only counted in stray_bytes_dropped, and
// every read that collects them stops at the deadline or after that many
// bytes. Exchange::stray_checked is set only when the evidence is conclusive:
//   - the connection was used again and the next response's status line was
//     found (every byte before it was read), or
//   - the server closed the connection with a FIN (with or without TLS
//     close_notify, since every byte sent before it arrived), or
//   - close() waited a grace of more than 0 after a response that announced
//     "Connection: close" and nothing arrived for the whole grace: the
//     server said it would send nothing more, and sent nothing.
// It stays false otherwise: a reset (it can discard bytes in flight), a
// timeout, a grace of 0 or a quiet keep-alive connection (more may still
// come), or a server that kept sending past the byte budget (stray_bytes is
// then not empty anyway).
//
// Known limit: the host name is resolved with the blocking getaddrinfo(),
// which neither connect_timeout nor deadline bounds; a slow resolver can hold
// send() longer. Connecting to the addresses it returns shares one connect
// deadline: each attempt gets an equal part of the time left, and the next
// address is tried when one fails.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "src/http/message.h"
#include "src/http/stray_bytes.h"
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

// What one exchange recorded, and the stray bytes of the response before it
// on the same client that it brought to light (see send()).
struct Sent {
  Exchange exchange;
  StrayBytes stray_of_previous;
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
  // reuses, the bytes that follow it are its stray bytes: all those received
  // before this request is written (what was left after its response, and
  // whatever is readable at that moment), without looking at them, and then
  // those that arrive before this response's status line ("HTTP/"). That is
  // how content after a 304 or HEAD response is detected without sleeping.
  //
  // Content that runs until the connection closes (RFC 9112 6.3) is complete
  // only at a clean close; a reset, or over TLS a close without close_notify,
  // makes the exchange an error since the content may be truncated.
  Exchange send(const Request& request, Exchange* previous = nullptr);

  // Closes the connection, if any. If `previous` is given, first collects
  // any bytes the server sent after it (reading until the server closes the
  // connection, `grace` runs out or the byte budget is spent) into
  // previous->stray_bytes. Returns within `grace` whatever the server does.
  void close(Exchange* previous = nullptr,
             std::chrono::milliseconds grace = std::chrono::milliseconds{0});

  const Url& origin() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace condspec
