// The HTTP/1.1 transport of the reference origin: see http1_server.h.

#include "src/origin/http1_server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "src/http/fields.h"
#include "src/origin/stalling_front.h"

namespace condspec {
namespace {

// The content in one chunk and the last chunk (RFC 9112 7.1), no trailer.
std::string chunked(std::string_view content) {
  std::string out;
  if (!content.empty()) out = fmt::format("{:x}\r\n{}\r\n", content.size(), content);
  return out + "0\r\n\r\n";
}

// The port of a socket address; 0 for one that is not IPv4 or IPv6.
uint16_t port_of(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET)
    return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
  if (address.ss_family == AF_INET6)
    return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
  return 0;
}

// Ends the TCP connection a request came on without answering it: a FIN
// to the client, as when a server's worker dies. cpp-httplib does not hand
// out the socket, so it is found by the two ports of the connection; the
// descriptor stays open for cpp-httplib, whose writes then fail.
void end_connection_without_response(const httplib::Request& request) {
  const int open_limit = static_cast<int>(::sysconf(_SC_OPEN_MAX));
  for (int fd = 0; fd < open_limit && fd < 65536; ++fd) {
    sockaddr_storage local{}, peer{};
    socklen_t local_length = sizeof local, peer_length = sizeof peer;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_length) != 0) continue;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_length) != 0) continue;
    if (port_of(local) == request.local_port && port_of(peer) == request.remote_port) {
      ::shutdown(fd, SHUT_RDWR);
      return;
    }
  }
}

// Ends (a FIN both ways) every connection this process accepted on
// `port`: those are the ones whose local port is the listening port, as an
// outgoing connection's never is. cpp-httplib keeps a kept-alive connection
// until its client's next request or the keep-alive timeout (5 s), even
// after stop(); a cache that pools its connections to the origin held the
// end of a run that long. Its workers then see the end at once.
void end_connections_accepted_on(int port) {
  std::error_code ignored;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ignored)) {
    int fd = -1;
    const std::string name = entry.path().filename().string();
    if (std::from_chars(name.data(), name.data() + name.size(), fd).ec != std::errc{}) continue;
    sockaddr_storage local{}, peer{};
    socklen_t local_length = sizeof local, peer_length = sizeof peer;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_length) != 0) continue;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_length) != 0) continue;
    if (port_of(local) == port) ::shutdown(fd, SHUT_RDWR);
  }
}

// The reply of the request being handled on this thread, handed from the
// route handler to the post-routing hook, which installs its fields after
// cpp-httplib has added its own (Content-Length: 0 on a 304 or 204,
// Content-Type, Accept-Ranges on HEAD).
thread_local std::optional<Fields> t_reply_fields;

// The number of the connection this worker thread is serving (0: none).
thread_local int t_connection = 0;

// cpp-httplib hands each accepted connection to its task queue as one task,
// served to its end by one worker: numbering the tasks numbers the
// connections, exactly, whatever addresses and ports they came from.
class NumberingTaskQueue : public httplib::TaskQueue {
 public:
  explicit NumberingTaskQueue(size_t threads) : pool_(threads) {}
  void enqueue(std::function<void()> fn) override {
    const int number = ++accepted_;
    pool_.enqueue([fn = std::move(fn), number] {
      t_connection = number;
      fn();
      t_connection = 0;
    });
  }
  void shutdown() override { pool_.shutdown(); }

 private:
  httplib::ThreadPool pool_;
  static inline std::atomic<int> accepted_{0};
};

}  // namespace

// Connections waiting to be accepted, at most (listen(2)).
constexpr int kListenBacklog = 128;

struct Http1Server::Impl {
  Impl(Http1Options opts, Http1Handlers h) : options(std::move(opts)), handlers(std::move(h)) {}

  Http1Options options;
  Http1Handlers handlers;
  httplib::Server server;
  // Only with a stalled-head wait: serves the origin's port.
  std::unique_ptr<StallingFront> front;
  std::thread listener;
  std::atomic<bool> listen_returned{false};
  int port = 0;
  // The socket cpp-httplib listens on, seen when its options are set, and
  // its port (the origin's, or behind a front the inner one).
  int listening_socket = -1;
  int bound_port = 0;

