// The HTTP/2 transport of the reference origin: see http2_server.h.

#include "src/origin/http2_server.h"

#include <fmt/format.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <nghttp2/nghttp2.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <list>
#include <map>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

namespace condspec {
namespace {

// A connection that says nothing for this long is closed, as servers do.
constexpr int kIdleMilliseconds = 30'000;
// How often a connection's thread looks whether the server is stopping.
constexpr int kPollMilliseconds = 50;
// A TLS handshake or record that stalls this long ends the connection, so
// that a blocked read never keeps stop() waiting.
constexpr int kStalledReadSeconds = 2;

// Chooses "h2" when the client offers it; a client that does not fails the
// handshake (no_application_protocol), as an HTTP/2-only server would.
int select_h2(SSL*, const unsigned char** out, unsigned char* out_length, const unsigned char* in,
              unsigned int in_length, void*) {
  static const unsigned char h2[] = {2, 'h', '2'};
  unsigned char* chosen = nullptr;
  if (SSL_select_next_proto(&chosen, out_length, h2, sizeof h2, in, in_length) !=
      OPENSSL_NPN_NEGOTIATED)
    return SSL_TLSEXT_ERR_ALERT_FATAL;
  *out = chosen;
  return SSL_TLSEXT_ERR_OK;
}

// A server TLS context for `identity`, or nullptr.
SSL_CTX* make_server_context(const TlsIdentity& identity) {
  ERR_clear_error();
  SSL_CTX* context = SSL_CTX_new(TLS_server_method());
  if (!context) return nullptr;
  SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
  BIO* cert_in = BIO_new_mem_buf(identity.certificate_pem.data(),
                                 static_cast<int>(identity.certificate_pem.size()));
  BIO* key_in = BIO_new_mem_buf(identity.key_pem.data(), static_cast<int>(identity.key_pem.size()));
  X509* cert = cert_in ? PEM_read_bio_X509(cert_in, nullptr, nullptr, nullptr) : nullptr;
  EVP_PKEY* key = key_in ? PEM_read_bio_PrivateKey(key_in, nullptr, nullptr, nullptr) : nullptr;
  const bool usable = cert && key && SSL_CTX_use_certificate(context, cert) == 1 &&
                      SSL_CTX_use_PrivateKey(context, key) == 1 &&
                      SSL_CTX_check_private_key(context) == 1;
  X509_free(cert);
  EVP_PKEY_free(key);
  BIO_free(cert_in);
  BIO_free(key_in);
  if (!usable) {
    SSL_CTX_free(context);
    return nullptr;
  }
  SSL_CTX_set_alpn_select_cb(context, select_h2, nullptr);
  return context;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// One stream: the request as it arrives, then the reply's content as it is
// sent.
struct Stream {
  Incoming request;
  std::string authority;
  std::string content;
  size_t sent = 0;
};

// One connection's nghttp2 server session and its streams. Runs on the
// connection's own thread only.
class Connection {
 public:
  Connection(int fd, SSL* ssl, const std::function<Reply(const Incoming&)>& respond,
             const std::atomic<bool>& stopping)
      : fd_(fd), ssl_(ssl), respond_(respond), stopping_(stopping) {}

  void serve() {
    if (ssl_ && SSL_accept(ssl_) != 1) return;
    nghttp2_session_callbacks* callbacks = nullptr;
    nghttp2_session_callbacks_new(&callbacks);
    nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks, on_begin_headers);
    nghttp2_session_callbacks_set_on_header_callback(callbacks, on_header);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, on_data_chunk);
    nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, on_frame_recv);
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, on_stream_close);
    nghttp2_option* option = nullptr;
    nghttp2_option_new(&option);
    // A fault's reply must go out as shaped, and a request as condspec sent it
    // must be answered, not refused by the library's own checks.
    nghttp2_option_set_no_http_messaging(option, 1);
    const int created = nghttp2_session_server_new2(&session_, callbacks, this, option);
    nghttp2_option_del(option);
    nghttp2_session_callbacks_del(callbacks);
    if (created != 0) return;  // out of memory: the connection just ends

