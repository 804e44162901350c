#pragma once
// What goes over the wire in one exchange, recorded as evidence. The wire
// client fills these; checks and reports only read them.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/http/fields.h"

namespace condspec {

struct Request {
  std::string method = "GET";
  std::string target = "/";  // origin-form: path and query
  std::string version = "HTTP/1.1";
  // Fields in the order they are sent. The client adds Host (unless present)
  // and nothing else: what a scenario sends is exactly what it says.
  Fields fields;
  std::string body;
  // When set, the header section goes out in two writes: the second begins
  // with the first field line of this name (compared without regard to
  // case) and is written `split_pause` after the first, unless the server
  // began to answer or closed the connection meanwhile (RFC 9110 5.3: it must
  // wait for the whole header section). No such field: one write.
  std::string split_before;
  std::chrono::milliseconds split_pause{0};
};

// How the end of the response content was found (RFC 9112 6.3).
enum class Framing {
  no_content,       // 1xx/204/304 or a response to HEAD: ends at the empty line
  content_length,   // Content-Length
  chunked,          // Transfer-Encoding ending in chunked
  close_delimited,  // neither: content runs until the server closes
};

struct Response {
  std::string version;  // e.g. "HTTP/1.1"
  int status = 0;
  std::string reason;
  Fields fields;
  Fields trailers;   // from a chunked body, if any
  std::string head;  // exact bytes of the status line and header section, final CRLF CRLF included
  std::string content;  // content after transfer decoding (de-chunked, never decompressed)
  Framing framing = Framing::no_content;
  bool connection_close =
      false;  // the server said it will close, or it is HTTP/1.0 without keep-alive
  // Framing the parser accepted but that a conformant server would not send,
  // e.g. "both Transfer-Encoding and Content-Length (RFC 9112 6.3)".
  std::vector<std::string> framing_notes;
};

// One frame of a framed protocol (HTTP/2, RFC 9113 4.1), as evidence: its
// header, and whether condspec sent it or received it. Payloads that matter
// (field sections, content) are in the Request and Response as over
// HTTP/1.1.
struct FrameRecord {
  bool sent = false;
  uint8_t type = 0;
  uint8_t flags = 0;
  uint32_t length = 0;
  uint32_t stream = 0;
};

struct Exchange {
  std::string request_bytes;         // exact bytes sent
  std::optional<Response> response;  // absent when the exchange failed
  std::string error;                 // what went wrong; empty on success
  std::string received;              // on error: the bytes seen (the first 64 KiB), as evidence
  size_t received_dropped = 0;       // how many more bytes were seen beyond those kept
  // Bytes the server sent after the end of this response: for one that
  // cannot have content (304, 204, HEAD) a framing violation (RFC 9112 6.3).
  // Filled in when the connection is next used, or read until the server
  // closed it. Only the first 64 KiB are kept; stray_bytes_dropped counts
  // the bytes seen beyond that.
  std::string stray_bytes;
  size_t stray_bytes_dropped = 0;
  // True only when stray_bytes is conclusive: see wire_client.h for when
  // that is. The transport returns these three as a StrayBytes value while
  // it sends the next request (or closes), and the caller attaches it here
  // (src/http/stray_bytes.h).
  bool stray_checked = false;
  // The request was written whole and the server ended the connection
  // (close or reset) before sending a single byte of a response: it dropped
  // the request rather than answer it. On a reused connection this is only
  // set after the one retry on a new connection.
  bool closed_without_response = false;
  // A split request (Request::split_before): how many bytes of
  // request_bytes the first write held; 0 when the request went out whole.
  size_t first_write_bytes = 0;
  // The server began its response, or ended the connection, before the
  // second write of a split request: the rest was never sent, so
  // request_bytes holds only the first write, and the connection is not
  // used again.
  bool answered_before_request_end = false;
  std::chrono::microseconds elapsed{0};
  // Over a framed protocol: every frame of this exchange, in wire order.
  // Empty over HTTP/1.1, whose framing evidence is request_bytes, the
  // response head, `received` and the stray bytes.
  std::vector<FrameRecord> frames;

  bool ok() const { return response.has_value(); }
};

}  // namespace condspec
