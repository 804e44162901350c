#pragma once
// The transport seam: what the engine (executor, discovery) talks to. A
// request goes in and a recorded exchange comes out, with the framing
// evidence as data in the Exchange: over HTTP/1.1 the exact bytes sent,
// the response head and, on error, the bytes received, plus the stray bytes
// of the response before; over HTTP/2 the decoded fields and its frame list.
// The engine never sees a socket, a parser or a frame.
//
// One Transport talks to one origin and owns at most one connection to it,
// reused while the server keeps it open. It is not thread-safe: each
// scenario run and each discovery uses its own. Two implementations:
// HTTP/1.1 over TCP or TLS (WireClient, wire_client.h) and HTTP/2 over TLS or
// cleartext (Http2Client, http2_client.h). A later one (HTTP/3 over QUIC)
// joins them here: it needs only its own connection and this interface.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "src/core/cancellation.h"
#include "src/http/message.h"
#include "src/http/protocol.h"
#include "src/http/stray_bytes.h"
#include "src/http/url.h"

namespace condspec {

struct ClientOptions {
  // The protocol make_transport() speaks; h2 needs an https origin and h2c an
  // http one (protocol.h).
  Protocol protocol = Protocol::http1_1;
  std::chrono::milliseconds connect_timeout{5000};
  // Total time for one exchange (connect, send, receive everything); not an
  // idle timeout: it is checked before every read, so a server that drips
  // bytes, or sends them faster than they are read, cannot stretch it.
  std::chrono::milliseconds deadline{10000};
  size_t max_head_bytes = 64 * 1024;
  size_t max_content_bytes = 8 * 1024 * 1024;
  bool verify_tls = true;
  std::string ca_file;  // empty: the system's trust store
  // The run's cancellation, or null. Every wait of an exchange (connect,
  // TLS, write, read, the split-write pause, the grace of close()) wakes when
  // it is set, and a transport sends nothing once it is.
  const Cancellation* cancel = nullptr;
};

// What one send() recorded.
struct Sent {
  Exchange exchange;  // this request's exchange
  // Evidence about the response before this one on the same transport that
  // only this send brought to light (over HTTP/1.1: the bytes the server
  // sent after it). The caller attaches it to that response's record with
  // attach_stray; it is empty and unchecked when there was none.
  StrayBytes stray_of_previous;
};

class Transport {
 public:
  virtual ~Transport() = default;

  // Sends `request` (its target is used as is) and records one final
  // response. Never throws: a failure is an Exchange with `error` set and
  // the bytes seen in `received`.
  virtual Sent send(const Request& request) = 0;

  // Ends the connection, if any, after collecting what the server sends
  // after the last response for at most `grace` (see the implementation
  // for when that evidence is conclusive). Returns it, for the caller to
  // attach to that response's record.
  virtual StrayBytes close(std::chrono::milliseconds grace = std::chrono::milliseconds{0}) = 0;

  // What ending one user's turn on the connection found.
  struct Released {
    StrayBytes stray;  // of the last response, as close() returns it
    // The connection stays open, idle and clean for the next send(): the
    // last exchange kept it alive, its response was framed by length or
    // chunks (not one that cannot have content, where stray bytes hide), and
    // nothing has arrived after it. `stray` is then empty and unchecked,
    // exactly what close() would have found at that moment.
    bool kept_open = false;
  };

  // Ends the caller's use: keeps the connection for another caller when it
  // is clean (above), otherwise closes it as close() does. The default never
  // keeps it.
  virtual Released release() { return {close(), false}; }

  virtual const Url& origin() const = 0;
};

// The transport for `origin` over options.protocol. It does not connect
// before the first send.
std::unique_ptr<Transport> make_transport(const Url& origin, const ClientOptions& options);

}  // namespace condspec
