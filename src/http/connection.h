#pragma once
// One TCP connection to an origin, with TLS on top for https: the byte
// stream under the HTTP/1.1 and HTTP/2 clients. Every call is bounded by a
// deadline, checked before every read from the socket, and every wait wakes
// on the run's cancellation. TLS runs over memory BIOs and the socket I/O
// is done here with send(MSG_NOSIGNAL), so a peer that resets the connection cannot raise SIGPIPE
// and no process-wide signal disposition is touched.

#include <openssl/types.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/core/cancellation.h"
#include "src/core/result.h"
#include "src/http/url.h"

namespace condspec {

// How a read or a write on a connection ended.
enum class Io {
  ok,
  eof,        // the peer closed cleanly: a FIN, or over TLS a close_notify
  cut,        // over TLS, a FIN without close_notify: what came may be truncated
  reset,      // ECONNRESET or EPIPE: bytes in flight may have been lost
  timeout,    // the deadline passed
  cancelled,  // the run was cancelled (ClientOptions::cancel) while waiting
  failed,
};

// The connection ended, one way or another.
bool ended(Io io);

// host:port with the port always shown, for messages.
std::string endpoint(const Url& url);

struct TlsContextFree {
  void operator()(SSL_CTX* context) const;
};
using TlsContext = std::unique_ptr<SSL_CTX, TlsContextFree>;

// A TLS client context (TLS 1.2 or later) offering the protocols `alpn` in
// ALPN, in order of preference ("http/1.1" for HTTP/1.1, "h2" for HTTP/2).
// With `verify`, peers are checked against the system's trust store, or
// against `ca_file` when it is given; an unreadable or empty CA file is an
// error here.
Result<TlsContext> make_tls_context(bool verify, const std::string& ca_file,
                                    const std::vector<std::string>& alpn = {"http/1.1"});

// Whether `ca_file` can serve as --cacert: it can be read, holds at least one
// PEM certificate, and OpenSSL loads it. The error says what is wrong.
Status check_ca_file(const std::string& ca_file);

class Connection {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  struct Outcome {
    Io io = Io::ok;
    std::string error;  // when io is failed
  };

  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // How long opening may take.
  struct OpenLimits {
    // When the exchange began: a timeout says how long it had run by then.
    TimePoint started;
    std::chrono::milliseconds connect_timeout;  // for TCP, from when it begins
    TimePoint deadline;                         // for all of it, the TLS handshake included
    // Wakes every wait of this connection, from open() on; may be null.
    const Cancellation* cancel = nullptr;
  };

  // Connects (and handshakes, when `tls` is given); on failure returns the
  // message.
  std::optional<std::string> open(const Url& url, SSL_CTX* tls, bool verify,
                                  const OpenLimits& limits);

  // What the server sent during a handshake that failed: the first 4 KiB,
  // and how many more bytes came.
  const std::string& handshake_bytes() const { return handshake_bytes_; }
  size_t handshake_bytes_dropped() const { return handshake_bytes_dropped_; }

  // The protocol the server chose in ALPN during the TLS handshake; empty
  // without TLS or when it chose none.
  std::string alpn() const;

  Outcome write_all(std::string_view data, TimePoint deadline);

  // Appends at least one byte to `out` unless the connection ended or
  // failed, nothing came by `wait_until`, or `deadline` has passed. Bytes
  // that have already arrived are taken even after `wait_until` (a time
  // already past takes only what is there), but once `deadline` has passed
  // nothing more is read, even with bytes waiting: a server that keeps
  // sending cannot stretch it. `wait_until` is no later than `deadline`.
  Outcome read_some(std::string& out, TimePoint wait_until, TimePoint deadline);
  // Waits until `deadline` at most, and reads nothing after it.
  Outcome read_some(std::string& out, TimePoint deadline) {
    return read_some(out, deadline, deadline);
  }

 private:
  std::optional<std::string> connect_tcp(const Url& url, TimePoint deadline, TimePoint started);
  std::optional<std::string> handshake(const Url& url, SSL_CTX* tls, bool verify,
                                       TimePoint deadline);
  std::string tls_failure();
  Outcome flush_tls(TimePoint deadline);
  Outcome fill_tls(TimePoint wait_until, TimePoint deadline);
  Outcome send_raw(std::string_view data, TimePoint deadline);
  Outcome recv_raw(char* buffer, size_t size, TimePoint wait_until, TimePoint deadline);
  static Outcome failure(int error);

  int fd_ = -1;
  const Cancellation* cancel_ = nullptr;
  SSL* ssl_ = nullptr;
  static constexpr size_t kHandshakeEvidence = 4096;
  bool handshaking_ = false;
  std::string handshake_bytes_;
  size_t handshake_bytes_dropped_ = 0;
  BIO* network_in_ = nullptr;   // bytes from the server, for TLS to read
  BIO* network_out_ = nullptr;  // bytes TLS wrote, to send to the server
  size_t last_received_ = 0;
};

}  // namespace condspec
