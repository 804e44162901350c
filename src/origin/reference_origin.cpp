#include "src/origin/reference_origin.h"

#include <fmt/format.h>
#include <httplib.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <mutex>
#include <optional>
#include <thread>

#include "src/core/text.h"
#include "src/http/entity_tag.h"
#include "src/http/fields.h"
#include "src/http/http_date.h"
#include "src/origin/content_coding.h"
#include "src/origin/faults.h"
#include "src/origin/preconditions.h"
#include "src/origin/ranges.h"
#include "src/origin/replies.h"
#include "src/origin/representation.h"
#include "src/origin/request_reply.h"
#include "src/origin/resources.h"
#include "src/origin/stalling_front.h"

namespace condspec {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

// The content in one chunk and the last chunk (RFC 9112 7.1), no trailer.
std::string chunked(std::string_view content) {
  std::string out;
  if (!content.empty()) out = fmt::format("{:x}\r\n{}\r\n", content.size(), content);
  return out + "0\r\n\r\n";
}

// Every line end written as CRLF, as a text-normalising store would.
std::string with_crlf_line_ends(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out += '\r';
    out += text[i];
  }
  return out;
}

// Whether a field value has an odd number of double quotes: a quoted string
// (an entity-tag) that never ends.
bool has_unterminated_quote(std::string_view value) {
  return std::count(value.begin(), value.end(), '"') % 2 == 1;
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
    auto port_of = [](const sockaddr_storage& address) {
      if (address.ss_family == AF_INET)
        return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
      if (address.ss_family == AF_INET6)
        return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
      return uint16_t{0};
    };
    if (port_of(local) == request.local_port && port_of(peer) == request.remote_port) {
      ::shutdown(fd, SHUT_RDWR);
      return;
    }
  }
}

// How long a header section may stop arriving before the fault
// answers-before-header-ends answers it.
constexpr auto kStalledHeadWait = std::chrono::milliseconds{100};

// --- What the handler decides to send ---

// The reply of the request being handled on this thread, handed from the
// route handler to the post-routing hook, which installs its fields after
// cpp-httplib has added its own (Content-Length: 0 on a 304 or 204,
// Content-Type, Accept-Ranges on HEAD).
thread_local std::optional<Fields> t_reply_fields;

}  // namespace

struct ReferenceOrigin::Impl {
  Impl(OriginOptions opts, ActiveFaults active)
      : options(std::move(opts)), faults(std::move(active)) {
    clock = options.clock ? options.clock : &system_clock;
  }

  bool fault(std::string_view name) const { return faults.has(name); }

  // What the reply hooks of the faults see (faults.h).
  struct Answering {
    Incoming request;  // as the server read it
    std::optional<Representation> selected;
    std::optional<Decision> evaluated;
  };

  OriginOptions options;
  ActiveFaults faults;
  SystemClock system_clock;
  const Clock* clock = nullptr;
  httplib::Server server;
  // Only with answers-before-header-ends: serves the origin's port.
  std::unique_ptr<StallingFront> front;
  std::thread listener;
  std::atomic<bool> listen_returned{false};
  int port = 0;

  std::mutex writable_mutex;
  std::optional<StoredWritable> writable;

  std::atomic<uint64_t> unstable_counter{0};

  // The fault inm-matches-other-variant: like Apache's mod_deflate, the
  // server reads an If-None-Match tag of the identity variant as the tag of
  // the coded variant it selected.
  static Incoming with_other_variant_tag_mapped(Incoming request, const Representation& r) {
    auto values = request.fields.all("If-None-Match");
    if (values.empty()) return request;
    request.fields.remove("If-None-Match");
    for (const auto& value : values) {
      std::string rewritten;
      for (auto element : split(value, ',')) {
        auto tag = parse_entity_tag(trim(element));
        if (!rewritten.empty()) rewritten += ", ";
        rewritten +=
            tag && weak_match(*tag, *r.identity_etag) ? r.etag->str() : std::string(trim(element));
      }
      request.fields.add("If-None-Match", rewritten);
    }
    return request;
  }

