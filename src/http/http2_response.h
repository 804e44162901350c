#pragma once
// Builds the Response of one HTTP/2 stream from what libnghttp2 decodes:
// header blocks (HEADERS and their CONTINUATIONs) field by field, DATA
// payload, and the end of the stream. HTTP messaging checks are left to
// condspec (the client turns libnghttp2's off), so what a server sends is
// kept as evidence to be judged, not refused:
//   - interim (1xx) blocks are skipped, capped like HTTP/1.1's (number and
//     total size);
//   - the first block with a final :status is the response head; a block
//     after it is the trailer section;
//   - DATA payload is the content, unless the response cannot have any
//     (204, 304, or a response to HEAD): then it is kept as stray bytes,
//     the HTTP/2 analogue of bytes after such a response over HTTP/1.1
//     (RFC 9113 8.1.1; see Exchange::stray_bytes);
//   - what a conformant server would not send but that does not stop the
//     response from being judged is noted (Response::framing_notes): a
//     content-length that differs from the DATA payload, connection-specific
//     fields, field names in upper case.
// Only what makes a response impossible to judge is an error: no :status, a
// DATA frame before any head, or a limit exceeded.

#include <cstddef>
#include <string>
#include <string_view>

#include "src/core/result.h"
#include "src/http/message.h"
#include "src/http/response_parser.h"
#include "src/http/stray_bytes.h"

namespace condspec {

class Http2ResponseAssembler {
 public:
  // `request_method` decides whether the response can have content.
  explicit Http2ResponseAssembler(std::string_view request_method, ResponseLimits limits = {});

  void begin_block();
  // One decoded field of the current block. An error ends the exchange.
  Status field(std::string_view name, std::string_view value);
  // The current block is complete.
  Status end_block();
  // DATA payload of the stream.
  Status data(std::string_view payload);
  // The server ended the stream (END_STREAM on HEADERS or DATA).
  void end_stream();

  bool has_final_head() const { return final_head_; }
  bool ended() const { return ended_; }
  // For timeout messages: "the response HEADERS" or "the end of the
  // stream".
  std::string waiting_for() const;
  // DATA payload bytes received so far, content and stray alike.
  uint64_t data_bytes() const { return data_bytes_; }

  // The response: complete once ended().
  Response take_response();
  // The DATA payload of a response that cannot have content: conclusive
  // (checked) once the stream ended.
  StrayBytes take_stray();

 private:
  bool can_have_content() const;
  Status end_head_block();
  void note_head_fields();
  void note_content_length();

  std::string method_;
  ResponseLimits limits_;
  // The block being read.
  Fields block_fields_;     // regular fields, names as sent
  std::string block_text_;  // every field, pseudo-header fields included, as lines
  std::string block_status_;
  bool block_has_status_ = false;
  size_t block_bytes_ = 0;  // HPACK's measure: name + value + 32 per field (RFC 9113 6.5.2)
  // What the blocks and DATA added up to.
  size_t interim_responses_ = 0;
  size_t interim_bytes_ = 0;
  bool final_head_ = false;
  bool trailers_seen_ = false;
  bool ended_ = false;
  uint64_t data_bytes_ = 0;
  Response response_;
  StrayBytes stray_;
};

}  // namespace condspec
