#pragma once
// The HTTP/2 Transport (RFC 9113), over TLS with ALPN "h2" for https
// origins, or over cleartext TCP with prior knowledge ("h2c", RFC 9113 3.3)
// for http origins. libnghttp2 does the framing, HPACK and flow control;
// this client drives it over the bounded Connection and records what it
// sees as evidence.
//
// One connection per client, opened at the first send and kept while the
// server keeps it usable; one stream per exchange, used one after the other
// like the HTTP/1.1 client. Each exchange records (see message.h):
//   - request_bytes: the HEADERS fields as sent, as readable text
//     (http2_request.h), and the content sent in DATA frames;
//   - the response: its fields as decoded, a readable head, the DATA
//     payload as content, or as stray bytes when the response cannot have
//     content (http2_response.h); stray_checked once the stream ended;
//   - frames: every frame sent (libnghttp2's on_frame_send) and received
//     (their headers as they arrive, frame_scanner.h) during the exchange,
//     on its stream and on the connection, and those that arrived since the
//     exchange before.
// libnghttp2's own HTTP messaging checks are off, so a 304 that carries
// DATA, a content-length that does not match, or a connection-specific field
// is evidence condspec judges, not a library error.
//
// Bounds, as over HTTP/1.1: one total deadline per exchange
// (ClientOptions::deadline, checked before every read), the connect timeout,
// max_head_bytes for each field section (HPACK's measure), max_content_bytes
// for the DATA payload, 32 interim responses; and for a framed protocol a cap
// on frames that carry no content (1000 per exchange: a SETTINGS, PING,
// WINDOW_UPDATE, empty-frame or unknown-frame flood) and on frame records
// kept (4096; the rest counted). libnghttp2 bounds what it queues in answer
// (SETTINGS and PING acknowledgements) and the CONTINUATION frames of one
// field section. A server that resets the stream, sends GOAWAY, breaks the
// framing, never opens its flow-control window or never ends the stream
// yields an Exchange with `error` set and the frames seen.
//
// An idempotent request on a reused connection that the server refused
// without processing it (a stream above the last one its GOAWAY names), or
// whose connection the server ended before any frame of the response, is
// sent once more on a new connection, as over HTTP/1.1.
//
// Nothing can follow the end of a stream, so stray_of_previous and close()
// are always empty and unchecked: the stray evidence of an HTTP/2 response
// is complete in its own exchange.

#include <chrono>
#include <memory>

#include "src/http/message.h"
#include "src/http/transport.h"
#include "src/http/url.h"

namespace condspec {

class Http2Client final : public Transport {
 public:
  // Over TLS for an https origin, over cleartext for an http one.
  Http2Client(Url origin, ClientOptions options);
  ~Http2Client() override;
  Http2Client(Http2Client&&) noexcept;
  Http2Client& operator=(Http2Client&&) noexcept;

  Sent send(const Request& request) override;
  StrayBytes close(std::chrono::milliseconds grace = std::chrono::milliseconds{0}) override;
  const Url& origin() const override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace condspec
