#pragma once
// An incremental HTTP/1.x response parser that frames the content itself
// (RFC 9112 6.3) and records the exact bytes of the head, so that what a
// server put on the wire is evidence rather than something smoothed over.
//
// Feed it bytes as they arrive; it stops at the end of one final response
// (interim 1xx responses other than 101 are skipped, up to a limit in
// number and in size: see ResponseLimits) and keeps whatever came after it
// as leftover: after a 304 or a HEAD response those bytes are a framing
// violation, or simply the next response on a kept-alive connection.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "src/http/fields.h"
#include "src/http/message.h"

namespace condspec {

struct ResponseLimits {
  size_t max_head_bytes = 64 * 1024;  // per head, and for the trailer section
  size_t max_content_bytes = 8 * 1024 * 1024;
  // Interim (1xx) responses before the final one: how many, and how many
  // bytes all their heads may have together. Each head also has the limit
  // above, which starts again with every head.
  size_t max_interim_responses = 32;
  size_t max_interim_bytes = 64 * 1024;
};

class ResponseParser {
 public:
  enum class State { incomplete, complete, failed };

  // `request_method` decides whether the response can have content (HEAD
  // cannot).
  explicit ResponseParser(std::string_view request_method, ResponseLimits limits = {});

  // Parses the next bytes from the connection. Once the response is complete
  // further bytes are only kept (see leftover()); once failed, ignored.
  State feed(std::string_view bytes);
  // The server closed the connection: completes close-delimited content, or
  // fails with a message saying how far the response got.
  State finish();

  State state() const { return state_; }
  // Why parsing failed; empty unless state() is failed.
  const std::string& error() const { return error_; }
  // What the parser is waiting for, for timeout messages: "the response
  // head" or "the content".
  std::string_view waiting_for() const;
  // The final response's head is parsed, so its framing is known; what is
  // left is its content, if any. Interim (1xx) heads do not count.
  bool has_final_head() const { return phase_ != Phase::head; }
  // Failed on the chunked coding itself, after the final head: a chunk-size
  // line that is not one (RFC 9112 7.1), or chunk data not followed by CRLF,
  // as when a server says Transfer-Encoding: chunked and sends the content
  // unchunked. Not when the content exceeds its cap, which says nothing of
  // the framing.
  bool chunks_undecodable() const { return chunks_undecodable_; }
  // All bytes fed so far, leftover included.
  size_t bytes_received() const { return bytes_received_; }

  // The final response; complete only when state() is complete.
  const Response& response() const { return response_; }
  Response take_response() { return std::move(response_); }
  // Bytes fed after the end of the complete response.
  std::string_view leftover() const;

 private:
  enum class Phase {
    head,
    content_length,
    chunk_size,
    chunk_data,
    chunk_data_end,
    trailers,
    until_close,
    done,
  };

  void advance();
  // Takes the next complete line (ending included) if there is one, failing
  // when `counter` plus its length would exceed `limit`.
  bool take_line(std::string_view& line, size_t& counter, size_t limit, std::string_view what);
  void fail(std::string message);
  void parse_head_line(std::string_view line);
  void parse_status_line(std::string_view line);
  bool parse_field_line(std::string_view line, Fields& into, std::string_view section);
  void end_of_head();
  void choose_framing();
  void frame_by_transfer_coding(std::string_view codings, bool http10);
  void frame_by_content_length(const std::vector<std::string>& lengths);
  void parse_chunk_size(std::string_view line);
  bool add_content(std::string_view bytes);
  void complete();

  std::string method_;
  ResponseLimits limits_;
  State state_ = State::incomplete;
  Phase phase_ = Phase::head;
  std::string error_;
  std::string buffer_;  // bytes not yet parsed, from pos_
  size_t pos_ = 0;
  size_t scanned_ = 0;  // bytes after pos_ known to hold no line end
  size_t bytes_received_ = 0;
  size_t head_bytes_ = 0;  // of the current head, or of the trailer section
  size_t interim_responses_ = 0;
  size_t interim_bytes_ = 0;  // of all interim heads so far
  bool seen_status_ = false;  // the current head's status line was parsed
  // The connection has closed (finish()): the bytes held are all there is.
  bool closed_ = false;
  size_t remaining_ = 0;  // of the content (Content-Length) or the chunk
  size_t content_length_ = 0;
  bool chunks_undecodable_ = false;
  Response response_;
};

}  // namespace condspec
