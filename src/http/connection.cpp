#include "src/http/connection.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <vector>

namespace condspec {
namespace {

using SteadyClock = std::chrono::steady_clock;
using TimePoint = SteadyClock::time_point;
using std::chrono::milliseconds;

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

// Whole milliseconds since `start`, for messages that say how long
// something really took.
long long ms_since(TimePoint start) {
  return std::chrono::duration_cast<milliseconds>(SteadyClock::now() - start).count();
}

int poll_timeout_ms(TimePoint deadline) {
  auto left = std::chrono::ceil<milliseconds>(deadline - SteadyClock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, 1'000'000));
}

// Waits until `fd` is ready for `events`, the deadline passes or the run is
// cancelled: the cancellation's descriptor is polled beside the socket, so
// the wait wakes at once (without one, in slices that look at its flag).
Io wait_for(int fd, short events, TimePoint deadline, int& error, const Cancellation* cancel) {
  const bool sliced = cancel && cancel->wait_fd() < 0;
  while (true) {
    if (cancel && cancel->cancelled()) return Io::cancelled;
    pollfd entries[2] = {{fd, events, 0}, {cancel ? cancel->wait_fd() : -1, POLLIN, 0}};
    int timeout = poll_timeout_ms(deadline);
    if (sliced) timeout = std::min(timeout, Cancellation::kSliceMs);
    int ready = ::poll(entries, 2, timeout);
    if (ready > 0) {
      if (entries[0].revents != 0) return Io::ok;  // errors and hang-ups show in the next call
      continue;                                    // the cancellation: seen at the top
    }
    if (ready == 0) {
      if (!sliced || SteadyClock::now() >= deadline) return Io::timeout;
      continue;
    }
    if (errno != EINTR) {
      error = errno;
      return Io::failed;
    }
  }
}

}  // namespace

// The connection ended, one way or another.
bool ended(Io io) {
  return io == Io::eof || io == Io::cut || io == Io::reset;
}

// host:port with the port always shown, for messages.
std::string endpoint(const Url& url) {
  std::string host = url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
  return fmt::format("{}:{}", host, url.port);
}

void TlsContextFree::operator()(SSL_CTX* context) const {
  SSL_CTX_free(context);
}

