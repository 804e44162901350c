#include "src/http/wire_client.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <exception>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "src/core/text.h"
#include "src/http/fields.h"
#include "src/http/response_parser.h"

namespace condspec {
namespace {

using SteadyClock = std::chrono::steady_clock;
using TimePoint = SteadyClock::time_point;
using std::chrono::milliseconds;

// How many received bytes an error keeps as evidence.
constexpr size_t kMaxEvidenceBytes = 64 * 1024;
// How many bytes after a response are kept as its stray bytes; beyond that
// they are only counted. It also bounds every read that collects them.
constexpr size_t kMaxStrayBytes = 64 * 1024;
constexpr size_t kReadChunk = 16 * 1024;

std::string errno_text(int error) {
  std::string text = std::strerror(error);
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

// The reasons queued by OpenSSL on this thread ("certificate verify
// failed"), oldest first; clears the queue.
std::string openssl_errors() {
  std::string text;
  while (unsigned long code = ERR_get_error()) {
    const char* reason = ERR_reason_error_string(code);
    std::string one = ERR_SYSTEM_ERROR(code) ? errno_text(ERR_GET_REASON(code))
                      : reason               ? reason
                                             : fmt::format("error {:#x}", code);
    if (text.find(one) != std::string::npos) continue;
    if (!text.empty()) text += "; ";
    text += one;
  }
  return text;
}

bool is_ip_literal(const std::string& host) {
  unsigned char address[sizeof(in6_addr)];
  return inet_pton(AF_INET, host.c_str(), address) == 1 ||
         inet_pton(AF_INET6, host.c_str(), address) == 1;
}

// host:port with the port always shown, for messages.
std::string endpoint(const Url& url) {
  std::string host = url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
  return fmt::format("{}:{}", host, url.port);
}

int poll_timeout_ms(TimePoint deadline) {
  auto left = std::chrono::ceil<milliseconds>(deadline - SteadyClock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, 1'000'000));
}

enum class Io {
  ok,
  eof,      // the peer closed cleanly: a FIN, or over TLS a close_notify
  cut,      // over TLS, a FIN without close_notify: what came may be truncated
  reset,    // ECONNRESET or EPIPE: bytes in flight may have been lost
  timeout,  // the deadline passed
  failed,
};

// The connection ended, one way or another.
bool ended(Io io) {
  return io == Io::eof || io == Io::cut || io == Io::reset;
}

// Waits until `fd` is ready for `events` or the deadline passes.
Io wait_for(int fd, short events, TimePoint deadline, int& error) {
  while (true) {
    pollfd entry{fd, events, 0};
    int ready = ::poll(&entry, 1, poll_timeout_ms(deadline));
    if (ready > 0) return Io::ok;  // errors and hang-ups show in the next call
    if (ready == 0) return Io::timeout;
    if (errno != EINTR) {
      error = errno;
      return Io::failed;
    }
  }
}

void append_capped(std::string& evidence, std::string_view bytes) {
  size_t room = kMaxEvidenceBytes - std::min(kMaxEvidenceBytes, evidence.size());
  evidence.append(bytes.substr(0, room));
}

bool is_idempotent(const std::string& method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS" || method == "PUT" ||
         method == "DELETE" || method == "TRACE";
}

// The request's bytes. `split_at` is set to where the first field line named
// request.split_before begins, or 0 when there is none to split before.
std::string serialize(const Request& request, const Url& origin, size_t& split_at) {
  split_at = 0;
  std::string out = request.method + " " + request.target + " " + request.version + "\r\n";
  if (!request.fields.has("Host")) out += "Host: " + origin.authority() + "\r\n";
  for (const auto& field : request.fields) {
    if (split_at == 0 && !request.split_before.empty() && iequals(field.name, request.split_before))
      split_at = out.size();
    out += field.name + ": " + field.value + "\r\n";
  }
  if (!request.body.empty() && !request.fields.has("Content-Length") &&
      !request.fields.has("Transfer-Encoding")) {
    out += fmt::format("Content-Length: {}\r\n", request.body.size());
  }
  out += "\r\n";
  out += request.body;
  return out;
}

// One TCP connection, with TLS on top when the origin is https. Every call
// is bounded by a deadline. TLS runs over memory BIOs and the socket I/O is
// done here with send(MSG_NOSIGNAL), so a peer that resets the connection
// cannot raise SIGPIPE and no process-wide signal disposition is touched.
class Connection {
 public:
  struct Outcome {
    Io io = Io::ok;
    std::string error;  // when io is failed
  };

  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() {
    if (ssl_) SSL_free(ssl_);  // frees both BIOs
    if (fd_ >= 0) ::close(fd_);
  }