  // Runs the origin's logic for one httplib request and hands the reply to
  // httplib. The request is modified where cpp-httplib would otherwise act
  // on it by itself: its own range slicing, compression, and its rule never
  // to write content after a HEAD response.
  void serve(const httplib::Request& const_request, httplib::Response& response) {
    auto& request = const_cast<httplib::Request&>(const_request);  // a local of httplib
    Incoming incoming{.method = request.method,
                      .path = request.path,
                      .version = request.version,
                      .body = request.body,
                      .connection = t_connection};
    for (const auto& [name, value] : request.headers) {
      if (name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" ||
          name == "LOCAL_PORT") {
        continue;  // added by httplib, not sent by the client
      }
      incoming.fields.add(name, value);
    }
    Reply reply = handlers.respond(incoming);
    if (reply.framing.close_without_response) {
      end_connection_without_response(request);
      response.status = 500;  // never arrives
      t_reply_fields = Fields{};
      return;
    }
    request.ranges.clear();
    request.headers.erase("Accept-Encoding");
    const bool bodiless = request.method == "HEAD" || reply.status == 204 || reply.status == 304;
    if (bodiless && !reply.framing.content_after_bodiless) reply.content.clear();
    // cpp-httplib never writes content after a response to HEAD.
    if (reply.framing.content_after_bodiless && request.method == "HEAD") request.method = "GET";
    if (reply.framing.chunked) {
      reply.fields.add("Transfer-Encoding", "chunked");
      reply.content = chunked(reply.content);
    }
    response.status = reply.status;
    response.body = std::move(reply.content);
    t_reply_fields = std::move(reply.fields);
  }

  void install_handlers() {
    auto route = [this](const httplib::Request& req, httplib::Response& res) { serve(req, res); };
    const std::string any = ".*";
    server.Get(any, route);
    server.Put(any, route);
    server.Delete(any, route);
    server.Post(any, route);
    server.Patch(any, route);
    server.Options(any, route);
    // RFC 9112 6.3: a request with neither Content-Length nor
    // Transfer-Encoding has no content, but cpp-httplib 0.11.4 would wait for
    // the connection to close before routing a POST, PUT, PATCH or DELETE
    // without them. Such requests are answered before it tries to read.
    server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      if (req.has_header("Content-Length") || req.has_header("Transfer-Encoding")) {
        return httplib::Server::HandlerResponse::Unhandled;
      }
      serve(req, res);
      return httplib::Server::HandlerResponse::Handled;
    });
    server.set_error_handler(httplib::Server::HandlerWithResponse(
        [this](const httplib::Request& req, httplib::Response& res) {
          if (t_reply_fields) return httplib::Server::HandlerResponse::Unhandled;  // our own 4xx
          // cpp-httplib answers 416 by itself, before routing, to a Range it
          // cannot parse; RFC 9110 14.2 lets a server ignore such a field, and
          // the preconditions come first anyway, so route the request normally.
          // (Not when content follows: it has not been read yet.)
          bool has_content =
              req.has_header("Content-Length") || req.has_header("Transfer-Encoding");
          if (res.status == 416 && req.has_header("Range") && !has_content) {
            res.headers.clear();
            serve(req, res);
            return httplib::Server::HandlerResponse::Handled;
          }
          return httplib::Server::HandlerResponse::Unhandled;
        }));
    server.set_post_routing_handler([this](const httplib::Request&, httplib::Response& res) {
      if (!t_reply_fields) {  // an error cpp-httplib produced itself
        if (res.has_header("Date")) return;
        const Reply own = handlers.transport_error(res.status);
        if (const auto* date = own.fields.find("Date")) res.set_header("Date", *date);
        return;
      }
      httplib::Headers headers;
      for (const auto& name : {"Connection", "Keep-Alive"}) {
        if (res.has_header(name)) headers.emplace(name, res.get_header_value(name));
      }
      for (const auto& field : *t_reply_fields) headers.emplace(field.name, field.value);
      res.headers = std::move(headers);
      t_reply_fields.reset();
    });
    // cpp-httplib's default also sets SO_REUSEPORT, which would let a second
    // origin bind a port already in use and silently share its connections.
    server.set_socket_options([this](socket_t sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
      listening_socket = sock;  // the last one tried is the one bound
    });
    // Each keep-alive connection occupies a worker for its whole life.
    server.new_task_queue = [] { return new NumberingTaskQueue(16); };
    server.set_keep_alive_timeout(5);
    server.set_keep_alive_max_count(1000);
    // httplib writes the head and the content in separate writes; with Nagle
    // on, the second waits for the client's delayed ACK (~40 ms per exchange).
    server.set_tcp_nodelay(true);
  }
};

