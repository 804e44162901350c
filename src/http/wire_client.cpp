#include "src/http/wire_client.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <optional>
#include <string_view>
#include <utility>
#include <variant>

#include "src/core/text.h"
#include "src/http/connection.h"
#include "src/http/exchange_clock.h"
#include "src/http/exchange_evidence.h"
#include "src/http/fields.h"
#include "src/http/response_parser.h"
#include "src/http/stray_bytes.h"

namespace condspec {
namespace {

using SteadyClock = std::chrono::steady_clock;
using TimePoint = SteadyClock::time_point;
using std::chrono::milliseconds;

// How many bytes after a response are kept as its stray bytes; beyond that
// they are only counted. It also bounds every read that collects them.
constexpr size_t kMaxStrayBytes = StrayBytes::kMaxKept;

bool is_idempotent(const std::string& method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS" || method == "PUT" ||
         method == "DELETE" || method == "TRACE";
}

// A request as it goes on the wire.
struct WireRequest {
  std::string bytes;
  // Where the second write of a split request (Request::split_before)
  // begins: the first field line of that name. 0: the request goes out whole.
  size_t split_at = 0;

  std::string_view first_write() const {
    return split_at > 0 ? std::string_view(bytes).substr(0, split_at) : std::string_view(bytes);
  }
  std::string_view second_write() const {
    return split_at > 0 ? std::string_view(bytes).substr(split_at) : std::string_view{};
  }
};

WireRequest serialize(const Request& request, const Url& origin) {
  WireRequest wire;
  std::string& out = wire.bytes;
  out = request.method + " " + request.target + " " + request.version + "\r\n";
  if (!request.fields.has("Host")) out += "Host: " + origin.authority() + "\r\n";
  for (const auto& field : request.fields) {
    if (wire.split_at == 0 && !request.split_before.empty() &&
        iequals(field.name, request.split_before))
      wire.split_at = out.size();
    out += field.name + ": " + field.value + "\r\n";
  }
  if (!request.body.empty() && !request.fields.has("Content-Length") &&
      !request.fields.has("Transfer-Encoding")) {
    out += fmt::format("Content-Length: {}\r\n", request.body.size());
  }
  out += "\r\n";
  out += request.body;
  return wire;
}

// How reading after a response ended, as far as its stray bytes are
// concerned (the rule is stated in wire_client.h).
StrayEnd stray_end_for(Io io) {
  return io == Io::eof || io == Io::cut ? StrayEnd::server_closed : StrayEnd::gave_up;
}

// How an attempt on one connection ends, when it does not end with a
// response.
struct Failure {
  std::string message;
};
// A reused connection ended before this response's status line: the
// request is sent again on a new connection.
struct Retry {};
using AttemptEnd = std::variant<Response, Failure, Retry>;

// One attempt at an exchange on one connection: the state its phases share.
struct Attempt {
  Attempt(const Request& request, const ClientOptions& options, const ExchangeClock& clock,
          Exchange& exchange, StrayBytes& stray, bool reused, bool may_retry)
      : clock(clock),
        exchange(exchange),
        stray(stray),
        may_retry(may_retry),
        request_keeps_alive(request.version == "HTTP/1.1" && !request.fields.has("Connection") &&
                            request.method != "HEAD"),
        scanner(reused),
        parser(request.method, ResponseLimits{.max_head_bytes = options.max_head_bytes,
                                              .max_content_bytes = options.max_content_bytes}) {}

  const ExchangeClock& clock;
  Exchange& exchange;  // this request's record: the bytes sent, the evidence
  StrayBytes& stray;   // the previous response's stray bytes, as they are found
  // An idempotent request on a reused connection, not sent again yet: if
  // the server ends the connection before answering, it may have closed it
  // while idle, so the request is sent once more on a new one.
  const bool may_retry;
  // Nothing in the request asks to end the connection or makes the
  // response's end hard to see (HEAD: a length without content).
  const bool request_keeps_alive;
  StatusLineScanner scanner;  // splits what arrives into stray bytes and this response
  ResponseParser parser;      // this response
  size_t received_total = 0;  // bytes read; the evidence in exchange.received is capped
  // The second write of a split request, until it is written or abandoned.
  std::string_view unsent;
  std::string chunk;  // the buffer each read fills
};

}  // namespace

std::string http1_request_bytes(const Request& request, const Url& origin) {
  return serialize(request, origin).bytes;
}

struct WireClient::Impl {
  Url origin;
  ClientOptions options;
  TlsContext tls;
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
  // The last exchange may hand the connection to another user (release()):
  // an HTTP/1.1 request without "Connection", answered with content framed
  // by length or chunks (so nothing after it can hide as content).
  bool clean_for_reuse = false;

