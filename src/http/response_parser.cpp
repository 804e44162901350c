#include "src/http/response_parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "src/core/text.h"

namespace condspec {
namespace {

// Chunk-size lines are short; a long one is garbage, not a big chunk.
constexpr size_t kMaxChunkLineBytes = 4096;
// How much of an offending line a message quotes.
constexpr size_t kMaxQuotedBytes = 200;

std::string quote(std::string_view bytes) {
  return printable_prefix(bytes, kMaxQuotedBytes);
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_hex_digit(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

// Field values and reason phrases may hold HTAB, SP, VCHAR and obs-text;
// any other control byte (NUL, bare CR, DEL, ...) is invalid (RFC 9110 5.5).
const char* find_control_byte(std::string_view text) {
  for (const char& c : text) {
    auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && byte != '\t') || byte == 0x7f) return &c;
  }
  return nullptr;
}

// Parses 1*DIGIT; false when empty, not digits, or too large to matter.
bool parse_decimal(std::string_view text, size_t& value) {
  if (text.empty()) return false;
  value = 0;
  for (char c : text) {
    if (!is_digit(c)) return false;
    if (value > (SIZE_MAX - 9) / 10) {
      value = SIZE_MAX;  // saturates: bigger than any limit
    } else {
      value = value * 10 + static_cast<size_t>(c - '0');
    }
  }
  return true;
}

bool has_token(const Fields& fields, std::string_view name, std::string_view token) {
  for (const auto& value : fields.all(name)) {
    for (auto element : split(value, ',')) {
      if (iequals(trim(element), token)) return true;
    }
  }
  return false;
}

// The first bytes of an HTTP/2 server's connection preface: a SETTINGS frame
// (RFC 9113 3.4) on stream 0, without ACK, its length a multiple of 6. A
// server that speaks only HTTP/2 on a cleartext port sends it in answer to an
// HTTP/1.1 request, and no status line ever starts with a NUL byte.
// `maybe`: fewer bytes than a frame header, each what such a header has
// there; the parser then waits for the rest before reading a status line,
// so that whether it recognises the frame does not depend on how the bytes
// arrived.
enum class Http2Settings { no, maybe, yes };

Http2Settings http2_settings_header(std::string_view bytes) {
  constexpr size_t kFrameHeader = 9;
  if (bytes.empty()) return Http2Settings::no;
  auto byte = [&](size_t i) { return static_cast<unsigned char>(bytes[i]); };
  // The length's first byte is 0, so bytes 1 and 2 hold all of it.
  if (byte(0) != 0) return Http2Settings::no;
  if (bytes.size() >= 3 && ((size_t{byte(1)} << 8) | byte(2)) % 6 != 0) return Http2Settings::no;
  if (bytes.size() >= 4 && byte(3) != 0x04) return Http2Settings::no;  // type SETTINGS
  // Flags (no ACK) and the stream identifier (0).
  for (size_t i = 4; i < std::min(bytes.size(), kFrameHeader); ++i)
    if (byte(i) != 0) return Http2Settings::no;
  return bytes.size() >= kFrameHeader ? Http2Settings::yes : Http2Settings::maybe;
}

}  // namespace

ResponseParser::ResponseParser(std::string_view request_method, ResponseLimits limits)
    : method_(request_method), limits_(limits) {}

ResponseParser::State ResponseParser::feed(std::string_view bytes) {
  bytes_received_ += bytes.size();
  if (state_ == State::failed) return state_;
  buffer_.append(bytes);
  if (state_ == State::incomplete) {
    advance();
    // Keep the buffer small while parsing; once complete, what is left is
    // the leftover and stays.
    if (state_ == State::incomplete && pos_ > 0) {
      buffer_.erase(0, pos_);
      pos_ = 0;
    }
  }
  return state_;
}

ResponseParser::State ResponseParser::finish() {
  if (state_ != State::incomplete) return state_;
  closed_ = true;
  // Bytes held back as a possible HTTP/2 frame are read as lines after all.
  if (phase_ == Phase::head && !seen_status_) advance();
  if (state_ != State::incomplete) return state_;
  std::string_view pending = std::string_view(buffer_).substr(pos_);
  switch (phase_) {
    case Phase::until_close:
      complete();
      break;
    case Phase::head:
      if (bytes_received_ == 0) {
        fail("connection closed without a response");
      } else if (!seen_status_ && !pending.empty() &&
                 !std::string_view("HTTP/").starts_with(pending.substr(0, 5))) {
        fail(fmt::format("not an HTTP response: status line '{}'", quote(pending)));
      } else {
        fail(
            fmt::format("connection closed before the end of the response head ({} bytes received)",
                        bytes_received_));
      }
      break;
    case Phase::content_length:
      fail(fmt::format("connection closed after {} of {} content bytes", response_.content.size(),
                       content_length_));
      break;
    case Phase::chunk_size:
    case Phase::chunk_data:
    case Phase::chunk_data_end:
    case Phase::trailers:
      fail(fmt::format(
          "connection closed in the middle of chunked content ({} content bytes received)",
          response_.content.size()));
      break;
    case Phase::done:
      break;
  }
  return state_;
}

std::string_view ResponseParser::waiting_for() const {
  switch (phase_) {
    case Phase::head:
      return "the response head";
    case Phase::trailers:
      return "the trailer section";
    default:
      return "the content";
  }
}

std::string_view ResponseParser::leftover() const {
  if (state_ != State::complete) return {};
  return std::string_view(buffer_).substr(pos_);
}

void ResponseParser::fail(std::string message) {
  state_ = State::failed;
  error_ = std::move(message);
}

void ResponseParser::complete() {
  phase_ = Phase::done;
  state_ = State::complete;
}

bool ResponseParser::take_line(std::string_view& line, size_t& counter, size_t limit,
                               std::string_view what) {
  std::string_view pending = std::string_view(buffer_).substr(pos_);
  size_t end = pending.find('\n', scanned_);
  if (end == std::string_view::npos) {
    scanned_ = pending.size();
    if (counter + pending.size() > limit) fail(fmt::format("{} exceeds {} bytes", what, limit));
    return false;
  }
  size_t length = end + 1;
  if (counter + length > limit) {
    fail(fmt::format("{} exceeds {} bytes", what, limit));
    return false;
  }
  counter += length;
  line = pending.substr(0, length);  // raw, line ending included
  pos_ += length;
  scanned_ = 0;
  return true;
}

namespace {
// A line without its ending: LF, or CRLF (RFC 9112 2.2 lets a recipient
// accept a bare LF).
std::string_view content_of(std::string_view raw) {
  raw.remove_suffix(1);
  if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
  return raw;
}
}  // namespace

void ResponseParser::advance() {
  while (state_ == State::incomplete) {
    std::string_view pending = std::string_view(buffer_).substr(pos_);
    switch (phase_) {
      case Phase::head: {
        const Http2Settings settings =
            seen_status_ ? Http2Settings::no : http2_settings_header(pending);
        if (settings == Http2Settings::maybe && !closed_) return;
        if (settings == Http2Settings::yes) {
          fail(
              "not an HTTP/1.1 response: the server answered with an HTTP/2 SETTINGS frame, so it "
              "speaks HTTP/2 over cleartext with prior knowledge (h2c) on this port; judge it with "
              "--protocol h2c");
          return;
        }
        std::string_view raw;
        if (!take_line(raw, head_bytes_, limits_.max_head_bytes, "response head")) return;
        response_.head.append(raw);
        parse_head_line(content_of(raw));
        break;
      }
      case Phase::content_length:
      case Phase::chunk_data: {
        if (pending.empty()) return;
        size_t take = std::min(remaining_, pending.size());
        response_.content.append(pending.substr(0, take));
        pos_ += take;
        remaining_ -= take;
        if (remaining_ == 0) {
          if (phase_ == Phase::content_length) {
            complete();
          } else {
            phase_ = Phase::chunk_data_end;
          }
        }
        break;
      }
      case Phase::chunk_data_end: {
        if (pending.empty()) return;
        if (pending[0] == '\n') {
          pos_ += 1;
        } else if (pending[0] == '\r' && pending.size() == 1) {
          return;
        } else if (pending[0] == '\r' && pending[1] == '\n') {
          pos_ += 2;
        } else {
          fail("missing CRLF after chunk data");
          chunks_undecodable_ = true;
          return;
        }
        phase_ = Phase::chunk_size;
        break;
      }
      case Phase::chunk_size: {
        std::string_view raw;
        size_t line_bytes = 0;
        if (!take_line(raw, line_bytes, kMaxChunkLineBytes, "chunk size line")) {
          chunks_undecodable_ = state_ == State::failed;  // a line too long to be a size
          return;
        }
        parse_chunk_size(content_of(raw));
        break;
      }
      case Phase::trailers: {
        std::string_view raw;
        if (!take_line(raw, head_bytes_, limits_.max_head_bytes, "trailer section")) return;
        std::string_view line = content_of(raw);
        if (line.empty()) {
          complete();
        } else {
          parse_field_line(line, response_.trailers, "trailer section");
        }
        break;
      }
      case Phase::until_close: {
        if (pending.empty()) return;
        if (!add_content(pending)) return;
        pos_ += pending.size();
        break;
      }
      case Phase::done:
        return;
    }
  }
}

void ResponseParser::parse_head_line(std::string_view line) {
  if (!seen_status_) {
    parse_status_line(line);
    seen_status_ = true;
  } else if (line.empty()) {
    end_of_head();
  } else {
    parse_field_line(line, response_.fields, "response head");
  }
}

void ResponseParser::parse_status_line(std::string_view line) {
  // status-line = HTTP-version SP status-code SP [ reason-phrase ]
  if (!line.starts_with("HTTP/")) {
    fail(fmt::format("not an HTTP response: status line '{}'", quote(line)));
    return;
  }
  if (line.size() < 8 || !is_digit(line[5]) || line[6] != '.' || !is_digit(line[7]) ||
      (line.size() > 8 && line[8] != ' ')) {
    fail(fmt::format("invalid HTTP version in status line '{}'", quote(line)));
    return;
  }
  std::string_view version = line.substr(0, 8);
  if (line[5] != '1') {
    fail(fmt::format("unsupported HTTP version '{}' in status line '{}'", version, quote(line)));
    return;
  }
  std::string_view rest = line.substr(std::min<size_t>(9, line.size()));
  // The SP before an empty reason is often left out; accepting that loses
  // nothing, since the head is recorded exactly.
  if (rest.size() < 3 || !is_digit(rest[0]) || !is_digit(rest[1]) || !is_digit(rest[2]) ||
      (rest.size() > 3 && rest[3] != ' ')) {
    fail(fmt::format("invalid status code in status line '{}'", quote(line)));
    return;
  }
  int status = (rest[0] - '0') * 100 + (rest[1] - '0') * 10 + (rest[2] - '0');
  if (status < 100 || status > 599) {
    fail(fmt::format("invalid status code {} in status line '{}'", rest.substr(0, 3), quote(line)));
    return;
  }
  std::string_view reason = rest.size() > 4 ? rest.substr(4) : std::string_view{};
  if (const char* bad = find_control_byte(reason)) {
    fail(fmt::format("invalid byte 0x{:02x} in status line '{}'", static_cast<unsigned char>(*bad),
                     quote(line)));
    return;
  }
  response_.version = std::string(version);
  response_.status = status;
  response_.reason = std::string(reason);
}

bool ResponseParser::parse_field_line(std::string_view line, Fields& into,
                                      std::string_view section) {
  // field-line = field-name ":" OWS field-value OWS
  if (line.front() == ' ' || line.front() == '\t') {
    fail(fmt::format("obsolete line folding (obs-fold) in the {}: '{}'", section, quote(line)));
    return false;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) {
    fail(fmt::format("field line without colon in the {}: '{}'", section, quote(line)));
    return false;
  }
  std::string_view name = line.substr(0, colon);
  if (name.empty() || !std::all_of(name.begin(), name.end(), is_tchar)) {
    fail(fmt::format("invalid field name '{}' in the {}", quote(name), section));
    return false;
  }
  std::string_view value = trim(line.substr(colon + 1));
  if (const char* bad = find_control_byte(value)) {
    fail(fmt::format("invalid byte 0x{:02x} in field '{}' in the {}",
                     static_cast<unsigned char>(*bad), name, section));
    return false;
  }
  into.add(std::string(name), std::string(value));
  return true;
}

void ResponseParser::end_of_head() {
  int status = response_.status;
  if (status >= 100 && status < 200 && status != 101) {
    // An interim response: the final one follows on the same connection.
    ++interim_responses_;
    interim_bytes_ += head_bytes_;
    if (interim_responses_ > limits_.max_interim_responses) {
      fail(fmt::format("more than {} interim (1xx) responses", limits_.max_interim_responses));
      return;
    }
    if (interim_bytes_ > limits_.max_interim_bytes) {
      fail(fmt::format("interim (1xx) responses exceed {} bytes", limits_.max_interim_bytes));
      return;
    }
    response_ = Response{};
    head_bytes_ = 0;
    seen_status_ = false;
    return;
  }
  choose_framing();
}

void ResponseParser::choose_framing() {
  // RFC 9112 6.3, in its order.
  const Fields& fields = response_.fields;
  int status = response_.status;
  bool http10 = response_.version == "HTTP/1.0";
  response_.connection_close = has_token(fields, "Connection", "close") ||
                               (http10 && !has_token(fields, "Connection", "keep-alive")) ||
                               status == 101;

  if (status < 200 || status == 204 || status == 304 || method_ == "HEAD") {
    response_.framing = Framing::no_content;
    complete();
    return;
  }

  if (auto codings = fields.combined("Transfer-Encoding")) {
    frame_by_transfer_coding(*codings, http10);
  } else if (auto lengths = fields.all("Content-Length"); !lengths.empty()) {
    frame_by_content_length(lengths);
  } else {
    response_.framing = Framing::close_delimited;
    response_.connection_close = true;
    phase_ = Phase::until_close;
  }
}

void ResponseParser::frame_by_transfer_coding(std::string_view codings, bool http10) {
  const Fields& fields = response_.fields;
  // Decoded as 6.3 says anyway: what a recipient would do is what the
  // content check should see; the fault is recorded, not hidden.
  if (http10) {
    response_.framing_notes.emplace_back(
        "Transfer-Encoding in an HTTP/1.0 response (RFC 9112 6.1)");
    response_.connection_close = true;  // 6.1: faulty framing, close after it
  }
  if (fields.has("Content-Length")) {
    response_.framing_notes.emplace_back(
        "both Transfer-Encoding and Content-Length (RFC 9112 6.3)");
  }
  std::string_view last;
  for (auto coding : split(codings, ',')) {
    coding = trim(coding.substr(0, coding.find(';')));
    if (!coding.empty()) last = coding;
  }
  // Transfer-Encoding overrides Content-Length; with both present the
  // framing is suspect, so the connection is not reused either way.
  if (fields.has("Content-Length")) response_.connection_close = true;
  if (iequals(last, "chunked")) {
    response_.framing = Framing::chunked;
    phase_ = Phase::chunk_size;
  } else {
    response_.framing = Framing::close_delimited;
    response_.connection_close = true;
    phase_ = Phase::until_close;
  }
}

void ResponseParser::frame_by_content_length(const std::vector<std::string>& lengths) {
  std::vector<std::string> elements;
  bool conflicting = false;
  size_t length = 0;
  for (const auto& value : lengths) {
    for (auto element : split(value, ',')) {
      element = trim(element);
      size_t parsed = 0;
      if (!parse_decimal(element, parsed)) {
        fail(fmt::format("invalid Content-Length '{}'", quote(value)));
        return;
      }
      if (!elements.empty() && parsed != length) conflicting = true;
      length = parsed;
      elements.emplace_back(element);
    }
  }
  if (conflicting) {
    fail(fmt::format("conflicting Content-Length values: {}",
                     quote(fmt::format("{}", fmt::join(elements, ", ")))));
    return;
  }
  if (length > limits_.max_content_bytes) {
    fail(fmt::format("content exceeds {} bytes (Content-Length: {})", limits_.max_content_bytes,
                     elements.front()));
    return;
  }
  response_.framing = Framing::content_length;
  content_length_ = length;
  remaining_ = length;
  if (length == 0) {
    complete();
  } else {
    phase_ = Phase::content_length;
  }
}

void ResponseParser::parse_chunk_size(std::string_view line) {
  // chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF; chunk-ext starts
  // with BWS ";", and its content is ignored. Whitespace is allowed only in
  // that BWS: " 5" or "5 " without an extension is not a chunk size.
  size_t semicolon = line.find(';');
  std::string_view written = line.substr(0, semicolon);
  std::string_view size_text = written;
  if (semicolon != std::string_view::npos) {
    while (!size_text.empty() && (size_text.back() == ' ' || size_text.back() == '\t')) {
      size_text.remove_suffix(1);
    }
  }
  if (size_text.empty() || !std::all_of(size_text.begin(), size_text.end(), is_hex_digit)) {
    fail(fmt::format("invalid chunk size '{}'", quote(written)));
    chunks_undecodable_ = true;
    return;
  }
  size_t size = 0;
  bool too_big = false;
  for (char c : size_text) {
    if (size > (SIZE_MAX >> 4)) {
      too_big = true;
      break;
    }
    size = size * 16 + static_cast<size_t>(hex_value(c));
  }
  if (too_big || size > limits_.max_content_bytes - response_.content.size()) {
    fail(fmt::format("content exceeds {} bytes", limits_.max_content_bytes));
    return;
  }
  if (size == 0) {
    head_bytes_ = 0;  // now counts the trailer section
    phase_ = Phase::trailers;
  } else {
    remaining_ = size;
    phase_ = Phase::chunk_data;
  }
}

bool ResponseParser::add_content(std::string_view bytes) {
  if (bytes.size() > limits_.max_content_bytes - response_.content.size()) {
    fail(fmt::format("content exceeds {} bytes", limits_.max_content_bytes));
    return false;
  }
  response_.content.append(bytes);
  return true;
}

}  // namespace condspec