  // Connects (and handshakes) by `deadline`; on failure returns the message.
  std::optional<std::string> open(const Url& url, SSL_CTX* tls, bool verify,
                                  milliseconds connect_timeout, TimePoint deadline) {
    TimePoint start = SteadyClock::now();
    TimePoint connect_deadline = std::min(deadline, start + connect_timeout);
    auto limit = std::chrono::duration_cast<milliseconds>(connect_deadline - start).count();
    if (auto error = connect_tcp(url, connect_deadline, limit)) return error;
    if (tls) {
      if (auto error = handshake(url, tls, verify, deadline)) {
        auto total = std::chrono::duration_cast<milliseconds>(deadline - start).count();
        return fmt::format(
            "TLS handshake with {} failed: {}", endpoint(url),
            *error == "timeout" ? fmt::format("timed out after {} ms", total) : *error);
      }
    }
    return std::nullopt;
  }

  // What the server sent during a handshake that failed.
  const std::string& handshake_bytes() const { return handshake_bytes_; }

  Outcome write_all(std::string_view data, TimePoint deadline) {
    if (!ssl_) return send_raw(data, deadline);
    ERR_clear_error();
    while (!data.empty()) {
      int n =
          SSL_write(ssl_, data.data(), static_cast<int>(std::min<size_t>(data.size(), 1 << 20)));
      if (n > 0) {
        data.remove_prefix(static_cast<size_t>(n));
        Outcome flushed = flush_tls(deadline);
        if (flushed.io != Io::ok) return flushed;
        continue;
      }
      int error = SSL_get_error(ssl_, n);
      Outcome step = flush_tls(deadline);
      if (step.io != Io::ok) return step;
      if (error == SSL_ERROR_WANT_READ) {
        step = fill_tls(deadline);
        if (step.io != Io::ok) return step;
      } else if (error != SSL_ERROR_WANT_WRITE) {
        return {Io::failed, tls_failure()};
      }
    }
    return {};
  }

  // Appends at least one byte to `out` unless the connection ended, failed
  // or the deadline passed (a deadline in the past only takes what is there).
  Outcome read_some(std::string& out, TimePoint deadline) {
    char buffer[kReadChunk];
    if (!ssl_) {
      Outcome received = recv_raw(buffer, sizeof buffer, deadline);
      if (received.io == Io::ok) out.append(buffer, last_received_);
      return received;
    }
    ERR_clear_error();
    while (true) {
      int n = SSL_read(ssl_, buffer, sizeof buffer);
      if (n > 0) {
        out.append(buffer, static_cast<size_t>(n));
        return {};
      }
      int error = SSL_get_error(ssl_, n);
      if (error == SSL_ERROR_ZERO_RETURN) return {Io::eof, {}};  // close_notify
      Outcome step = flush_tls(deadline);
      if (step.io != Io::ok) return step;
      if (error == SSL_ERROR_WANT_READ) {
        step = fill_tls(deadline);
        // TLS still expected a record: without close_notify an attacker
        // (or a crash) may have cut the stream short.
        if (step.io == Io::eof) return {Io::cut, "connection closed without TLS close_notify"};
        if (step.io != Io::ok) return step;
      } else if (error != SSL_ERROR_WANT_WRITE) {
        return {Io::failed, tls_failure()};
      }
    }
  }

