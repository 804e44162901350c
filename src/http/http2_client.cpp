#include "src/http/http2_client.h"

#include <fmt/format.h>
#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <string_view>
#include <utility>
#include <variant>

#include "src/core/text.h"
#include "src/http/connection.h"
#include "src/http/exchange_clock.h"
#include "src/http/exchange_evidence.h"
#include "src/http/frame_record.h"
#include "src/http/frame_scanner.h"
#include "src/http/http2_request.h"
#include "src/http/http2_response.h"
#include "src/http/protocol.h"
#include "src/http/stray_bytes.h"

namespace condspec {
namespace {

using SteadyClock = std::chrono::steady_clock;
using TimePoint = SteadyClock::time_point;
using std::chrono::milliseconds;

// How many frame records one exchange keeps; beyond that they are counted.
constexpr size_t kMaxFrameRecords = 4096;
// Frames received in one exchange that carry none of its content (anything
// but DATA with payload on its stream): more is a flood, not a response.
constexpr size_t kMaxFramesWithoutContent = 1000;
// What the server may send before condspec reads it: enough for the largest
// content allowed, so flow control never holds a response back.
constexpr int32_t kMaxWindow = 0x7fffffff;
// How long close() spends telling the server (GOAWAY) before it drops the
// connection.
constexpr milliseconds kGoodbyeTime{200};

constexpr uint8_t kData = NGHTTP2_DATA;

struct SessionFree {
  void operator()(nghttp2_session* session) const { nghttp2_session_del(session); }
};
using Session = std::unique_ptr<nghttp2_session, SessionFree>;

bool is_idempotent(const std::string& method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS" || method == "PUT" ||
         method == "DELETE" || method == "TRACE";
}

// How a wait that did not end in bytes is named in messages.
std::string_view stopped_word(Io why) {
  return why == Io::cancelled ? "interrupted" : "timed out";
}

std::string plural(uint64_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

// How an attempt ends when it does not end with a response.
struct Done {};
struct Failure {
  std::string message;
};
// The request was not processed on a reused connection: send it again on a
// new one.
struct Retry {};
using AttemptEnd = std::variant<Done, Failure, Retry>;

// A GOAWAY the server sent.
struct Goaway {
  uint32_t code = 0;
  int32_t last_stream = 0;
  std::string debug;

  std::string describe() const {
    return fmt::format("GOAWAY ({}, last stream {}{})", http2_error_name(code), last_stream,
                       debug.empty() ? "" : ": '" + printable_prefix(debug, 200) + "'");
  }
};

// One stream: the exchange it records and the response being assembled.
struct StreamRun {
  StreamRun(Exchange& exchange, const Http2Request& request, std::string_view method,
            const ClientOptions& options)
      : exchange(exchange),
        content(request.content),
        response(method, ResponseLimits{.max_head_bytes = options.max_head_bytes,
                                        .max_content_bytes = options.max_content_bytes}) {}

  Exchange& exchange;
  std::string_view content;  // the request content, sent in DATA frames
  size_t content_sent = 0;
  Http2ResponseAssembler response;
  int32_t id = -1;
  std::string failure;                      // set by a callback: ends the exchange
  bool closed = false;                      // libnghttp2 closed the stream (on_stream_close)
  std::optional<uint32_t> reset_by_server;  // RST_STREAM received, with its code
  bool response_began = false;              // a HEADERS or DATA frame of this stream arrived
  size_t frames_without_content = 0;
  std::map<std::string, size_t> flood;  // type name -> frames, for the message
};

}  // namespace

struct Http2Client::Impl {
  Url origin;
  ClientOptions options;
  TlsContext tls;
  std::string tls_setup_error;
  std::unique_ptr<Connection> connection;
  Session session;
  FrameScanner scanner;
  bool nothing_received = true;  // on this connection
  std::optional<Goaway> goaway;  // the server's last GOAWAY on this connection
  // The GOAWAY condspec (libnghttp2) sent: its code and its debug data, where
  // libnghttp2 says why it ended the connection.
  std::optional<Goaway> goaway_sent;
  std::string library_error;  // libnghttp2's last diagnostic
  // Where frames and evidence go: the exchange running, or, between
  // exchanges, the frames kept for the next one.
  StreamRun* current = nullptr;
  std::vector<FrameRecord> idle_frames;
  size_t idle_frames_dropped = 0;

