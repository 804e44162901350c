#pragma once
// The wire client: the HTTP/1.1 Transport, over TCP or TLS, written for
// judging conformance. It sends exactly the bytes a scenario asks for,
// records every byte sent and received, and frames responses itself
// (RFC 9112 6.3), so framing violations such as content after a 304 become
// evidence instead of being smoothed over.
//
// One exchange goes through these phases (wire_client.cpp, in this order):
//   connect       TCP, then TLS, unless a kept-alive connection is reused;
//   write         the request; a split request (Request::split_before) in
//                 two writes, the second after the pause unless the server
//                 began to answer or closed the connection meanwhile
//                 (RFC 9110 5.3);
//   read head     until the final response's header section, skipping
//                 interim 1xx responses (at most 32, and 64 KiB for all
//                 their heads together);
//   read content  until the end its framing gives (RFC 9112 6.3).
// One deadline (ClientOptions::deadline) bounds all of it, counted from the
// start of send() and checked before every read, even when bytes are
// waiting; a timeout's message says how long the exchange really took.
// Every wait also wakes on the run's cancellation (ClientOptions::cancel):
// the exchange then fails at once ("interrupted after N ms ..."), and once
// cancelled, send() sends nothing.
// Bytes received before this response's status line on a reused connection
// are attributed to the previous response as its stray bytes (below), never
// to this one. An idempotent request on a reused connection that the server
// ends before any status line is sent again, once, on a new connection.
// Content that runs until the connection closes is complete only at a clean
// close; a reset, or over TLS a close without close_notify, makes the
// exchange an error since the content may be truncated. Every failure is
// returned as an Exchange with `error` set and the bytes seen (up to 64 KiB)
// in `received`.
//
// Stray bytes are the bytes a server sends after a response. send() returns
// those of the previous response on this client (Sent::stray_of_previous):
// all bytes received before the request is written (what was left after
// that response, and whatever is readable at that moment), without looking
// at them, and then those that arrive before this response's status line
// ("HTTP/"). That is how content after a 304 or HEAD response is detected
// without sleeping. close() returns those of the last response: it reads
// until the server closes the connection, `grace` runs out or the byte
// budget is spent. Up to 64 KiB are kept, the rest only counted, and every
// read that collects them stops at the deadline or after that many bytes.
// StrayBytes::checked is set only when the evidence is conclusive:
//   - the connection was used again and the next response's status line was
//     found (every byte before it was read), or
//   - the server closed the connection with a FIN (with or without TLS
//     close_notify, since every byte sent before it arrived), or
//   - close() waited a grace of more than 0 after a response that announced
//     "Connection: close" and nothing arrived for the whole grace: the
//     server said it would send nothing more, and sent nothing.
// It stays false otherwise: a reset (it can discard bytes in flight), a
// timeout, a grace of 0 or a quiet keep-alive connection (more may still
// come), or a server that kept sending past the byte budget (the bytes are
// then not empty anyway).
//
// Known limit: the host name is resolved with the blocking getaddrinfo(),
// which neither connect_timeout nor deadline bounds; a slow resolver can hold
// send() longer. Connecting to the addresses it returns shares one connect
// deadline: each attempt gets an equal part of the time left, and the next
// address is tried when one fails.

#include <chrono>
#include <memory>
#include <string>

#include "src/http/message.h"
#include "src/http/transport.h"
#include "src/http/url.h"

namespace condspec {

class WireClient final : public Transport {
 public:
  WireClient(Url origin, ClientOptions options);
  ~WireClient() override;
  WireClient(WireClient&&) noexcept;
  WireClient& operator=(WireClient&&) noexcept;

  Sent send(const Request& request) override;
  StrayBytes close(std::chrono::milliseconds grace = std::chrono::milliseconds{0}) override;
  Released release() override;
  const Url& origin() const override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The exact bytes send() writes for `request` to `origin` (Host added
// unless the request has one, Content-Length for content without framing).
std::string http1_request_bytes(const Request& request, const Url& origin);

}  // namespace condspec