 private:
  // Tries each address the name resolves to, sharing one deadline: each
  // attempt gets an equal part of the time left, so an address that never
  // answers still leaves time for the next one.
  std::optional<std::string> connect_tcp(const Url& url, TimePoint deadline, long long limit_ms) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    std::string port = std::to_string(url.port);
    // Blocking and not bounded by the deadline (see wire_client.h).
    int status = ::getaddrinfo(url.host.c_str(), port.c_str(), &hints, &found);
    if (status != 0) {
      std::string reason = status == EAI_SYSTEM ? errno_text(errno) : gai_strerror(status);
      if (!reason.empty()) reason[0] = static_cast<char>(std::tolower(reason[0]));
      return fmt::format("cannot resolve host '{}': {}", url.host, reason);
    }
    std::vector<const addrinfo*> addresses;
    for (const addrinfo* address = found; address; address = address->ai_next) {
      addresses.push_back(address);
    }
    std::string last_error = "no address";
    bool timed_out = false;
    for (size_t i = 0; i < addresses.size(); ++i) {
      TimePoint now = SteadyClock::now();
      if (now >= deadline) {
        timed_out = true;
        break;
      }
      TimePoint attempt_deadline = now + (deadline - now) / static_cast<long>(addresses.size() - i);
      const addrinfo* address = addresses[i];
      int fd = ::socket(address->ai_family, address->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                        address->ai_protocol);
      if (fd < 0) {
        last_error = errno_text(errno);
        timed_out = false;
        continue;
      }
      int error = 0;
      if (::connect(fd, address->ai_addr, address->ai_addrlen) != 0) error = errno;
      if (error == EINPROGRESS) {
        error = 0;
        Io waited = wait_for(fd, POLLOUT, attempt_deadline, error);
        if (waited == Io::timeout) {
          ::close(fd);
          timed_out = true;
          continue;
        }
        if (waited == Io::ok) {
          socklen_t length = sizeof error;
          if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) error = errno;
        }
      }
      if (error == 0) {
        int on = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        fd_ = fd;
        ::freeaddrinfo(found);
        return std::nullopt;
      }
      last_error = errno_text(error);
      timed_out = false;
      ::close(fd);
    }
    ::freeaddrinfo(found);
    if (timed_out) {
      return fmt::format("connect to {}: timed out after {} ms", endpoint(url), limit_ms);
    }
    return fmt::format("connect to {}: {}", endpoint(url), last_error);
  }

  // Returns "timeout" or the reason the handshake failed.
  std::optional<std::string> handshake(const Url& url, SSL_CTX* tls, bool verify,
                                       TimePoint deadline) {
    ERR_clear_error();
    ssl_ = SSL_new(tls);
    if (!ssl_) return openssl_errors();
    network_in_ = BIO_new(BIO_s_mem());
    network_out_ = BIO_new(BIO_s_mem());
    if (!network_in_ || !network_out_) {
      BIO_free(network_in_);
      BIO_free(network_out_);
      network_in_ = network_out_ = nullptr;
      return openssl_errors();
    }
    BIO_set_mem_eof_return(network_in_, -1);  // empty means "wait for more", not EOF
    SSL_set_bio(ssl_, network_in_, network_out_);
    SSL_set_connect_state(ssl_);
    bool ip = is_ip_literal(url.host);
    if (!ip) SSL_set_tlsext_host_name(ssl_, url.host.c_str());  // SNI carries names only
    if (verify) {
      X509_VERIFY_PARAM* param = SSL_get0_param(ssl_);
      X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      int set = ip ? X509_VERIFY_PARAM_set1_ip_asc(param, url.host.c_str())
                   : SSL_set1_host(ssl_, url.host.c_str());
      if (set != 1) return "cannot set the expected host name: " + openssl_errors();
    }
    handshaking_ = true;
    struct Done {
      bool& flag;
      ~Done() { flag = false; }
    } done{handshaking_};
    while (true) {
      int result = SSL_do_handshake(ssl_);
      int error = result == 1 ? SSL_ERROR_NONE : SSL_get_error(ssl_, result);
      if (result != 1 && error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) {
        flush_tls(deadline);  // best effort: the alert tells the server why
        return tls_failure();
      }
      Outcome step = flush_tls(deadline);
      if (step.io == Io::ok) {
        if (result == 1) return std::nullopt;
        if (error == SSL_ERROR_WANT_WRITE) continue;
        step = fill_tls(deadline);
      }
      switch (step.io) {
        case Io::ok:
          break;
        case Io::timeout:
          return "timeout";
        case Io::eof:
        case Io::cut:
        case Io::reset:
          return step.error.empty() ? "connection closed by the server" : step.error;
        case Io::failed:
          return step.error;
      }
    }
  }

  std::string tls_failure() {
    std::string reasons = openssl_errors();
    long verified = SSL_get_verify_result(ssl_);
    if (verified != X509_V_OK) {
      reasons += fmt::format(" ({})", X509_verify_cert_error_string(verified));
    }
    return reasons.empty() ? "TLS protocol error" : reasons;
  }