    nghttp2_settings_entry settings[] = {{NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, 100}};
    nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, settings, 1);
    run();
    nghttp2_session_del(session_);
  }

 private:
  void run() {
    int idle = 0;
    while (!stopping_ && idle < kIdleMilliseconds) {
      if (!flush()) return;
      if (!nghttp2_session_want_read(session_) && !nghttp2_session_want_write(session_)) return;
      // Bytes TLS has decrypted already are not seen by poll().
      if (!ssl_ || SSL_pending(ssl_) == 0) {
        pollfd p{fd_, POLLIN, 0};
        const int ready = ::poll(&p, 1, kPollMilliseconds);
        if (ready < 0 && errno != EINTR) return;
        if (ready <= 0) {
          idle += kPollMilliseconds;
          continue;
        }
      }
      idle = 0;
      char buffer[16384];
      const ssize_t n = receive(buffer, sizeof buffer);
      if (n <= 0) return;
      if (nghttp2_session_mem_recv(session_, reinterpret_cast<const uint8_t*>(buffer),
                                   static_cast<size_t>(n)) < 0)
        return;
    }
  }

  // Writes whatever the session has to send. False: the peer is gone.
  bool flush() {
    for (;;) {
      const uint8_t* data = nullptr;
      const ssize_t n = nghttp2_session_mem_send(session_, &data);
      if (n < 0) return false;
      if (n == 0) return true;
      for (ssize_t done = 0; done < n;) {
        const ssize_t w = transmit(data + done, static_cast<size_t>(n - done));
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        done += w;
      }
    }
  }

  ssize_t receive(char* buffer, size_t size) {
    if (!ssl_) return ::recv(fd_, buffer, size, 0);
    return SSL_read(ssl_, buffer, static_cast<int>(size));
  }

  ssize_t transmit(const uint8_t* data, size_t size) {
    if (!ssl_) return ::send(fd_, data, size, MSG_NOSIGNAL);
    errno = 0;
    return SSL_write(ssl_, data, static_cast<int>(size));
  }

  void respond(int32_t id, Stream& stream) {
    if (!stream.authority.empty() && !stream.request.fields.has("host"))
      stream.request.fields.add("host", stream.authority);
    Reply reply = respond_(stream.request);
    if (reply.framing.close_without_response) {
      nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, id, NGHTTP2_INTERNAL_ERROR);
      return;
    }
    const bool bodiless =
        stream.request.method == "HEAD" || reply.status == 204 || reply.status == 304;
    if (bodiless && !reply.framing.content_after_bodiless) reply.content.clear();

    // The strings the name-value pairs point into live until the call returns;
    // nghttp2 copies them.
    std::vector<std::pair<std::string, std::string>> lines;
    lines.emplace_back(":status", std::to_string(reply.status));
    for (const auto& field : reply.fields) lines.emplace_back(lower(field.name), field.value);
    std::vector<nghttp2_nv> nva;
    for (auto& [name, value] : lines)
      nva.push_back({reinterpret_cast<uint8_t*>(name.data()),
                     reinterpret_cast<uint8_t*>(value.data()), name.size(), value.size(),
                     NGHTTP2_NV_FLAG_NONE});
    stream.content = std::move(reply.content);
    stream.sent = 0;
    if (stream.content.empty()) {
      nghttp2_submit_response(session_, id, nva.data(), nva.size(), nullptr);
      return;
    }
    nghttp2_data_provider provider{};
    provider.read_callback = read_content;
    nghttp2_submit_response(session_, id, nva.data(), nva.size(), &provider);
  }

  Stream* stream_of(int32_t id) {
    auto it = streams_.find(id);
    return it == streams_.end() ? nullptr : &it->second;
  }

  static Connection& self(void* user_data) { return *static_cast<Connection*>(user_data); }

  static int on_begin_headers(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
    if (frame->hd.type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_REQUEST)
      self(user_data).streams_[frame->hd.stream_id].request.version = "HTTP/2";
    return 0;
  }

  static int on_header(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name,
                       size_t name_length, const uint8_t* value, size_t value_length, uint8_t,
                       void* user_data) {
    Stream* stream = self(user_data).stream_of(frame->hd.stream_id);
    if (!stream) return 0;
    const std::string_view n(reinterpret_cast<const char*>(name), name_length);
    const std::string v(reinterpret_cast<const char*>(value), value_length);
    if (n == ":method")
      stream->request.method = v;
    else if (n == ":path")
      stream->request.path = v;
    else if (n == ":authority")
      stream->authority = v;
    else if (!n.starts_with(":"))
      stream->request.fields.add(std::string(n), v);
    return 0;
  }

  static int on_data_chunk(nghttp2_session*, uint8_t, int32_t id, const uint8_t* data,
                           size_t length, void* user_data) {
    if (Stream* stream = self(user_data).stream_of(id))
      stream->request.body.append(reinterpret_cast<const char*>(data), length);
    return 0;
  }

  // The request is whole once its stream ends on the client's side.
  static int on_frame_recv(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
    const bool request_frame = frame->hd.type == NGHTTP2_HEADERS || frame->hd.type == NGHTTP2_DATA;
    if (!request_frame || !(frame->hd.flags & NGHTTP2_FLAG_END_STREAM)) return 0;
    Connection& connection = self(user_data);
    if (Stream* stream = connection.stream_of(frame->hd.stream_id))
      connection.respond(frame->hd.stream_id, *stream);
    return 0;
  }

  static int on_stream_close(nghttp2_session*, int32_t id, uint32_t, void* user_data) {
    self(user_data).streams_.erase(id);
    return 0;
  }

  static ssize_t read_content(nghttp2_session*, int32_t id, uint8_t* buffer, size_t length,
                              uint32_t* data_flags, nghttp2_data_source*, void* user_data) {
    Stream* stream = self(user_data).stream_of(id);
    if (!stream) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    const size_t n = std::min(length, stream->content.size() - stream->sent);
    std::memcpy(buffer, stream->content.data() + stream->sent, n);
    stream->sent += n;
    if (stream->sent == stream->content.size()) *data_flags |= NGHTTP2_DATA_FLAG_EOF;
    return static_cast<ssize_t>(n);
  }

  int fd_;
  SSL* ssl_;  // nullptr over cleartext
  const std::function<Reply(const Incoming&)>& respond_;
  const std::atomic<bool>& stopping_;
  nghttp2_session* session_ = nullptr;
  std::map<int32_t, Stream> streams_;
};

}  // namespace