  Impl(Url url, ClientOptions opts) : origin(std::move(url)), options(std::move(opts)) {}
  ~Impl() { drop_connection(); }  // before the TLS context it uses

  Sent send(const Request& request);
  StrayBytes close();
  void drop_connection();

 private:
  bool ensure_tls();
  std::optional<std::string> connect(const ExchangeClock& clock, Exchange& exchange);
  std::optional<std::string> start_session();
  AttemptEnd attempt(const Http2Request& request, StreamRun& run, const ExchangeClock& clock,
                     bool may_retry);
  std::optional<AttemptEnd> flush(StreamRun& run, const ExchangeClock& clock, bool may_retry);
  std::optional<AttemptEnd> settled(StreamRun& run, bool may_retry);
  std::optional<AttemptEnd> receive(StreamRun& run, std::string_view bytes);
  AttemptEnd connection_ended(StreamRun& run, const Connection::Outcome& how, bool may_retry);
  std::string stopped_waiting(const StreamRun& run, const ExchangeClock& clock, Io why) const;
  std::string session_failure() const;
  void settle_before_reuse(const ExchangeClock& clock);
  bool usable() const;
  Sent finish(Sent sent, StreamRun* run, AttemptEnd end, const ExchangeClock& clock);

  // What libnghttp2's callbacks report; each returns 0 or a libnghttp2 error.
  struct Callbacks;
  void record(const FrameRecord& frame);
  int on_frame_sent(const nghttp2_frame& frame);
  int on_frame_received(const nghttp2_frame& frame);
  int on_begin_headers(const nghttp2_frame& frame);
  int on_header(const nghttp2_frame& frame, std::string_view name, std::string_view value);
  int on_data(int32_t stream, std::string_view payload);
  int on_stream_close(int32_t stream, uint32_t code);
  ssize_t read_content(int32_t stream, uint8_t* buffer, size_t length, uint32_t* flags);
  bool flood_seen(const FrameRecord& frame, StreamRun& run);
};

namespace {

std::string_view view(const uint8_t* data, size_t length) {
  return {reinterpret_cast<const char*>(data), length};
}

// Nothing may unwind through libnghttp2's C frames: an exception in a
// callback (only allocation can throw) fails the session instead.
template <class F>
int guarded(F&& body) {
  try {
    return body();
  } catch (const std::exception&) {
    return NGHTTP2_ERR_CALLBACK_FAILURE;
  }
}

}  // namespace

// libnghttp2's callbacks: user_data is the Impl.
struct Http2Client::Impl::Callbacks {
  static Impl& of(void* user_data) { return *static_cast<Impl*>(user_data); }