  // Sends what TLS has queued for the network.
  Outcome flush_tls(TimePoint deadline) {
    char buffer[kReadChunk];
    while (true) {
      int n = BIO_read(network_out_, buffer, sizeof buffer);
      if (n <= 0) return {};
      Outcome sent = send_raw(std::string_view(buffer, static_cast<size_t>(n)), deadline);
      if (sent.io != Io::ok) return sent;
    }
  }

  // Moves bytes from the socket into TLS.
  Outcome fill_tls(TimePoint deadline) {
    char buffer[kReadChunk];
    Outcome received = recv_raw(buffer, sizeof buffer, deadline);
    if (received.io == Io::ok) {
      BIO_write(network_in_, buffer, static_cast<int>(last_received_));
      // Evidence for a failed handshake (e.g. a plain-HTTP server on a TLS
      // port): the raw bytes, kept only until the handshake is done.
      if (handshaking_ && handshake_bytes_.size() < kHandshakeEvidence)
        handshake_bytes_.append(
            buffer, std::min(last_received_, kHandshakeEvidence - handshake_bytes_.size()));
    }
    return received;
  }

  Outcome send_raw(std::string_view data, TimePoint deadline) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n > 0) {
        data.remove_prefix(static_cast<size_t>(n));
        continue;
      }
      int error = errno;
      if (error == EINTR) continue;
      if (error != EAGAIN && error != EWOULDBLOCK) return failure(error);
      Io waited = wait_for(fd_, POLLOUT, deadline, error);
      if (waited == Io::timeout) return {Io::timeout, {}};
      if (waited == Io::failed) return failure(error);
    }
    return {};
  }

  Outcome recv_raw(char* buffer, size_t size, TimePoint deadline) {
    while (true) {
      ssize_t n = ::recv(fd_, buffer, size, 0);
      if (n > 0) {
        last_received_ = static_cast<size_t>(n);
        return {};
      }
      if (n == 0) return {Io::eof, {}};
      int error = errno;
      if (error == EINTR) continue;
      if (error != EAGAIN && error != EWOULDBLOCK) return failure(error);
      Io waited = wait_for(fd_, POLLIN, deadline, error);
      if (waited == Io::timeout) return {Io::timeout, {}};
      if (waited == Io::failed) return failure(error);
    }
  }

  static Outcome failure(int error) {
    // A reset or broken pipe is the server ending the connection.
    if (error == ECONNRESET || error == EPIPE) return {Io::reset, errno_text(error)};
    return {Io::failed, errno_text(error)};
  }

  int fd_ = -1;
  SSL* ssl_ = nullptr;
  static constexpr size_t kHandshakeEvidence = 4096;
  bool handshaking_ = false;
  std::string handshake_bytes_;
  BIO* network_in_ = nullptr;   // bytes from the server, for TLS to read
  BIO* network_out_ = nullptr;  // bytes TLS wrote, to send to the server
  size_t last_received_ = 0;
};

// Where reading after a response stopped. It decides whether what was read
// is everything the server sent after that response (the rule is stated in
// wire_client.h).
enum class StrayEnd {
  still_open,         // more may follow
  status_line,        // the next response began: everything before it was read
  server_closed,      // a FIN (with or without TLS close_notify) ends the stream
  quiet_after_close,  // the server announced close and sent nothing for the grace
  gave_up,            // a reset, the byte budget, a timeout: more may have been sent
};

// How reading ended, as far as stray bytes are concerned.
StrayEnd stray_end_for(Io io) {
  return io == Io::eof || io == Io::cut ? StrayEnd::server_closed : StrayEnd::gave_up;
}

// The one place that keeps the evidence of bytes after `previous`: the first
// kMaxStrayBytes are kept and the rest counted, and stray_checked is set only
// when `end` makes the evidence conclusive.
void record_stray(Exchange* previous, std::string_view bytes, StrayEnd end) {
  if (!previous) return;
  size_t room = kMaxStrayBytes - std::min(kMaxStrayBytes, previous->stray_bytes.size());
  size_t kept = std::min(room, bytes.size());
  previous->stray_bytes.append(bytes.substr(0, kept));
  previous->stray_bytes_dropped += bytes.size() - kept;
  if (end == StrayEnd::status_line || end == StrayEnd::server_closed ||
      end == StrayEnd::quiet_after_close) {
    previous->stray_checked = true;
  }
}