  Impl(Url url, ClientOptions opts) : origin(std::move(url)), options(std::move(opts)) {}
  ~Impl() { connection.reset(); }  // before the TLS context it uses

  Sent send(const Request& request);
  StrayBytes close(milliseconds grace);
  Released release();
  void drop_connection();

 private:
  bool ensure_tls();

  // The phases of one exchange, in order (see wire_client.h). Each returns
  // how the attempt ends when it ends it, and nothing to go on.
  std::optional<std::string> connect(const ExchangeClock& clock, Exchange& exchange);
  AttemptEnd attempt(const Request& request, const WireRequest& wire, Attempt& a);
  std::optional<AttemptEnd> write(Attempt& a, std::string_view bytes);
  std::optional<AttemptEnd> pause_then_write_rest(Attempt& a, TimePoint pause_end);
  std::optional<AttemptEnd> read_head(Attempt& a);
  std::optional<AttemptEnd> read_content(Attempt& a);
  AttemptEnd take_response(Attempt& a);

  // What the read phases share.
  std::optional<AttemptEnd> read_once(Attempt& a);
  std::optional<AttemptEnd> after_read(Attempt& a, const Connection::Outcome& read);
  std::optional<AttemptEnd> take(Attempt& a, std::string_view bytes);
  std::optional<AttemptEnd> connection_ended(Attempt& a, const Connection::Outcome& read);
  AttemptEnd retry(Attempt& a, Io how);
  void abandon_rest(Attempt& a);

  Sent finish(Sent sent, AttemptEnd end, const ExchangeClock& clock);