  static int frame_sent(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
    return guarded([&] { return of(user_data).on_frame_sent(*frame); });
  }
  static int frame_received(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
    return guarded([&] { return of(user_data).on_frame_received(*frame); });
  }
  static int begin_headers(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
    return guarded([&] { return of(user_data).on_begin_headers(*frame); });
  }
  static int header(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name,
                    size_t name_length, const uint8_t* value, size_t value_length, uint8_t,
                    void* user_data) {
    return guarded([&] {
      return of(user_data).on_header(*frame, view(name, name_length), view(value, value_length));
    });
  }
  static int data_chunk(nghttp2_session*, uint8_t, int32_t stream, const uint8_t* data,
                        size_t length, void* user_data) {
    return guarded([&] { return of(user_data).on_data(stream, view(data, length)); });
  }
  static int stream_closed(nghttp2_session*, int32_t stream, uint32_t code, void* user_data) {
    return guarded([&] { return of(user_data).on_stream_close(stream, code); });
  }
  static int error(nghttp2_session*, int, const char* message, size_t length, void* user_data) {
    return guarded([&] {
      of(user_data).library_error.assign(message, length);
      return 0;
    });
  }
  static ssize_t read_content(nghttp2_session*, int32_t stream, uint8_t* buffer, size_t length,
                              uint32_t* flags, nghttp2_data_source*, void* user_data) {
    try {
      return of(user_data).read_content(stream, buffer, length, flags);
    } catch (const std::exception&) {
      return NGHTTP2_ERR_CALLBACK_FAILURE;
    }
  }
};

namespace {

struct CallbacksFree {
  void operator()(nghttp2_session_callbacks* callbacks) const {
    nghttp2_session_callbacks_del(callbacks);
  }
};
struct OptionFree {
  void operator()(nghttp2_option* option) const { nghttp2_option_del(option); }
};

}  // namespace

void Http2Client::Impl::record(const FrameRecord& frame) {
  std::vector<FrameRecord>& frames = current ? current->exchange.frames : idle_frames;
  size_t& dropped = current ? current->exchange.frames_dropped : idle_frames_dropped;
  if (frames.size() < kMaxFrameRecords)
    frames.push_back(frame);
  else
    ++dropped;
}

int Http2Client::Impl::on_frame_sent(const nghttp2_frame& frame) {
  record({true, frame.hd.type, frame.hd.flags, static_cast<uint32_t>(frame.hd.length),
          static_cast<uint32_t>(frame.hd.stream_id)});
  if (frame.hd.type == NGHTTP2_GOAWAY) {
    goaway_sent = Goaway{frame.goaway.error_code, frame.goaway.last_stream_id,
                         std::string(reinterpret_cast<const char*>(frame.goaway.opaque_data),
                                     frame.goaway.opaque_data_len)};
  }
  return 0;
}

int Http2Client::Impl::on_frame_received(const nghttp2_frame& frame) {
  if (frame.hd.type == NGHTTP2_GOAWAY) {
    Goaway seen;
    seen.code = frame.goaway.error_code;
    seen.last_stream = frame.goaway.last_stream_id;
    seen.debug.assign(reinterpret_cast<const char*>(frame.goaway.opaque_data),
                      frame.goaway.opaque_data_len);
    goaway = std::move(seen);
    return 0;
  }
  if (!current || frame.hd.stream_id != current->id) return 0;
  StreamRun& run = *current;
  if (frame.hd.type == NGHTTP2_RST_STREAM) {
    run.reset_by_server = frame.rst_stream.error_code;
    return 0;
  }
  if (frame.hd.type == NGHTTP2_HEADERS) {
    Status ended = run.response.end_block();
    if (!ended) {
      run.failure = ended.error().message;
      return NGHTTP2_ERR_CALLBACK_FAILURE;
    }
  }
  if ((frame.hd.type == NGHTTP2_HEADERS || frame.hd.type == NGHTTP2_DATA) &&
      (frame.hd.flags & NGHTTP2_FLAG_END_STREAM)) {
    if (!run.response.has_final_head()) {
      run.failure = "the server ended the stream before a final response (only interim ones)";
      return NGHTTP2_ERR_CALLBACK_FAILURE;
    }
    run.response.end_stream();
  }
  return 0;
}

// Field sections of the response: HEADERS frames of this stream (a
// PUSH_PROMISE names the stream too, but carries a promised request).
int Http2Client::Impl::on_begin_headers(const nghttp2_frame& frame) {
  if (current && frame.hd.type == NGHTTP2_HEADERS && frame.hd.stream_id == current->id) {
    current->response_began = true;
    current->response.begin_block();
  }
  return 0;
}

int Http2Client::Impl::on_header(const nghttp2_frame& frame, std::string_view name,
                                 std::string_view value) {
  if (!current || frame.hd.type != NGHTTP2_HEADERS || frame.hd.stream_id != current->id) return 0;
  Status added = current->response.field(name, value);
  if (added) return 0;
  current->failure = added.error().message;
  return NGHTTP2_ERR_CALLBACK_FAILURE;
}

int Http2Client::Impl::on_data(int32_t stream, std::string_view payload) {
  if (!current || stream != current->id) return 0;
  current->response_began = true;
  Status taken = current->response.data(payload);
  if (taken) return 0;
  current->failure = taken.error().message;
  return NGHTTP2_ERR_CALLBACK_FAILURE;
}

int Http2Client::Impl::on_stream_close(int32_t stream, uint32_t) {
  if (current && stream == current->id) current->closed = true;
  return 0;
}

ssize_t Http2Client::Impl::read_content(int32_t stream, uint8_t* buffer, size_t length,
                                        uint32_t* flags) {
  // The stream of an earlier exchange, answered before its content was all
  // sent: libnghttp2 resets it.
  if (!current || stream != current->id) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
  StreamRun& run = *current;
  const size_t n = std::min(length, run.content.size() - run.content_sent);
  std::copy_n(run.content.data() + run.content_sent, n, buffer);
  run.content_sent += n;
  if (run.content_sent == run.content.size()) *flags |= NGHTTP2_DATA_FLAG_EOF;
  return static_cast<ssize_t>(n);
}

// Counts frames that carry nothing of the response's content; true once
// there are too many.
bool Http2Client::Impl::flood_seen(const FrameRecord& frame, StreamRun& run) {
  if (frame.type == kData && frame.length > 0 && static_cast<int32_t>(frame.stream) == run.id)
    return false;
  ++run.flood[frame_type_name(frame.type)];
  return ++run.frames_without_content > kMaxFramesWithoutContent;
}

bool Http2Client::Impl::ensure_tls() {
  if (tls) return true;
  if (!tls_setup_error.empty()) return false;
  Result<TlsContext> created = make_tls_context(options.verify_tls, options.ca_file, {"h2"});
  if (!created) {
    tls_setup_error = created.error().message;
    return false;
  }
  tls = std::move(*created);
  return true;
}

void Http2Client::Impl::drop_connection() {
  session.reset();
  connection.reset();
  scanner = FrameScanner{};
  nothing_received = true;
  goaway.reset();
  goaway_sent.reset();
  library_error.clear();
}

// Whether the next request can go on this connection.
bool Http2Client::Impl::usable() const {
  return connection && session && !goaway && !goaway_sent &&
         nghttp2_session_check_request_allowed(session.get()) == 1 &&
         (nghttp2_session_want_read(session.get()) || nghttp2_session_want_write(session.get()));
}

std::optional<std::string> Http2Client::Impl::connect(const ExchangeClock& clock,
                                                      Exchange& exchange) {
  drop_connection();
  auto opened = std::make_unique<Connection>();
  Connection::OpenLimits limits{clock.start, options.connect_timeout, clock.deadline,
                                options.cancel};
  if (auto error =
          opened->open(origin, origin.tls() ? tls.get() : nullptr, options.verify_tls, limits)) {
    keep_handshake(exchange, *opened);
    return error;
  }
  if (origin.tls() && opened->alpn() != "h2") {
    const std::string chosen = opened->alpn();
    return fmt::format(
        "the server at {} does not speak HTTP/2 over TLS: offered h2 in ALPN, it chose {}",
        endpoint(origin), chosen.empty() ? "no protocol" : "'" + printable(chosen) + "'");
  }
  connection = std::move(opened);
  return start_session();
}

// A client session: HTTP messaging checks off (condspec judges), no server
// push, windows wide open, and condspec's header-size limit announced.
std::optional<std::string> Http2Client::Impl::start_session() {
  nghttp2_session_callbacks* raw_callbacks = nullptr;
  nghttp2_option* raw_option = nullptr;
  if (nghttp2_session_callbacks_new(&raw_callbacks) != 0 || nghttp2_option_new(&raw_option) != 0) {
    std::unique_ptr<nghttp2_session_callbacks, CallbacksFree> free_callbacks(raw_callbacks);
    return std::string("cannot start an HTTP/2 session: out of memory");
  }
  std::unique_ptr<nghttp2_session_callbacks, CallbacksFree> callbacks(raw_callbacks);
  std::unique_ptr<nghttp2_option, OptionFree> option(raw_option);
  nghttp2_session_callbacks_set_on_frame_send_callback(callbacks.get(), Callbacks::frame_sent);
  nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks.get(), Callbacks::frame_received);
  nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks.get(),
                                                          Callbacks::begin_headers);
  nghttp2_session_callbacks_set_on_header_callback(callbacks.get(), Callbacks::header);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks.get(), Callbacks::data_chunk);
  nghttp2_session_callbacks_set_on_stream_close_callback(callbacks.get(), Callbacks::stream_closed);
  nghttp2_session_callbacks_set_error_callback2(callbacks.get(), Callbacks::error);
  nghttp2_option_set_no_http_messaging(option.get(), 1);
  nghttp2_session* raw_session = nullptr;
  if (nghttp2_session_client_new2(&raw_session, callbacks.get(), this, option.get()) != 0)
    return std::string("cannot start an HTTP/2 session: out of memory");
  session.reset(raw_session);
  const uint32_t header_list =
      static_cast<uint32_t>(std::min<size_t>(options.max_head_bytes, 0xffffffffu));
  const nghttp2_settings_entry settings[] = {
      {NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
      {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, static_cast<uint32_t>(kMaxWindow)},
      {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, header_list},
  };
  int rv = nghttp2_submit_settings(session.get(), NGHTTP2_FLAG_NONE, settings, std::size(settings));
  if (rv == 0)
    rv = nghttp2_session_set_local_window_size(session.get(), NGHTTP2_FLAG_NONE, 0, kMaxWindow);
  if (rv != 0) return fmt::format("cannot start an HTTP/2 session: {}", nghttp2_strerror(rv));
  return std::nullopt;
}