// Bytes of `text` before a possible "HTTP/" that begins at its end.
size_t before_partial_status_line(std::string_view text) {
  for (size_t keep = std::min<size_t>(4, text.size()); keep > 0; --keep) {
    if (std::string_view("HTTP/").starts_with(text.substr(text.size() - keep))) {
      return text.size() - keep;
    }
  }
  return text.size();
}

}  // namespace

struct WireClient::Impl {
  Url origin;
  ClientOptions options;
  SSL_CTX* tls = nullptr;
  std::string tls_setup_error;
  std::unique_ptr<Connection> connection;
  // Bytes received after the last response (the parser's leftover): they
  // belong to it, whatever they look like.
  std::string leftover;
  // The last response said the server closes the connection: it is never
  // reused, only read for evidence of stray bytes.
  bool closing = false;
  // The server already closed the connection cleanly (close-delimited
  // content ends that way): nothing more can come.
  bool peer_closed = false;

  Impl(Url url, ClientOptions opts) : origin(std::move(url)), options(std::move(opts)) {}
  ~Impl() {
    connection.reset();
    if (tls) SSL_CTX_free(tls);
  }

  // Creates the TLS context once per client.
  bool ensure_tls() {
    if (tls) return true;
    if (!tls_setup_error.empty()) return false;
    ERR_clear_error();
    SSL_CTX* context = SSL_CTX_new(TLS_client_method());
    if (!context) {
      tls_setup_error = "cannot create a TLS context: " + openssl_errors();
      return false;
    }
    SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
    static const unsigned char kAlpn[] = "\x08http/1.1";
    SSL_CTX_set_alpn_protos(context, kAlpn, sizeof kAlpn - 1);
    if (options.verify_tls) {
      SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nullptr);
      if (SSL_CTX_set_default_verify_paths(context) != 1) ERR_clear_error();
      if (!options.ca_file.empty() && ::access(options.ca_file.c_str(), R_OK) != 0) {
        tls_setup_error =
            fmt::format("cannot load CA file '{}': {}", options.ca_file, errno_text(errno));
        SSL_CTX_free(context);
        return false;
      }
      if (!options.ca_file.empty() &&
          SSL_CTX_load_verify_locations(context, options.ca_file.c_str(), nullptr) != 1) {
        tls_setup_error =
            fmt::format("cannot load CA file '{}': {}", options.ca_file, openssl_errors());
        SSL_CTX_free(context);
        return false;
      }
    } else {
      SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nullptr);
    }
    tls = context;
    return true;
  }

  void drop_connection() {
    connection.reset();
    leftover.clear();
    closing = false;
    peer_closed = false;
  }

  struct Drained {
    Io io;             // how reading stopped; ok: at the byte budget, still sending
    size_t bytes = 0;  // read by this drain
  };

  // Reads what the server sends until `until` (a time already past takes
  // only what has arrived) as stray bytes of `previous`. Bounded by the time
  // and by a byte budget, so a server that never stops sending can neither
  // hold the client nor grow its memory.
  Drained drain(Exchange* previous, TimePoint until) {
    Drained drained{Io::ok};
    std::string chunk;
    while (drained.bytes <= kMaxStrayBytes) {
      chunk.clear();
      Connection::Outcome read = connection->read_some(chunk, until);
      if (read.io != Io::ok) {
        drained.io = read.io;
        return drained;
      }
      drained.bytes += chunk.size();
      record_stray(previous, chunk, StrayEnd::still_open);
    }
    return drained;
  }

  // Before a request on a kept connection: every byte received before it is
  // written belongs to the previous response, never to the new one, so it
  // is attributed without looking for a status line. A connection the server
  // closed, or said it would close, is dropped so a new one is opened.
  void settle_before_reuse(Exchange* previous) {
    if (!connection) return;
    record_stray(previous, leftover, StrayEnd::still_open);
    leftover.clear();
    if (peer_closed) {
      record_stray(previous, {}, StrayEnd::server_closed);
      drop_connection();
      return;
    }
    Drained drained = drain(previous, SteadyClock::now());
    // Open and quiet: reused, and the next status line settles the check.
    if (drained.io == Io::timeout && !closing) return;
    record_stray(previous, {}, stray_end_for(drained.io));
    drop_connection();
  }

  // Before closing: collects what the server sends after `previous` until
  // it closes the connection or `grace` runs out.
  void collect_before_close(Exchange* previous, milliseconds grace) {
    record_stray(previous, leftover, StrayEnd::still_open);
    leftover.clear();
    if (peer_closed) {
      record_stray(previous, {}, StrayEnd::server_closed);
      return;
    }
    Drained drained = drain(previous, SteadyClock::now() + grace);
    StrayEnd end = stray_end_for(drained.io);
    if (drained.io == Io::timeout && closing && grace.count() > 0 && drained.bytes == 0) {
      end = StrayEnd::quiet_after_close;
    }
    record_stray(previous, {}, end);
  }

  Exchange send(const Request& request, Exchange* previous);
};