namespace {

Result<TlsContext> new_tls_context(bool verify, const std::string& ca_file,
                                   const std::vector<std::string>& alpn);

// The contents of `path`, or nullopt when it cannot be read.
std::optional<std::string> file_contents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

// Contexts are made once per process for each set of settings and CA file
// contents, and shared (SSL_CTX is reference counted and safe to share once
// set up): with OpenSSL 3 making one, the system's trust store loaded, costs
// about 20 ms, which every scenario would otherwise pay again.
Result<TlsContext> make_tls_context(bool verify, const std::string& ca_file,
                                    const std::vector<std::string>& alpn) {
  std::string key = fmt::format("{}\n{}\n{}\n", verify, fmt::join(alpn, ","), ca_file);
  if (verify && !ca_file.empty()) {
    auto contents = file_contents(ca_file);
    if (!contents) return new_tls_context(verify, ca_file, alpn);  // says why
    key += *contents;
  }
  static std::mutex mutex;
  // Each entry holds one reference for the life of the process. The map is
  // never destroyed, so it stays reachable to the end (no leak is reported)
  // and no context is freed after OpenSSL's own clean-up at exit.
  static auto* const contexts = new std::map<std::string, SSL_CTX*>();
  auto& made = *contexts;
  std::lock_guard lock(mutex);
  if (auto found = made.find(key); found != made.end()) {
    SSL_CTX_up_ref(found->second);
    return TlsContext(found->second);
  }
  auto created = new_tls_context(verify, ca_file, alpn);
  if (!created) return created.error();
  SSL_CTX_up_ref(created->get());
  made.emplace(std::move(key), created->get());
  return std::move(*created);
}

namespace {

Result<TlsContext> new_tls_context(bool verify, const std::string& ca_file,
                                   const std::vector<std::string>& alpn) {
  ERR_clear_error();
  TlsContext context(SSL_CTX_new(TLS_client_method()));
  if (!context) return Error{"cannot create a TLS context: " + openssl_errors()};
  SSL_CTX_set_min_proto_version(context.get(), TLS1_2_VERSION);
  // The ALPN wire format: each name preceded by its length.
  std::string offered;
  for (const auto& name : alpn) {
    if (name.empty() || name.size() > 255)
      return Error{"invalid ALPN protocol name '" + name + "'"};
    offered += static_cast<char>(name.size());
    offered += name;
  }
  if (SSL_CTX_set_alpn_protos(context.get(), reinterpret_cast<const unsigned char*>(offered.data()),
                              static_cast<unsigned>(offered.size())) != 0)
    return Error{"cannot offer ALPN protocols: " + openssl_errors()};
  if (!verify) {
    SSL_CTX_set_verify(context.get(), SSL_VERIFY_NONE, nullptr);
    return context;
  }
  SSL_CTX_set_verify(context.get(), SSL_VERIFY_PEER, nullptr);
  if (SSL_CTX_set_default_verify_paths(context.get()) != 1) ERR_clear_error();
  if (ca_file.empty()) return context;
  if (::access(ca_file.c_str(), R_OK) != 0)
    return Error{fmt::format("cannot load CA file '{}': {}", ca_file, errno_text(errno))};
  if (SSL_CTX_load_verify_locations(context.get(), ca_file.c_str(), nullptr) != 1)
    return Error{fmt::format("cannot load CA file '{}': {}", ca_file, openssl_errors())};
  return context;
}

}  // namespace

Status check_ca_file(const std::string& ca_file) {
  struct stat info {};
  if (::stat(ca_file.c_str(), &info) != 0) return Error{"cannot read it: " + errno_text(errno)};
  if (S_ISDIR(info.st_mode)) return Error{"cannot read it: it is a directory"};
  // A pipe (`--cacert <(...)`) could be read once only, and it is read again
  // for every TLS context.
  if (!S_ISREG(info.st_mode))
    return Error{"cannot read it: it is not a regular file (it is read more than once)"};
  if (::access(ca_file.c_str(), R_OK) != 0) return Error{"cannot read it: " + errno_text(errno)};
  ERR_clear_error();
  BIO* bio = BIO_new_file(ca_file.c_str(), "r");
  if (!bio) return Error{"cannot read it: " + openssl_errors()};
  int certificates = 0;
  while (X509* certificate = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
    X509_free(certificate);
    ++certificates;
  }
  BIO_free(bio);
  ERR_clear_error();  // the read that found no more certificates
  if (certificates == 0)
    return Error{"it holds no PEM certificate (a block beginning -----BEGIN CERTIFICATE-----)"};
  auto context = make_tls_context(true, ca_file);
  if (!context) return context.error();
  return Ok{};
}

Connection::~Connection() {
  if (ssl_) SSL_free(ssl_);  // frees both BIOs
  if (fd_ >= 0) ::close(fd_);
}

std::optional<std::string> Connection::open(const Url& url, SSL_CTX* tls, bool verify,
                                            const OpenLimits& limits) {
  cancel_ = limits.cancel;
  TimePoint connect_deadline =
      std::min(limits.deadline, SteadyClock::now() + limits.connect_timeout);
  if (auto error = connect_tcp(url, connect_deadline, limits.started)) return error;
  if (tls) {
    if (auto error = handshake(url, tls, verify, limits.deadline)) {
      if (*error == "interrupted")
        return fmt::format("TLS handshake with {}: interrupted", endpoint(url));
      return fmt::format("TLS handshake with {} failed: {}", endpoint(url),
                         *error == "timeout"
                             ? fmt::format("timed out after {} ms", ms_since(limits.started))
                             : *error);
    }
  }
  return std::nullopt;
}

std::string Connection::alpn() const {
  if (!ssl_) return {};
  const unsigned char* chosen = nullptr;
  unsigned length = 0;
  SSL_get0_alpn_selected(ssl_, &chosen, &length);
  return chosen ? std::string(reinterpret_cast<const char*>(chosen), length) : std::string();
}

Connection::Outcome Connection::write_all(std::string_view data, TimePoint deadline) {
  if (!ssl_) return send_raw(data, deadline);
  ERR_clear_error();
  while (!data.empty()) {
    int n = SSL_write(ssl_, data.data(), static_cast<int>(std::min<size_t>(data.size(), 1 << 20)));
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
      step = fill_tls(deadline, deadline);
      if (step.io != Io::ok) return step;
    } else if (error != SSL_ERROR_WANT_WRITE) {
      return {Io::failed, tls_failure()};
    }
  }
  return {};
}

Connection::Outcome Connection::read_some(std::string& out, TimePoint wait_until,
                                          TimePoint deadline) {
  // Checked here for what TLS has already decrypted, and in recv_raw()
  // before every read from the socket.
  if (SteadyClock::now() >= deadline) return {Io::timeout, {}};
  if (cancel_ && cancel_->cancelled()) return {Io::cancelled, {}};
  char buffer[kReadChunk];
  if (!ssl_) {
    Outcome received = recv_raw(buffer, sizeof buffer, wait_until, deadline);
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
      step = fill_tls(wait_until, deadline);
      // TLS still expected a record: without close_notify an attacker
      // (or a crash) may have cut the stream short.
      if (step.io == Io::eof) return {Io::cut, "connection closed without TLS close_notify"};
      if (step.io != Io::ok) return step;
    } else if (error != SSL_ERROR_WANT_WRITE) {
      return {Io::failed, tls_failure()};
    }
  }
}