Sent Http2Client::Impl::send(const Request& request) {
  const ExchangeClock clock = ExchangeClock::starting_now(options.deadline);
  Sent sent;
  Result<Http2Request> h2 = make_http2_request(request, origin);
  if (!h2) return finish(std::move(sent), nullptr, Failure{h2.error().message}, clock);
  sent.exchange.request_bytes = h2->text;
  if (options.cancel && options.cancel->cancelled())
    return finish(std::move(sent), nullptr, Failure{"interrupted before the request was sent"},
                  clock);
  if (options.protocol != Protocol::http1_1 && !reaches(options.protocol, origin)) {
    return finish(
        std::move(sent), nullptr,
        Failure{fmt::format("{} cannot reach {}: {}", to_string(options.protocol), origin.str(),
                            origin.tls() ? "h2c is HTTP/2 over cleartext; use h2"
                                         : "h2 is HTTP/2 over TLS; use h2c")},
        clock);
  }
  if (origin.tls() && !ensure_tls())
    return finish(std::move(sent), nullptr, Failure{tls_setup_error}, clock);
  settle_before_reuse(clock);
  sent.exchange.frames = std::exchange(idle_frames, {});
  sent.exchange.frames_dropped = std::exchange(idle_frames_dropped, 0);
  for (bool retried = false;; retried = true) {
    const bool reused = usable();
    if (!reused) {
      if (auto error = connect(clock, sent.exchange))
        return finish(std::move(sent), nullptr, Failure{std::move(*error)}, clock);
    }
    StreamRun run(sent.exchange, *h2, request.method, options);
    const bool may_retry = reused && !retried;
    AttemptEnd end = attempt(*h2, run, clock, may_retry && is_idempotent(request.method));
    if (std::holds_alternative<Retry>(end)) {
      drop_connection();
      continue;
    }
    return finish(std::move(sent), &run, std::move(end), clock);
  }
}