  // GET or HEAD of an existing representation.
  Reply retrieve(const Incoming& request, const Representation& r, Seconds now,
                 Answering& answering) const {
    answering.request = request;
    answering.selected = r;
    if (auto early = faults.answer_before_evaluation(request, &r, now)) return *early;
    const Decision evaluated = faults.evaluate(request.method, request.fields, state_of(&r, now));
    answering.evaluated = evaluated;
    switch (faults.override_decision(evaluated, request, &r)) {
      case Decision::precondition_failed:
        return bare_reply(412, now);
      case Decision::not_modified:
        return not_modified_reply(r, now);
      case Decision::partial:
        return ranged_reply(request, r, now);
      case Decision::proceed:
        break;
    }
    return full_reply(r, request.method == "HEAD", now);
  }

  // 14.2: the one range asked for (206), 416 if it is beyond the end, or the
  // whole representation (200) when the Range field is to be ignored.
  Reply ranged_reply(const Incoming& request, const Representation& r, Seconds now) const {
    const bool head = request.method == "HEAD";
    auto range = faults.read_range(request.fields.combined("Range").value_or(""), r.content.size());
    switch (range.kind) {
      case RangeRequest::unsatisfiable:
        return range_not_satisfiable_reply(r, now);
      case RangeRequest::single:
        return partial_reply(r, range, request.fields.has("If-Range"), head, now);
      case RangeRequest::ignore:
        break;
    }
    return full_reply(r, head, now);
  }

  Reply handle_writable(const Incoming& request, Seconds now, Answering& answering) {
    constexpr std::string_view kAllow = "GET, HEAD, PUT, DELETE, OPTIONS";
    const auto& method = request.method;
    if (method == "OPTIONS") return allow_reply(204, kAllow, now);
    if (method != "GET" && method != "HEAD" && method != "PUT" && method != "DELETE") {
      return allow_reply(405, kAllow, now);
    }
    std::lock_guard lock(writable_mutex);
    std::optional<Representation> current;
    if (writable) {
      current = writable_representation(*writable);
      current->etag = writable_tag(writable->content);
    }
    if (method == "GET" || method == "HEAD") {
      // 13.2.1: a 404 outranks every precondition.
      return current ? retrieve(request, *current, now, answering) : bare_reply(404, now);
    }
    if (method == "DELETE" && !current) return bare_reply(404, now);
    if (method == "PUT" && current && fault("ims-on-put-304")) {
      // IMS is for GET and HEAD only (13.1.3); this server applies it to PUT.
      auto since = request.fields.combined("If-Modified-Since");
      auto date = since ? parse_http_date(trim(*since), now) : std::nullopt;
      if (date && current->last_modified && *current->last_modified <= *date)
        return bare_reply(304, now);
    }

    Representation none;
    const Representation& selected = current ? *current : none;
    const RepresentationState state = state_of(current ? &*current : nullptr, now);
    answering.selected = current;
    auto decision = faults.evaluate(method, request.fields, state);
    answering.evaluated = decision;
    // Only the inm-unsafe-304 deviation gives not_modified for PUT or DELETE.
    if (decision == Decision::not_modified) return not_modified_reply(selected, now);
    if (decision == Decision::precondition_failed) {
      // The fault models a server that checks the condition only after it
      // has written: the 412 is right, the change it made is not.
      if (fault("412-after-applying")) apply_writable(request, current, now);
      return bare_reply(412, now);
    }
    return apply_writable(request, current, now);
  }

  // The strong tag of the writable resource's content: a digest, so that
  // different contents never share a tag (8.8.1).
  EntityTag writable_tag(std::string_view content) const {
    if (fault("etag-from-length")) return {.opaque = fmt::format("length-{}", content.size())};
    return {.opaque = content_digest(content)};
  }