Http1Server::Http1Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Http1Server::~Http1Server() {
  stop();
}

Result<std::unique_ptr<Http1Server>> Http1Server::start(Http1Options options,
                                                        Http1Handlers handlers) {
  try {
    auto impl = std::make_unique<Impl>(std::move(options), std::move(handlers));
    impl->install_handlers();
    const auto& host = impl->options.host;
    int requested = impl->options.port;
    const auto& stalled_head_wait = impl->options.stalled_head_wait;
    const bool behind_front = stalled_head_wait.has_value();
    int port = requested == 0 || behind_front
                   ? impl->server.bind_to_any_port(host)
                   : (impl->server.bind_to_port(host, requested) ? requested : -1);
    if (port <= 0) {
      return Error{fmt::format("cannot listen on {}:{}", host, requested)};
    }
    // The packaged cpp-httplib (a compiled library, so its
    // CPPHTTPLIB_LISTEN_BACKLOG cannot be changed) listens with a backlog
    // of 5: a burst of more new connections than that, as a run at
    // --jobs 8 makes, overflowed the accept queue on a busy machine, and
    // each dropped connection cost its client a second before it tried
    // again. Listening again on the bound socket raises the backlog.
    if (impl->listening_socket >= 0) ::listen(impl->listening_socket, kListenBacklog);
    impl->bound_port = port;
    if (behind_front) {
      impl->front = std::make_unique<StallingFront>(*stalled_head_wait);
      auto front_port = impl->front->listen(host, requested, port);
      if (!front_port) return front_port.error();
      port = *front_port;
    }
    impl->port = port;
    Impl* raw = impl.get();
    impl->listener = std::thread([raw] {
      raw->server.listen_after_bind();
      raw->listen_returned = true;
    });
    // cpp-httplib 0.11.4 has no wait_until_ready(): poll, bounded (5 s).
    // It is running within a fraction of a millisecond, so the polls are
    // short: at 5 ms each, the first one alone was 5 ms of every `run`.
    for (int i = 0; i < 25'000 && !raw->server.is_running() && !raw->listen_returned; ++i) {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    std::unique_ptr<Http1Server> server(new Http1Server(std::move(impl)));
    if (!raw->server.is_running()) {
      server->stop();
      return Error{fmt::format("the origin on {}:{} did not start listening", host, port)};
    }
    return server;
  } catch (const std::exception& e) {
    return Error{fmt::format("cannot start the reference origin: {}", e.what())};
  }
}

int Http1Server::port() const {
  return impl_->port;
}

void Http1Server::stop() {
  if (!impl_ || !impl_->listener.joinable()) return;
  // Server::stop() only acts on a running listener, which may be just starting.
  for (int i = 0; i < 5000 && !impl_->listen_returned && !impl_->server.is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (impl_->front) impl_->front->stop_accepting();
  if (!impl_->listen_returned) impl_->server.stop();
  // Once stopped, cpp-httplib serves no further request on a connection,
  // but waits for one on each until the keep-alive timeout.
  if (impl_->bound_port > 0) end_connections_accepted_on(impl_->bound_port);
  impl_->listener.join();
  if (impl_->front) impl_->front->wait_for_relays();
}

}  // namespace condspec