AttemptEnd Http2Client::Impl::attempt(const Http2Request& request, StreamRun& run,
                                      const ExchangeClock& clock, bool may_retry) {
  current = &run;
  struct Leave {
    StreamRun*& current;
    ~Leave() { current = nullptr; }
  } leave{current};
  std::vector<nghttp2_nv> headers;
  for (const auto& field : request.fields) {
    headers.push_back({reinterpret_cast<uint8_t*>(const_cast<char*>(field.name.data())),
                       reinterpret_cast<uint8_t*>(const_cast<char*>(field.value.data())),
                       field.name.size(), field.value.size(), NGHTTP2_NV_FLAG_NONE});
  }
  nghttp2_data_provider content{};
  content.read_callback = Callbacks::read_content;
  run.id = nghttp2_submit_request(session.get(), nullptr, headers.data(), headers.size(),
                                  request.content.empty() ? nullptr : &content, nullptr);
  if (run.id < 0)
    return Failure{
        fmt::format("cannot send the request over HTTP/2: {}", nghttp2_strerror(run.id))};
  std::string chunk;
  while (true) {
    if (auto end = flush(run, clock, may_retry)) return std::move(*end);
    if (auto end = settled(run, may_retry)) return std::move(*end);
    chunk.clear();
    Connection::Outcome read = connection->read_some(chunk, clock.deadline);
    switch (read.io) {
      case Io::ok:
        if (auto end = receive(run, chunk)) return std::move(*end);
        break;
      case Io::timeout:
      case Io::cancelled:
        return Failure{stopped_waiting(run, clock, read.io)};
      case Io::failed:
        return Failure{
            fmt::format("receiving the response from {} failed: {}", endpoint(origin), read.error)};
      case Io::eof:
      case Io::cut:
      case Io::reset:
        // What libnghttp2 already took may have ended the stream.
        if (auto end = settled(run, may_retry)) return std::move(*end);
        return connection_ended(run, read, may_retry);
    }
  }
}