  // Stray bytes of the last response, outside an exchange.
  struct Drained {
    Io io;             // how reading stopped; ok: at the byte budget, still sending
    size_t bytes = 0;  // read by this drain
  };
  Drained drain(StrayBytes& stray, TimePoint wait_until, TimePoint deadline);
  void settle_before_reuse(StrayBytes& stray, TimePoint deadline);
  void collect_before_close(StrayBytes& stray, milliseconds grace);
};

// Creates the TLS context once per client; a failure is kept and given
// again for every request.
bool WireClient::Impl::ensure_tls() {
  if (tls) return true;
  if (!tls_setup_error.empty()) return false;
  Result<TlsContext> created = make_tls_context(options.verify_tls, options.ca_file);
  if (!created) {
    tls_setup_error = created.error().message;
    return false;
  }
  tls = std::move(*created);
  return true;
}

void WireClient::Impl::drop_connection() {
  connection.reset();
  leftover.clear();
  closing = false;
  peer_closed = false;
  clean_for_reuse = false;
}

Sent WireClient::Impl::send(const Request& request) {
  const ExchangeClock clock = ExchangeClock::starting_now(options.deadline);
  const WireRequest wire = serialize(request, origin);
  Sent sent;
  sent.exchange.request_bytes = wire.bytes;
  if (options.cancel && options.cancel->cancelled())
    return finish(std::move(sent), Failure{"interrupted before the request was sent"}, clock);
  if (origin.tls() && !ensure_tls())
    return finish(std::move(sent), Failure{tls_setup_error}, clock);
  settle_before_reuse(sent.stray_of_previous, clock.deadline);
  clean_for_reuse = false;
  for (bool retried = false;; retried = true) {
    const bool reused = connection != nullptr;
    if (!reused) {
      if (auto error = connect(clock, sent.exchange))
        return finish(std::move(sent), Failure{std::move(*error)}, clock);
    }
    const bool may_retry = reused && !retried && is_idempotent(request.method);
    Attempt a(request, options, clock, sent.exchange, sent.stray_of_previous, reused, may_retry);
    AttemptEnd end = attempt(request, wire, a);
    if (!std::holds_alternative<Retry>(end)) return finish(std::move(sent), std::move(end), clock);
  }
}

// Connect: a new connection (TCP, then TLS for https) by the exchange's
// deadline. On failure, what the server sent during a failed handshake is
// kept as evidence.
std::optional<std::string> WireClient::Impl::connect(const ExchangeClock& clock,
                                                     Exchange& exchange) {
  auto opened = std::make_unique<Connection>();
  Connection::OpenLimits limits{clock.start, options.connect_timeout, clock.deadline,
                                options.cancel};
  if (auto error =
          opened->open(origin, origin.tls() ? tls.get() : nullptr, options.verify_tls, limits)) {
    keep_handshake(exchange, *opened);
    return error;
  }
  connection = std::move(opened);
  return std::nullopt;
}

AttemptEnd WireClient::Impl::attempt(const Request& request, const WireRequest& wire, Attempt& a) {
  a.exchange.request_bytes = wire.bytes;
  a.exchange.first_write_bytes = wire.split_at;
  a.exchange.answered_before_request_end = false;
  const TimePoint pause_end = SteadyClock::now() + request.split_pause;
  if (auto end = write(a, wire.first_write())) return std::move(*end);
  a.unsent = wire.second_write();
  if (auto end = pause_then_write_rest(a, pause_end)) return std::move(*end);
  if (auto end = read_head(a)) return std::move(*end);
  if (auto end = read_content(a)) return std::move(*end);
  return take_response(a);
}

// Write: sends `bytes` of the request.
std::optional<AttemptEnd> WireClient::Impl::write(Attempt& a, std::string_view bytes) {
  Connection::Outcome sent = connection->write_all(bytes, a.clock.deadline);
  if (ended(sent.io) && a.may_retry) return retry(a, sent.io);
  if (sent.io == Io::timeout || sent.io == Io::cancelled) {
    return Failure{fmt::format("{} after {} ms sending the request to {}",
                               sent.io == Io::timeout ? "timed out" : "interrupted",
                               a.clock.elapsed_ms(), endpoint(origin))};
  }
  if (sent.io != Io::ok) {
    return Failure{
        fmt::format("sending the request to {} failed: {}", endpoint(origin), sent.error)};
  }
  return std::nullopt;
}

// Write, second part: a split request goes out in two writes (RFC 9110
// 5.3). The second is written when the pause has passed without the server
// beginning to answer; if it began (it answered an unfinished header
// section) or ended the connection, the second write is never sent. A pause
// that outlasts the deadline never ends: the deadline does.
std::optional<AttemptEnd> WireClient::Impl::pause_then_write_rest(Attempt& a, TimePoint pause_end) {
  const bool pausing = pause_end < a.clock.deadline;
  while (!a.unsent.empty()) {
    a.chunk.clear();
    Connection::Outcome read =
        connection->read_some(a.chunk, pausing ? pause_end : a.clock.deadline, a.clock.deadline);
    if (pausing && read.io == Io::timeout) {
      // Nothing came during the pause: the server waits for the rest.
      return write(a, std::exchange(a.unsent, {}));
    }
    if (auto end = after_read(a, read)) return end;
  }
  return std::nullopt;
}

// Read head: until the final response's header section is complete. The
// parser skips interim (1xx) responses; on a reused connection the bytes
// before the status line are the previous response's (see take()).
std::optional<AttemptEnd> WireClient::Impl::read_head(Attempt& a) {
  while (a.parser.state() == ResponseParser::State::incomplete && !a.parser.has_final_head()) {
    if (auto end = read_once(a)) return end;
  }
  return std::nullopt;
}

// Read content: until the end the response's framing gives (RFC 9112 6.3).
std::optional<AttemptEnd> WireClient::Impl::read_content(Attempt& a) {
  while (a.parser.state() == ResponseParser::State::incomplete) {
    if (auto end = read_once(a)) return end;
  }
  return std::nullopt;
}

AttemptEnd WireClient::Impl::take_response(Attempt& a) {
  if (a.parser.state() == ResponseParser::State::failed) {
    // The head came whole and the chunks are not chunks: keep the head, so
    // that what it says can still be judged (Exchange::undecodable).
    if (a.parser.chunks_undecodable()) a.exchange.undecodable = a.parser.take_response();
    return Failure{a.parser.error()};
  }
  leftover = std::string(a.parser.leftover());
  Response response = a.parser.take_response();
  // The server still holds an unfinished request: never reuse this.
  closing = response.connection_close || a.exchange.answered_before_request_end;
  clean_for_reuse =
      !closing && a.request_keeps_alive &&
      (response.framing == Framing::content_length || response.framing == Framing::chunked) &&
      response.status >= 200 && response.status != 204 && response.status != 304;
  return response;
}

std::optional<AttemptEnd> WireClient::Impl::read_once(Attempt& a) {
  a.chunk.clear();
  return after_read(a, connection->read_some(a.chunk, a.clock.deadline));
}

// What a read means for the attempt: the bytes are taken; a timeout, a
// failure or the end of the connection may end the attempt.
std::optional<AttemptEnd> WireClient::Impl::after_read(Attempt& a,
                                                       const Connection::Outcome& read) {
  switch (read.io) {
    case Io::ok:
      return take(a, a.chunk);
    case Io::timeout:
    case Io::cancelled:
      return Failure{fmt::format("{} after {} ms waiting for {} ({} bytes received)",
                                 read.io == Io::timeout ? "timed out" : "interrupted",
                                 a.clock.elapsed_ms(), a.parser.waiting_for(), a.received_total)};
    case Io::failed:
      return Failure{
          fmt::format("receiving the response from {} failed: {}", endpoint(origin), read.error)};
    case Io::eof:
    case Io::cut:
    case Io::reset:
      return connection_ended(a, read);
  }
  return std::nullopt;
}

// Attribute stray bytes: every byte read after the request is kept as
// evidence (capped), then split between the previous response's stray bytes
// and this response, whose part is parsed.
std::optional<AttemptEnd> WireClient::Impl::take(Attempt& a, std::string_view bytes) {
  keep_received(a.exchange, bytes);
  a.received_total += bytes.size();
  std::string_view response_bytes = a.scanner.take(bytes, a.stray);
  if (!response_bytes.empty()) a.parser.feed(response_bytes);
  // The response began before the header section was complete.
  if (!a.unsent.empty() && a.scanner.at_status_line() && a.parser.bytes_received() > 0) {
    abandon_rest(a);
  }
  if (!a.scanner.at_status_line() && a.scanner.skipped() > kMaxStrayBytes) {
    return Failure{fmt::format("no status line within {} bytes after the request", kMaxStrayBytes)};
  }
  return std::nullopt;
}

// The server ended the connection: a FIN, over TLS possibly without
// close_notify, or a reset.
std::optional<AttemptEnd> WireClient::Impl::connection_ended(Attempt& a,
                                                             const Connection::Outcome& read) {
  const bool before_status_line = !a.scanner.at_status_line();
  if (!a.unsent.empty() && !(a.may_retry && before_status_line)) abandon_rest(a);
  if (before_status_line) {
    if (a.may_retry) return retry(a, read.io);
    a.scanner.end(a.stray, stray_end_for(read.io));
  }
  const Response& partial = a.parser.response();
  if (read.io != Io::eof && partial.framing == Framing::close_delimited) {
    // Only a clean close ends close-delimited content (RFC 9112 6.3).
    return Failure{fmt::format("{} after {} content bytes; the content may be truncated",
                               read.io == Io::reset ? "connection reset" : read.error,
                               partial.content.size())};
  }
  if (read.io == Io::eof) peer_closed = true;
  a.exchange.closed_without_response = a.parser.bytes_received() == 0;
  const bool still_reading = a.parser.state() == ResponseParser::State::incomplete;
  if (a.parser.finish() == ResponseParser::State::failed) {
    // The head came whole and only the content is short: keep the head, so
    // that what it says can still be judged (Exchange::cut_short). Not after
    // a failure of the parser's own (content beyond the cap, a bad chunk).
    if (still_reading && a.parser.has_final_head()) a.exchange.cut_short = a.parser.take_response();
    // A reset loses what the server might still have sent: say so.
    if (!read.error.empty()) return Failure{fmt::format("{} ({})", a.parser.error(), read.error)};
  }
  return std::nullopt;  // the parser is complete or failed: take_response() says which
}

// The reused connection ended before this response began: what came before
// is the previous response's, and the request goes out again.
AttemptEnd WireClient::Impl::retry(Attempt& a, Io how) {
  a.scanner.end(a.stray, stray_end_for(how));
  drop_connection();
  return Retry{};
}

// The rest of a split request will not be sent: the bytes the server saw
// are only the first write, and the connection cannot carry another request.
void WireClient::Impl::abandon_rest(Attempt& a) {
  a.exchange.request_bytes.resize(a.exchange.first_write_bytes);
  a.exchange.answered_before_request_end = true;
  a.unsent = {};
}

Sent WireClient::Impl::finish(Sent sent, AttemptEnd end, const ExchangeClock& clock) {
  Exchange& exchange = sent.exchange;
  if (auto* response = std::get_if<Response>(&end)) {
    exchange.response = std::move(*response);
    // Evidence is kept for errors only; its buffer, as large as the whole
    // response, is freed, not just emptied.
    std::string().swap(exchange.received);
    exchange.received_dropped = 0;
  } else {
    exchange.error = std::move(std::get<Failure>(end).message);
    drop_connection();
  }
  exchange.elapsed = clock.elapsed();
  return sent;
}

// Reads what the server sends, waiting until `wait_until` (a time already
// past takes only what has arrived), as stray bytes. Bounded by a byte
// budget and by `deadline`, so a server that never stops sending can neither
// hold the client nor grow its memory.
WireClient::Impl::Drained WireClient::Impl::drain(StrayBytes& stray, TimePoint wait_until,
                                                  TimePoint deadline) {
  Drained drained{Io::ok};
  std::string chunk;
  while (drained.bytes <= kMaxStrayBytes) {
    chunk.clear();
    Connection::Outcome read = connection->read_some(chunk, wait_until, deadline);
    if (read.io != Io::ok) {
      drained.io = read.io;
      return drained;
    }
    drained.bytes += chunk.size();
    record_stray(stray, chunk, StrayEnd::still_open);
  }
  return drained;
}

// Before a request on a kept connection: every byte received before it is
// written belongs to the previous response, never to the new one, so it is
// attributed without looking for a status line. A connection the server
// closed, or said it would close, is dropped so a new one is opened.
void WireClient::Impl::settle_before_reuse(StrayBytes& stray, TimePoint deadline) {
  if (!connection) return;
  record_stray(stray, leftover, StrayEnd::still_open);
  leftover.clear();
  if (peer_closed) {
    record_stray(stray, {}, StrayEnd::server_closed);
    drop_connection();
    return;
  }
  Drained drained = drain(stray, SteadyClock::now(), deadline);
  // Open and quiet: reused, and the next status line settles the check.
  if (drained.io == Io::timeout && !closing) return;
  record_stray(stray, {}, stray_end_for(drained.io));
  drop_connection();
}

// Before closing: collects what the server sends after the last response
// until it closes the connection or `grace` runs out.
void WireClient::Impl::collect_before_close(StrayBytes& stray, milliseconds grace) {
  record_stray(stray, leftover, StrayEnd::still_open);
  leftover.clear();
  if (peer_closed) {
    record_stray(stray, {}, StrayEnd::server_closed);
    return;
  }
  // The grace bounds the wait; what has arrived by then is read too, up to
  // the byte budget. The deadline after it is only a safety net, for TLS
  // records that carry no bytes of content and so spend no budget.
  TimePoint until = SteadyClock::now() + grace;
  Drained drained = drain(stray, until, until + options.deadline);
  StrayEnd end = stray_end_for(drained.io);
  if (drained.io == Io::timeout && closing && grace.count() > 0 && drained.bytes == 0) {
    end = StrayEnd::quiet_after_close;
  }
  record_stray(stray, {}, end);
}

StrayBytes WireClient::Impl::close(milliseconds grace) {
  StrayBytes stray;
  if (connection) collect_before_close(stray, grace);
  drop_connection();
  return stray;
}

Transport::Released WireClient::Impl::release() {
  Released released;
  if (connection && clean_for_reuse && !closing && !peer_closed && leftover.empty()) {
    // Whatever has already arrived, without waiting: nothing, or the
    // connection is not clean.
    Drained drained =
        drain(released.stray, SteadyClock::now(), SteadyClock::now() + options.deadline);
    if (drained.io == Io::timeout && drained.bytes == 0) {
      released.kept_open = true;
      return released;
    }
    record_stray(released.stray, {}, stray_end_for(drained.io));
    drop_connection();
    return released;
  }
  released.stray = close(milliseconds{0});
  return released;
}

WireClient::WireClient(Url origin, ClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(origin), std::move(options))) {}
WireClient::~WireClient() = default;
WireClient::WireClient(WireClient&&) noexcept = default;
WireClient& WireClient::operator=(WireClient&&) noexcept = default;

Transport::Released WireClient::release() {
  try {
    return impl_->release();
  } catch (const std::exception&) {  // only allocation can throw here
    impl_->drop_connection();
    return {};
  }
}

const Url& WireClient::origin() const {
  return impl_->origin;
}

Sent WireClient::send(const Request& request) {
  try {
    return impl_->send(request);
  } catch (const std::exception& e) {  // only allocation can throw here
    impl_->drop_connection();
    Sent failed;
    failed.exchange.error = fmt::format("internal error: {}", e.what());
    return failed;
  }
}

StrayBytes WireClient::close(std::chrono::milliseconds grace) {
  try {
    return impl_->close(grace);
  } catch (const std::exception&) {  // only allocation can throw here
    impl_->drop_connection();
    return {};
  }
}

}  // namespace condspec