  // Performs a PUT or DELETE of /writable; the caller holds writable_mutex.
  Reply apply_writable(const Incoming& request, const std::optional<Representation>& previous,
                       Seconds now) {
    if (request.method == "DELETE") {
      writable.reset();
      return bare_reply(204, now);
    }
    const std::string* type = request.fields.find("Content-Type");
    const bool again_this_second = previous && writable && writable->modified == now;
    std::string stored = request.body;
    if (fault("put-transforms-content")) stored = with_crlf_line_ends(stored);
    const EntityTag tag = writable_tag(stored);
    writable = StoredWritable{.content = std::move(stored),
                              .content_type = type ? *type : "application/octet-stream",
                              .modified = now,
                              .changed_twice_within_modified = again_this_second};
    // 9.3.4: the content is stored as sent, so the new validators may be sent.
    const int status = previous ? 204 : (fault("put-create-200") ? 200 : 201);
    Reply reply = bare_reply(status, now);
    const bool old_tag = previous && previous->etag && fault("put-reports-old-etag");
    reply.fields.add("ETag", (old_tag ? *previous->etag : tag).str());
    reply.fields.add("Last-Modified", format_imf_fixdate(now));
    return reply;
  }

  Reply respond(const Incoming& incoming) {
    const Seconds now = clock->now();
    Answering answering{.request = incoming};
    Reply reply = handle(incoming, now, answering);
    faults.reshape_reply(reply, {.request = answering.request,
                                 .selected = answering.selected ? &*answering.selected : nullptr,
                                 .evaluated = answering.evaluated,
                                 .now = now});
    return reply;
  }

  // The reply to a request the transport refused by itself, e.g. a 400:
  // what of it the origin writes (its Date).
  Reply error_reply(int status) const {
    const Seconds now = clock->now();
    Reply reply = bare_reply(status, now);
    const Incoming none;
    faults.reshape_reply(reply, {.request = none, .now = now});
    return reply;
  }

  Reply handle(const Incoming& request, Seconds now, Answering& answering) {
    const auto& method = request.method;
    const auto& path = request.path;
    if (path == kWritablePath) return handle_writable(request, now, answering);
    if (is_static_resource(path)) {
      constexpr std::string_view kAllow = "GET, HEAD, OPTIONS";
      if (method == "OPTIONS") {
        if (fault("options-evaluates-preconditions") && request.fields.has("If-Match"))
          return bare_reply(412, now);
        return allow_reply(204, kAllow, now);
      }
      // 13.2.1: preconditions are evaluated only when the answer would
      // otherwise be 2xx, so a 405 ignores them.
      if (method != "GET" && method != "HEAD") return allow_reply(405, kAllow, now);
      auto r =
          static_representation(path, accepts_gzip(request.fields.combined("Accept-Encoding")));
      if (path == "/strong" && !r.content_encoding && fault("strong-tag-unstable-content")) {
        // The last bytes before the final newline count the requests.
        auto counter = fmt::format("{:08x}", ++unstable_counter % 0x100000000ull);
        r.content.replace(r.content.size() - 1 - counter.size(), counter.size(), counter);
      }
      if (r.identity_etag && fault("gzip-shares-strong-tag")) r.etag = r.identity_etag;
      if (r.identity_etag && fault("inm-matches-other-variant")) {
        return retrieve(with_other_variant_tag_mapped(request, r), r, now, answering);
      }
      if (fault("etag-backslash") && r.etag) r.etag->opaque.insert(4, "\\");
      return retrieve(request, r, now, answering);
    }
    if (method == "OPTIONS" && path == "*")
      return allow_reply(204, "GET, HEAD, PUT, DELETE, OPTIONS", now);
    if (fault("missing-412-before-404") && request.fields.has("If-Match"))
      return bare_reply(412, now);
    return bare_reply(404, now);
  }

