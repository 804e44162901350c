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
  // Over HTTP/2: the content is the DATA payload up to the frame that ends
  // the stream (RFC 9113 8.1), whatever content-length says.
  end_stream,
};

struct Response {
  std::string version;  // e.g. "HTTP/1.1", "HTTP/2"
  int status = 0;
  std::string reason;  // empty over HTTP/2, which has no reason phrase
  Fields fields;       // over HTTP/2 the regular fields as decoded, names as sent (lower case)
  Fields trailers;     // from a chunked body, or over HTTP/2 a HEADERS frame after the DATA
  // Over HTTP/1.1 the exact bytes of the status line and header section,
  // final CRLF CRLF included. Over HTTP/2, whose field sections travel
  // HPACK-compressed, a readable equivalent: the line "HTTP/2 <status>", then
  // each field of the final HEADERS as decoded, pseudo-header fields first,
  // one "name: value" line each (CR and LF in them shown as \r and \n), then
  // an empty line.
  std::string head;
  // Content after transfer decoding (de-chunked, never decompressed); over
  // HTTP/2 the DATA payload of the stream, unless the response cannot have
  // content (204, 304, HEAD): then DATA payload is the exchange's stray bytes.
  std::string content;
  // Content bytes no longer held: once a scenario is judged, a run keeps
  // only how many there were, as its reports show (src/engine/evidence.h).
  size_t content_dropped = 0;
  Framing framing = Framing::no_content;
  bool connection_close =
      false;  // the server said it will close, or it is HTTP/1.0 without keep-alive
  // Framing the parser accepted but that a conformant server would not send,
  // e.g. "both Transfer-Encoding and Content-Length (RFC 9112 6.3)".
  std::vector<std::string> framing_notes;

  // How many content bytes the response had, held or not.
  size_t content_size() const { return content.size() + content_dropped; }
};

// "404 Not Found", or "404" when there is no reason phrase (HTTP/2 has none).
inline std::string status_and_reason(const Response& response) {
  std::string text = std::to_string(response.status);
  if (!response.reason.empty()) text += " " + response.reason;
  return text;
}

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
  // Over HTTP/1.1 the exact bytes sent. Over HTTP/2 a readable equivalent
  // (field sections travel HPACK-compressed): the line "<method> <path>
  // HTTP/2", then each field of the HEADERS frame as sent, pseudo-header
  // fields first, one "name: value" line each, an empty line, and the
  // content sent in DATA frames; all lines end in CRLF.
  std::string request_bytes;
  std::optional<Response> response;  // absent when the exchange failed
  std::string error;                 // what went wrong; empty on success
  // The server ended the connection after the final response's whole head
  // but before the content its framing announced (Content-Length or chunks,
  // RFC 9112 6.3), e.g. a 416 saying Content-Length: 4096 followed by no
  // content: that head, with `content` holding what did arrive. The exchange
  // still failed (no `response`; `error` says how far the content got), but
  // checks of the status and fields alone can judge this head, while checks
  // of the content or its framing report the truncation
  // (src/cases/checks/check_spec.h).
  std::optional<Response> cut_short;
  // The final response's whole head came, but the content after it is not
  // the chunked coding the head announced (RFC 9112 7.1: e.g. "version 1"
  // where a chunk size was due), so it cannot be decoded: that head, with
  // `content` holding what was decoded before the failure. The exchange
  // failed as with cut_short, and is judged the same way: checks of the
  // status and fields judge the head, checks of the content say it cannot
  // be judged, and a check of the framing itself reports it
  // (src/cases/checks/check_spec.h). The bytes themselves are `received`.
  std::optional<Response> undecodable;
  // On error: the bytes seen (the first 64 KiB), as evidence; over HTTP/2
  // the bytes received on the connection during the exchange, frames and
  // all.
  std::string received;
  size_t received_dropped = 0;  // how many more bytes were seen beyond those kept
  // Bytes the server sent after the end of this response: for one that
  // cannot have content (304, 204, HEAD) a framing violation (RFC 9112 6.3).
  // Filled in when the connection is next used, or read until the server
  // closed it. Only the first 64 KiB are kept; stray_bytes_dropped counts
  // the bytes seen beyond that. Over HTTP/2 nothing can follow the end of a
  // stream, so they are the analogue within it: the DATA payload of a
  // response that cannot have content (RFC 9113 8.1.1), known as soon as the
  // stream ends. So the DATA payload of any HTTP/2 response is
  // content.size() + stray_bytes.size() + stray_bytes_dropped.
  std::string stray_bytes;
  size_t stray_bytes_dropped = 0;
  // True only when stray_bytes is conclusive: see wire_client.h for when
  // that is. The transport returns these three as a StrayBytes value while
  // it sends the next request (or closes), and the caller attaches it here
  // (src/http/stray_bytes.h). Over HTTP/2 the client sets them itself: the
  // evidence is conclusive once the server ended the stream (END_STREAM).
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
  // response head, `received` and the stray bytes. Over HTTP/2 every frame
  // sent and received while this exchange ran, on its stream and on the
  // connection (stream 0), including those that arrived since the exchange
  // before (a GOAWAY, a PING); received frames are recorded as their header
  // arrives, so frames the library then rejects are listed too. Capped:
  // frames_dropped counts those beyond the cap.
  std::vector<FrameRecord> frames;
  size_t frames_dropped = 0;

  bool ok() const { return response.has_value(); }
};

}  // namespace condspec