struct Http2Server::Impl {
  ~Impl() {
    if (tls) SSL_CTX_free(tls);
  }
  std::function<Reply(const Incoming&)> respond;
  SSL_CTX* tls = nullptr;  // over TLS only
  int listener = -1;
  int port = 0;
  std::atomic<bool> stopping{false};
  std::thread acceptor;
  struct Served {
    std::thread thread;
    std::atomic<bool> done{false};
  };
  std::mutex mutex;  // guards connections
  std::list<Served> connections;

  void accept_loop() {
    while (!stopping) {
      pollfd p{listener, POLLIN, 0};
      if (::poll(&p, 1, kPollMilliseconds) <= 0) continue;
      const int fd = ::accept(listener, nullptr, nullptr);
      if (fd < 0) continue;
      int yes = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
      timeval stalled{kStalledReadSeconds, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &stalled, sizeof stalled);
      ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &stalled, sizeof stalled);
      SSL* ssl = nullptr;
      if (tls) {
        ssl = SSL_new(tls);
        if (!ssl || SSL_set_fd(ssl, fd) != 1) {
          SSL_free(ssl);
          ::close(fd);
          continue;
        }
      }
      std::lock_guard lock(mutex);
      reap_finished();
      Served& served = connections.emplace_back();
      served.thread = std::thread([this, fd, ssl, &served] {
        // OpenSSL writes with write(2): a client gone must not raise SIGPIPE.
        sigset_t pipe;
        sigemptyset(&pipe);
        sigaddset(&pipe, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
        Connection(fd, ssl, respond, stopping).serve();
        if (ssl) {
          SSL_shutdown(ssl);
          SSL_free(ssl);
        }
        ::close(fd);
        served.done = true;
      });
    }
  }

  // Joins the threads of connections that ended. Called with mutex held.
  void reap_finished() {
    for (auto it = connections.begin(); it != connections.end();) {
      if (!it->done) {
        ++it;
        continue;
      }
      it->thread.join();
      it = connections.erase(it);
    }
  }
};

Http2Server::Http2Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Http2Server::~Http2Server() {
  stop();
}

Result<std::unique_ptr<Http2Server>> Http2Server::start(
    Http2Options options, std::function<Reply(const Incoming&)> respond) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string port_text = std::to_string(options.port);
  if (::getaddrinfo(options.host.c_str(), port_text.c_str(), &hints, &found) != 0 || !found)
    return Error{fmt::format("cannot listen on {}:{}", options.host, options.port)};
  int fd = ::socket(found->ai_family, found->ai_socktype | SOCK_CLOEXEC, found->ai_protocol);
  int yes = 1;
  if (fd >= 0) ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  const bool bound =
      fd >= 0 && ::bind(fd, found->ai_addr, found->ai_addrlen) == 0 && ::listen(fd, 64) == 0;
  ::freeaddrinfo(found);
  if (!bound) {
    if (fd >= 0) ::close(fd);
    return Error{fmt::format("cannot listen on {}:{}", options.host, options.port)};
  }
  sockaddr_storage local{};
  socklen_t length = sizeof local;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length);
  auto impl = std::make_unique<Impl>();
  if (options.tls) {
    impl->tls = make_server_context(*options.tls);
    if (!impl->tls) {
      ::close(fd);
      return Error{"cannot use the TLS certificate and key of the reference origin"};
    }
  }
  impl->respond = std::move(respond);
  impl->listener = fd;
  impl->port = local.ss_family == AF_INET6
                   ? ntohs(reinterpret_cast<const sockaddr_in6&>(local).sin6_port)
                   : ntohs(reinterpret_cast<const sockaddr_in&>(local).sin_port);
  Impl* raw = impl.get();
  impl->acceptor = std::thread([raw] { raw->accept_loop(); });
  return std::unique_ptr<Http2Server>(new Http2Server(std::move(impl)));
}

int Http2Server::port() const {
  return impl_->port;
}

void Http2Server::stop() {
  if (!impl_ || !impl_->acceptor.joinable()) return;
  impl_->stopping = true;
  impl_->acceptor.join();
  ::close(impl_->listener);
  std::lock_guard lock(impl_->mutex);
  for (auto& served : impl_->connections) served.thread.join();
  impl_->connections.clear();
}

}  // namespace condspec
