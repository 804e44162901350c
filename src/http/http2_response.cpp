#include "src/http/http2_response.h"

#include <fmt/format.h>

#include <charconv>

#include "src/core/text.h"
#include "src/http/http2_request.h"

namespace condspec {
namespace {

// RFC 9113 6.5.2: the size of a field in a field list.
constexpr size_t kFieldOverhead = 32;

bool is_connection_specific(std::string_view name) {
  for (std::string_view forbidden :
       {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"})
    if (iequals(name, forbidden)) return true;
  return false;
}

bool has_upper_case(std::string_view name) {
  for (char c : name)
    if (c >= 'A' && c <= 'Z') return true;
  return false;
}

std::optional<int> parse_status(std::string_view text) {
  if (text.size() != 3) return std::nullopt;
  int status = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    status = status * 10 + (c - '0');
  }
  if (status < 100) return std::nullopt;
  return status;
}

}  // namespace

Http2ResponseAssembler::Http2ResponseAssembler(std::string_view request_method,
                                               ResponseLimits limits)
    : method_(request_method), limits_(limits) {
  response_.version = "HTTP/2";
}

void Http2ResponseAssembler::begin_block() {
  block_fields_ = Fields{};
  block_text_.clear();
  block_status_.clear();
  block_has_status_ = false;
  block_bytes_ = 0;
}

Status Http2ResponseAssembler::field(std::string_view name, std::string_view value) {
  block_bytes_ += name.size() + value.size() + kFieldOverhead;
  if (block_bytes_ > limits_.max_head_bytes) {
    return Error{fmt::format("{} exceeds {} bytes",
                             final_head_ ? "trailer section" : "response header section",
                             limits_.max_head_bytes)};
  }
  block_text_ += http2_field_line(name, value);
  if (name == ":status") {
    if (!block_has_status_) block_status_ = std::string(value);
    block_has_status_ = true;
    return Ok{};
  }
  if (name.starts_with(':')) return Ok{};  // shown in the text, not a field
  block_fields_.add(std::string(name), std::string(value));
  return Ok{};
}

Status Http2ResponseAssembler::end_block() {
  if (final_head_) {
    // A trailer section (RFC 9113 8.1): fields only.
    trailers_seen_ = true;
    for (const auto& field : block_fields_) response_.trailers.add(field.name, field.value);
    return Ok{};
  }
  return end_head_block();
}

Status Http2ResponseAssembler::end_head_block() {
  if (!block_has_status_) return Error{"the response HEADERS carried no :status (RFC 9113 8.3.2)"};
  auto status = parse_status(block_status_);
  if (!status) return Error{fmt::format("invalid :status '{}'", printable(block_status_))};
  if (*status < 200) {
    // An interim response: the final one follows on the same stream.
    ++interim_responses_;
    interim_bytes_ += block_bytes_;
    if (interim_responses_ > limits_.max_interim_responses)
      return Error{
          fmt::format("more than {} interim (1xx) responses", limits_.max_interim_responses)};
    if (interim_bytes_ > limits_.max_interim_bytes)
      return Error{
          fmt::format("interim (1xx) responses exceed {} bytes", limits_.max_interim_bytes)};
    return Ok{};
  }
  final_head_ = true;
  response_.status = *status;
  response_.fields = std::move(block_fields_);
  response_.head = fmt::format("HTTP/2 {}\r\n{}\r\n", *status, block_text_);
  response_.framing = can_have_content() ? Framing::end_stream : Framing::no_content;
  note_head_fields();
  return Ok{};
}

Status Http2ResponseAssembler::data(std::string_view payload) {
  if (payload.empty()) return Ok{};
  if (!final_head_)
    return Error{fmt::format("DATA before the response HEADERS ({} byte{})", payload.size(),
                             payload.size() == 1 ? "" : "s")};
  data_bytes_ += payload.size();
  if (data_bytes_ > limits_.max_content_bytes)
    return Error{fmt::format("content exceeds {} bytes", limits_.max_content_bytes)};
  if (can_have_content()) {
    response_.content.append(payload);
  } else {
    record_stray(stray_, payload, StrayEnd::still_open);
  }
  return Ok{};
}

void Http2ResponseAssembler::end_stream() {
  if (ended_) return;
  ended_ = true;
  // Nothing can follow the end of a stream: the stray evidence is complete.
  if (final_head_) {
    record_stray(stray_, {}, StrayEnd::server_closed);
    note_content_length();
  }
}

std::string Http2ResponseAssembler::waiting_for() const {
  return final_head_ ? "the end of the stream" : "the response HEADERS";
}

Response Http2ResponseAssembler::take_response() {
  return std::move(response_);
}

StrayBytes Http2ResponseAssembler::take_stray() {
  return std::move(stray_);
}

bool Http2ResponseAssembler::can_have_content() const {
  return !(response_.status == 204 || response_.status == 304 || method_ == "HEAD");
}

void Http2ResponseAssembler::note_head_fields() {
  for (const auto& field : response_.fields) {
    if (is_connection_specific(field.name))
      response_.framing_notes.push_back(
          fmt::format("connection-specific field '{}' in an HTTP/2 response (RFC 9113 8.2.2)",
                      printable(field.name)));
    else if (has_upper_case(field.name))
      response_.framing_notes.push_back(
          fmt::format("field name '{}' not in lower case (RFC 9113 8.2.1)", printable(field.name)));
  }
}

// RFC 9113 8.1.1: content-length, when present, equals the DATA payload,
// except on a response that cannot have content.
void Http2ResponseAssembler::note_content_length() {
  if (!can_have_content()) return;
  auto announced = response_.fields.combined("content-length");
  if (!announced) return;
  uint64_t length = 0;
  std::string_view text = trim(*announced);
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), length);
  if (error != std::errc{} || end != text.data() + text.size()) {
    response_.framing_notes.push_back(
        fmt::format("content-length '{}' is not a number of bytes", printable(*announced)));
    return;
  }
  if (length != data_bytes_)
    response_.framing_notes.push_back(
        fmt::format("content-length {} but the DATA frames carried {} bytes (RFC 9113 8.1.1)",
                    length, data_bytes_));
}

}  // namespace condspec