Exchange WireClient::Impl::send(const Request& request, Exchange* previous) {
  TimePoint start = SteadyClock::now();
  TimePoint deadline = start + options.deadline;
  Exchange exchange;
  size_t split_at = 0;
  const std::string request_bytes = serialize(request, origin, split_at);
  exchange.request_bytes = request_bytes;
  auto finished = [&](std::optional<Response> response, std::string error) {
    exchange.response = std::move(response);
    exchange.error = std::move(error);
    if (exchange.ok()) {
      exchange.received.clear();
    } else {
      drop_connection();
    }
    exchange.elapsed =
        std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - start);
    return exchange;
  };

  if (origin.tls() && !ensure_tls()) return finished(std::nullopt, tls_setup_error);
  settle_before_reuse(previous);

  bool retried = false;
  while (true) {
    bool reused = connection != nullptr;
    if (!reused) {
      auto opened = std::make_unique<Connection>();
      if (auto error = opened->open(origin, origin.tls() ? tls : nullptr, options.verify_tls,
                                    options.connect_timeout, deadline)) {
        exchange.received = opened->handshake_bytes();
        return finished(std::nullopt, *error);
      }
      connection = std::move(opened);
    }
    // Reusing a kept-alive connection the server may have closed meanwhile:
    // an idempotent request is sent again once on a new connection.
    bool may_retry = reused && !retried && is_idempotent(request.method);
    // On a reused connection, bytes after the request was written and before
    // this response's status line are left over from the previous response;
    // `scan` holds those not yet attributed (a tail that may begin "HTTP/").
    bool at_status_line = !reused;
    std::string scan;
    auto retry = [&](Io how) {
      record_stray(previous, scan, stray_end_for(how));
      drop_connection();
      retried = true;
    };

    // A split request goes out in two writes (RFC 9110 5.3): the second,
    // `rest`, only after the pause, and only if no response began during it.
    exchange.request_bytes = request_bytes;
    exchange.first_write_bytes = split_at;
    exchange.answered_before_request_end = false;
    std::string_view first_write = request_bytes;
    std::string_view rest;
    if (split_at > 0) {
      first_write = first_write.substr(0, split_at);
      rest = std::string_view(request_bytes).substr(split_at);
    }
    const TimePoint pause_end = SteadyClock::now() + request.split_pause;
    // Sends `bytes`; on failure says how the exchange ends (retry or error).
    enum class Written { ok, retry, failed };
    std::optional<Exchange> failed_exchange;
    auto write = [&](std::string_view bytes) {
      Connection::Outcome sent = connection->write_all(bytes, deadline);
      if (ended(sent.io) && may_retry) {
        retry(sent.io);
        return Written::retry;
      }
      if (sent.io == Io::timeout) {
        failed_exchange =
            finished(std::nullopt, fmt::format("timed out after {} ms sending the request to {}",
                                               options.deadline.count(), endpoint(origin)));
        return Written::failed;
      }
      if (sent.io != Io::ok) {
        failed_exchange = finished(std::nullopt, fmt::format("sending the request to {} failed: {}",
                                                             endpoint(origin), sent.error));
        return Written::failed;
      }
      return Written::ok;
    };
    Written first_written = write(first_write);
    if (first_written == Written::retry) continue;
    if (first_written == Written::failed) return std::move(*failed_exchange);

    ResponseParser parser(request.method,
                          ResponseLimits{options.max_head_bytes, options.max_content_bytes});
    size_t received_total = 0;
    size_t skipped = 0;  // bytes before the status line
    auto take = [&](std::string_view bytes) {
      append_capped(exchange.received, bytes);
      received_total += bytes.size();
      if (at_status_line) {
        parser.feed(bytes);
        return;
      }
      scan.append(bytes);
      size_t status = scan.find("HTTP/");
      size_t stray_end = status != std::string::npos ? status : before_partial_status_line(scan);
      record_stray(previous, std::string_view(scan).substr(0, stray_end),
                   status != std::string::npos ? StrayEnd::status_line : StrayEnd::still_open);
      skipped += stray_end;
      scan.erase(0, stray_end);
      if (status != std::string::npos) {
        at_status_line = true;
        std::string rest = std::move(scan);
        scan.clear();
        parser.feed(rest);
      }
    };

    // The rest of a split request was not sent: the bytes the server saw are
    // only the first write, and the connection cannot carry another request.
    auto abandon_rest = [&] {
      exchange.request_bytes.resize(split_at);
      exchange.answered_before_request_end = true;
      rest = {};
    };

    std::string chunk;
    bool retrying = false;
    while (parser.state() == ResponseParser::State::incomplete) {
      chunk.clear();
      const bool pausing = !rest.empty() && pause_end < deadline;
      Connection::Outcome read = connection->read_some(chunk, pausing ? pause_end : deadline);
      if (pausing && read.io == Io::timeout) {
        // Nothing came during the pause: the server waits for the rest.
        Written written = write(rest);
        rest = {};
        if (written == Written::retry) {
          retrying = true;
          break;
        }
        if (written == Written::failed) return std::move(*failed_exchange);
        continue;
      }
      if (read.io == Io::ok) {
        take(chunk);
        // The response began before the header section was complete.
        if (!rest.empty() && at_status_line && parser.bytes_received() > 0) abandon_rest();
        if (!at_status_line && skipped > kMaxStrayBytes) {
          return finished(
              std::nullopt,
              fmt::format("no status line within {} bytes after the request", kMaxStrayBytes));
        }
        continue;
      }
      if (read.io == Io::timeout) {
        return finished(
            std::nullopt,
            fmt::format("timed out after {} ms waiting for {} ({} bytes received)",
                        options.deadline.count(), parser.waiting_for(), received_total));
      }
      if (read.io == Io::failed) {
        return finished(std::nullopt, fmt::format("receiving the response from {} failed: {}",
                                                  endpoint(origin), read.error));
      }
      // The server ended the connection.
      if (!rest.empty() && !(may_retry && !at_status_line)) abandon_rest();
      if (!at_status_line) {
        if (may_retry) {
          retrying = true;
          retry(read.io);
          break;
        }
        record_stray(previous, scan, stray_end_for(read.io));
        scan.clear();
      }
      const Response& partial = parser.response();
      if (read.io != Io::eof && partial.framing == Framing::close_delimited) {
        // Only a clean close ends close-delimited content (RFC 9112 6.3).
        return finished(std::nullopt,
                        fmt::format("{} after {} content bytes; the content may be truncated",
                                    read.io == Io::reset ? "connection reset" : read.error,
                                    partial.content.size()));
      }
      if (read.io == Io::eof) peer_closed = true;
      exchange.closed_without_response = parser.bytes_received() == 0;
      if (parser.finish() == ResponseParser::State::failed && !read.error.empty()) {
        // A reset loses what the server might still have sent: say so.
        return finished(std::nullopt, fmt::format("{} ({})", parser.error(), read.error));
      }
    }
    if (retrying) continue;
    if (parser.state() == ResponseParser::State::failed) {
      return finished(std::nullopt, parser.error());
    }
    leftover = std::string(parser.leftover());
    Response response = parser.take_response();
    closing = response.connection_close;
    if (exchange.answered_before_request_end) {
      // The server still holds the unfinished request: never reuse this.
      closing = true;
    }
    return finished(std::move(response), {});
  }
}

WireClient::WireClient(Url origin, ClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(origin), std::move(options))) {}
WireClient::~WireClient() = default;
WireClient::WireClient(WireClient&&) noexcept = default;
WireClient& WireClient::operator=(WireClient&&) noexcept = default;

const Url& WireClient::origin() const {
  return impl_->origin;
}

Exchange WireClient::send(const Request& request, Exchange* previous) {
  try {
    return impl_->send(request, previous);
  } catch (const std::exception& e) {  // only allocation can throw here
    impl_->drop_connection();
    Exchange failed;
    failed.error = fmt::format("internal error: {}", e.what());
    return failed;
  }
}

void WireClient::close(Exchange* previous, std::chrono::milliseconds grace) {
  Impl& impl = *impl_;
  try {
    if (impl.connection && previous) impl.collect_before_close(previous, grace);
  } catch (const std::exception&) {  // only allocation can throw here
  }
  impl.drop_connection();
}

}  // namespace condspec