// Sends what libnghttp2 has queued: the preface and SETTINGS, the request,
// acknowledgements, WINDOW_UPDATEs, a GOAWAY.
std::optional<AttemptEnd> Http2Client::Impl::flush(StreamRun& run, const ExchangeClock& clock,
                                                   bool may_retry) {
  while (true) {
    const uint8_t* data = nullptr;
    ssize_t n = nghttp2_session_mem_send(session.get(), &data);
    if (n < 0) {
      if (!run.failure.empty()) return Failure{run.failure};
      return Failure{
          fmt::format("HTTP/2 session error: {}", nghttp2_strerror(static_cast<int>(n)))};
    }
    if (n == 0) return std::nullopt;
    Connection::Outcome written =
        connection->write_all(view(data, static_cast<size_t>(n)), clock.deadline);
    if (written.io == Io::timeout || written.io == Io::cancelled) {
      return Failure{fmt::format("{} after {} ms sending to {}", stopped_word(written.io),
                                 clock.elapsed_ms(), endpoint(origin))};
    }
    if (ended(written.io)) return connection_ended(run, written, may_retry);
    if (written.io != Io::ok) {
      return Failure{
          fmt::format("sending the request to {} failed: {}", endpoint(origin), written.error)};
    }
  }
}

// Whether the stream, or the session, has come to an end.
std::optional<AttemptEnd> Http2Client::Impl::settled(StreamRun& run, bool may_retry) {
  if (!run.failure.empty()) return Failure{run.failure};
  if (run.response.ended()) return Done{};
  const bool refused = goaway && run.id > goaway->last_stream;
  if (refused) {
    // RFC 9113 6.8: a stream above the last one named was not processed.
    if (may_retry && !run.response_began) return Retry{};
    run.exchange.closed_without_response = !run.response_began;
    return Failure{
        fmt::format("the server sent {} without processing the request", goaway->describe())};
  }
  if (run.closed) {
    run.exchange.closed_without_response = !run.response.has_final_head();
    if (run.reset_by_server) {
      return Failure{fmt::format(
          "the server reset the stream (RST_STREAM {}) {}", http2_error_name(*run.reset_by_server),
          run.response.has_final_head()
              ? fmt::format("after the response HEADERS and {}",
                            plural(run.response.data_bytes(), "byte") + " of DATA")
              : std::string("before the response HEADERS"))};
    }
    return Failure{session_failure()};
  }
  if (!nghttp2_session_want_read(session.get()) && !nghttp2_session_want_write(session.get()))
    return Failure{session_failure()};
  return std::nullopt;
}