  // Runs the origin's logic for one httplib request and hands the reply to
  // httplib. The request is modified where cpp-httplib would otherwise act
  // on it by itself: its own range slicing, compression, and its rule never
  // to write content after a HEAD response.
  void serve(const httplib::Request& const_request, httplib::Response& response) {
    auto& request = const_cast<httplib::Request&>(const_request);  // a local of httplib
    Incoming incoming{.method = request.method,
                      .path = request.path,
                      .version = request.version,
                      .body = request.body};
    for (const auto& [name, value] : request.headers) {
      if (name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" ||
          name == "LOCAL_PORT") {
        continue;  // added by httplib, not sent by the client
      }
      incoming.fields.add(name, value);
    }
    if (fault("inm-unbalanced-quote-drops") &&
        has_unterminated_quote(incoming.fields.combined("If-None-Match").value_or(""))) {
      end_connection_without_response(request);
      response.status = 500;  // never arrives
      t_reply_fields = Fields{};
      return;
    }
    Reply reply = respond(incoming);
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
        const Reply own = error_reply(res.status);
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
    server.set_socket_options([](socket_t sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    });
    // Each keep-alive connection occupies a worker for its whole life.
    server.new_task_queue = [] { return new httplib::ThreadPool(16); };
    server.set_keep_alive_timeout(5);
    server.set_keep_alive_max_count(1000);
    // httplib writes the head and the content in separate writes; with Nagle
    // on, the second waits for the client's delayed ACK (~40 ms per exchange).
    server.set_tcp_nodelay(true);
  }
};

ReferenceOrigin::ReferenceOrigin(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ReferenceOrigin::~ReferenceOrigin() {
  stop();
}

Result<std::unique_ptr<ReferenceOrigin>> ReferenceOrigin::start(OriginOptions options) {
  auto faults = ActiveFaults::from_names(options.faults);
  if (!faults) return faults.error();
  try {
    auto impl = std::make_unique<Impl>(std::move(options), std::move(*faults));
    impl->install_handlers();
    const auto& host = impl->options.host;
    int requested = impl->options.port;
    const bool behind_front = impl->fault("answers-before-header-ends");
    int port = requested == 0 || behind_front
                   ? impl->server.bind_to_any_port(host)
                   : (impl->server.bind_to_port(host, requested) ? requested : -1);
    if (port <= 0) {
      return Error{fmt::format("cannot listen on {}:{}", host, requested)};
    }
    if (behind_front) {
      impl->front = std::make_unique<StallingFront>(kStalledHeadWait);
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
    // cpp-httplib 0.11.4 has no wait_until_ready(): poll, bounded.
    for (int i = 0; i < 1000 && !raw->server.is_running() && !raw->listen_returned; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    std::unique_ptr<ReferenceOrigin> origin(new ReferenceOrigin(std::move(impl)));
    if (!raw->server.is_running()) {
      origin->stop();
      return Error{fmt::format("the origin on {}:{} did not start listening", host, port)};
    }
    return origin;
  } catch (const std::exception& e) {
    return Error{fmt::format("cannot start the reference origin: {}", e.what())};
  }
}

int ReferenceOrigin::port() const {
  return impl_->port;
}

std::string ReferenceOrigin::base_url() const {
  const auto& host = impl_->options.host;
  bool ipv6 = host.find(':') != std::string::npos;
  if (ipv6) return fmt::format("http://[{}]:{}", host, impl_->port);
  return fmt::format("http://{}:{}", host, impl_->port);
}

void ReferenceOrigin::stop() {
  if (!impl_ || !impl_->listener.joinable()) return;
  // Server::stop() only acts on a running listener, which may be just starting.
  for (int i = 0; i < 5000 && !impl_->listen_returned && !impl_->server.is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (impl_->front) impl_->front->stop_accepting();
  if (!impl_->listen_returned) impl_->server.stop();
  impl_->listener.join();
  if (impl_->front) impl_->front->wait_for_relays();
}

}  // namespace condspec