// Tries each address the name resolves to, sharing one deadline: each
// attempt gets an equal part of the time left, so an address that never
// answers still leaves time for the next one.
std::optional<std::string> Connection::connect_tcp(const Url& url, TimePoint deadline,
                                                   TimePoint started) {
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
      Io waited = wait_for(fd, POLLOUT, attempt_deadline, error, cancel_);
      if (waited == Io::cancelled) {
        ::close(fd);
        ::freeaddrinfo(found);
        return fmt::format("connect to {}: interrupted", endpoint(url));
      }
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
    return fmt::format("connect to {}: timed out after {} ms", endpoint(url), ms_since(started));
  }
  return fmt::format("connect to {}: {}", endpoint(url), last_error);
}

// Returns "timeout" or the reason the handshake failed.
std::optional<std::string> Connection::handshake(const Url& url, SSL_CTX* tls, bool verify,
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
      step = fill_tls(deadline, deadline);
    }
    switch (step.io) {
      case Io::ok:
        break;
      case Io::timeout:
        return "timeout";
      case Io::cancelled:
        return "interrupted";
      case Io::eof:
      case Io::cut:
      case Io::reset:
        return step.error.empty() ? "connection closed by the server" : step.error;
      case Io::failed:
        return step.error;
    }
  }
}

std::string Connection::tls_failure() {
  std::string reasons = openssl_errors();
  long verified = SSL_get_verify_result(ssl_);
  if (verified != X509_V_OK) {
    reasons += fmt::format(" ({})", X509_verify_cert_error_string(verified));
  }
  return reasons.empty() ? "TLS protocol error" : reasons;
}

// Sends what TLS has queued for the network.
Connection::Outcome Connection::flush_tls(TimePoint deadline) {
  char buffer[kReadChunk];
  while (true) {
    int n = BIO_read(network_out_, buffer, sizeof buffer);
    if (n <= 0) return {};
    Outcome sent = send_raw(std::string_view(buffer, static_cast<size_t>(n)), deadline);
    if (sent.io != Io::ok) return sent;
  }
}

// Moves bytes from the socket into TLS.
Connection::Outcome Connection::fill_tls(TimePoint wait_until, TimePoint deadline) {
  char buffer[kReadChunk];
  Outcome received = recv_raw(buffer, sizeof buffer, wait_until, deadline);
  if (received.io == Io::ok) {
    BIO_write(network_in_, buffer, static_cast<int>(last_received_));
    // Evidence for a failed handshake (e.g. a plain-HTTP server on a TLS
    // port): the raw bytes, kept only until the handshake is done.
    if (handshaking_) {
      const size_t kept = std::min(last_received_, kHandshakeEvidence - handshake_bytes_.size());
      handshake_bytes_.append(buffer, kept);
      handshake_bytes_dropped_ += last_received_ - kept;
    }
  }
  return received;
}

Connection::Outcome Connection::send_raw(std::string_view data, TimePoint deadline) {
  while (!data.empty()) {
    ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) {
      data.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    int error = errno;
    if (error == EINTR) continue;
    if (error != EAGAIN && error != EWOULDBLOCK) return failure(error);
    Io waited = wait_for(fd_, POLLOUT, deadline, error, cancel_);
    if (waited == Io::timeout || waited == Io::cancelled) return {waited, {}};
    if (waited == Io::failed) return failure(error);
  }
  return {};
}

// Waits for bytes until `wait_until`, and reads nothing once `deadline`
// has passed, even when bytes are waiting.
Connection::Outcome Connection::recv_raw(char* buffer, size_t size, TimePoint wait_until,
                                         TimePoint deadline) {
  while (true) {
    if (SteadyClock::now() >= deadline) return {Io::timeout, {}};
    ssize_t n = ::recv(fd_, buffer, size, 0);
    if (n > 0) {
      last_received_ = static_cast<size_t>(n);
      return {};
    }
    if (n == 0) return {Io::eof, {}};
    int error = errno;
    if (error == EINTR) continue;
    if (error != EAGAIN && error != EWOULDBLOCK) return failure(error);
    Io waited = wait_for(fd_, POLLIN, wait_until, error, cancel_);
    if (waited == Io::timeout || waited == Io::cancelled) return {waited, {}};
    if (waited == Io::failed) return failure(error);
  }
}

Connection::Outcome Connection::failure(int error) {
  // A reset or broken pipe is the server ending the connection.
  if (error == ECONNRESET || error == EPIPE) return {Io::reset, errno_text(error)};
  return {Io::failed, errno_text(error)};
}

}  // namespace condspec