// The session ended without the stream ending: what libnghttp2 or the
// server said about it.
std::string Http2Client::Impl::session_failure() const {
  std::string message = "HTTP/2 protocol error";
  const std::string reason = !library_error.empty() ? library_error
                             : goaway_sent          ? goaway_sent->debug
                                                    : std::string();
  if (!reason.empty()) message += ": " + printable(reason);
  if (goaway) message += fmt::format("; the server sent {}", goaway->describe());
  if (goaway_sent)
    message += fmt::format("; condspec ended the connection with GOAWAY ({})",
                           http2_error_name(goaway_sent->code));
  return message;
}

// Takes bytes from the connection: kept as evidence, their frames recorded,
// then handed to libnghttp2.
std::optional<AttemptEnd> Http2Client::Impl::receive(StreamRun& run, std::string_view bytes) {
  keep_received(run.exchange, bytes);
  if (nothing_received && bytes.starts_with("HTTP/")) {
    // An HTTP/1.x server answering the connection preface (RFC 9113 3.4).
    std::string_view line = bytes.substr(0, std::min(bytes.find('\r'), bytes.find('\n')));
    return Failure{fmt::format(
        "the server answered the HTTP/2 connection preface with HTTP/1 ('{}'): it does not speak "
        "HTTP/2{} on this port",
        printable_prefix(line, 200),
        origin.tls() ? "" : " over cleartext with prior knowledge (h2c)")};
  }
  nothing_received = false;
  for (const FrameRecord& frame : scanner.take(bytes)) {
    record(frame);
    if (flood_seen(frame, run)) {
      std::string counts;
      std::vector<std::pair<size_t, std::string>> by_count;
      for (const auto& [type, n] : run.flood) by_count.emplace_back(n, type);
      std::sort(by_count.rbegin(), by_count.rend());
      for (const auto& [n, type] : by_count)
        counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", n, type);
      return Failure{fmt::format(
          "the server sent more than {} frames that carry no content in one exchange ({}): a "
          "flood, not a response",
          kMaxFramesWithoutContent, counts)};
    }
  }
  ssize_t taken = nghttp2_session_mem_recv(
      session.get(), reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  if (taken < 0) {
    if (!run.failure.empty()) return Failure{run.failure};
    std::string message = session_failure();
    if (library_error.empty())
      message += ": " + std::string(nghttp2_strerror(static_cast<int>(taken)));
    return Failure{message};
  }
  return std::nullopt;
}

// The server ended the connection before the stream ended.
AttemptEnd Http2Client::Impl::connection_ended(StreamRun& run, const Connection::Outcome& how,
                                               bool may_retry) {
  if (may_retry && !run.response_began) return Retry{};
  run.exchange.closed_without_response = !run.response_began;
  const std::string ending = how.io == Io::reset ? "connection reset"
                             : how.io == Io::cut ? how.error
                                                 : "connection closed";
  std::string message =
      goaway ? fmt::format("the server sent {} and ended the connection", goaway->describe())
             : ending;
  if (!run.response_began)
    message += " without a response";
  else if (!run.response.has_final_head())
    message += " before the response HEADERS were complete";
  else
    message += fmt::format(" before the end of the stream ({} of DATA received)",
                           plural(run.response.data_bytes(), "byte"));
  return Failure{message};
}

// Why the exchange stopped waiting (the deadline passed, or the run was
// cancelled), what it was waiting for and what had come.
std::string Http2Client::Impl::stopped_waiting(const StreamRun& run, const ExchangeClock& clock,
                                               Io why) const {
  const size_t frames = std::count_if(run.exchange.frames.begin(), run.exchange.frames.end(),
                                      [](const FrameRecord& f) { return !f.sent; });
  std::string seen = plural(frames + run.exchange.frames_dropped, "frame") + " received";
  std::string waiting;
  if (run.content_sent < run.content.size()) {
    waiting = "the server's flow-control window to open";
    seen += fmt::format(", {} of {} content bytes sent", run.content_sent, run.content.size());
  } else {
    waiting = run.response.waiting_for();
    if (run.response.has_final_head())
      seen += fmt::format(", {} of DATA", plural(run.response.data_bytes(), "byte"));
  }
  return fmt::format("{} after {} ms waiting for {} ({})", stopped_word(why), clock.elapsed_ms(),
                     waiting, seen);
}

// Before a request on a kept connection: frames that arrived since the last
// exchange (a GOAWAY, a PING, SETTINGS) are taken without waiting, and kept
// for this exchange's record. A connection that cannot take another stream
// is dropped, so a new one is opened.
void Http2Client::Impl::settle_before_reuse(const ExchangeClock& clock) {
  if (!connection || !session) return;
  std::string chunk;
  size_t taken = 0;
  bool ended_by_server = false;
  while (taken <= StrayBytes::kMaxKept) {
    chunk.clear();
    Connection::Outcome read = connection->read_some(chunk, SteadyClock::now(), clock.deadline);
    if (read.io != Io::ok) {
      ended_by_server = ended(read.io) || read.io == Io::failed;
      break;
    }
    taken += chunk.size();
    for (const FrameRecord& frame : scanner.take(chunk)) record(frame);
    if (nghttp2_session_mem_recv(session.get(), reinterpret_cast<const uint8_t*>(chunk.data()),
                                 chunk.size()) < 0) {
      ended_by_server = true;
      break;
    }
  }
  if (ended_by_server || !usable()) drop_connection();
}

Sent Http2Client::Impl::finish(Sent sent, StreamRun* run, AttemptEnd end,
                               const ExchangeClock& clock) {
  Exchange& exchange = sent.exchange;
  if (std::holds_alternative<Done>(end) && run) {
    // Answered before all its content was sent (RFC 9113 8.1): the rest is
    // not needed.
    if (run->content_sent < run->content.size())
      nghttp2_submit_rst_stream(session.get(), NGHTTP2_FLAG_NONE, run->id, NGHTTP2_CANCEL);
    // Best effort: acknowledgements and WINDOW_UPDATEs the server may wait for.
    current = run;
    flush(*run, clock, false);
    current = nullptr;
    exchange.response = run->response.take_response();
    attach_stray(exchange, run->response.take_stray());
    exchange.received.clear();  // evidence is kept for errors only
    exchange.received_dropped = 0;
  } else {
    exchange.error = std::move(std::get<Failure>(end).message);
    drop_connection();
  }
  exchange.elapsed = clock.elapsed();
  return sent;
}

StrayBytes Http2Client::Impl::close() {
  if (connection && session) {
    // Tell the server, briefly; nothing it sends now is evidence of anything.
    nghttp2_session_terminate_session(session.get(), NGHTTP2_NO_ERROR);
    const TimePoint until = SteadyClock::now() + kGoodbyeTime;
    const uint8_t* data = nullptr;
    for (ssize_t n; (n = nghttp2_session_mem_send(session.get(), &data)) > 0;) {
      if (connection->write_all(view(data, static_cast<size_t>(n)), until).io != Io::ok) break;
    }
  }
  drop_connection();
  idle_frames.clear();
  idle_frames_dropped = 0;
  return {};
}

Http2Client::Http2Client(Url origin, ClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(origin), std::move(options))) {}
Http2Client::~Http2Client() = default;
Http2Client::Http2Client(Http2Client&&) noexcept = default;
Http2Client& Http2Client::operator=(Http2Client&&) noexcept = default;

const Url& Http2Client::origin() const {
  return impl_->origin;
}

Sent Http2Client::send(const Request& request) {
  try {
    return impl_->send(request);
  } catch (const std::exception& e) {  // only allocation can throw here
    impl_->drop_connection();
    Sent failed;
    failed.exchange.error = fmt::format("internal error: {}", e.what());
    return failed;
  }
}

StrayBytes Http2Client::close(std::chrono::milliseconds) {
  try {
    return impl_->close();
  } catch (const std::exception&) {  // only allocation can throw here
    impl_->drop_connection();
    return {};
  }
}

}  // namespace condspec
