#pragma once
// How a Request goes out over HTTP/2: the field list of its HEADERS frame
// (RFC 9113 8.3.1) and the readable text that stands for it in the evidence
// (Exchange::request_bytes), since the frame itself is HPACK-compressed.

#include <string>

#include "src/core/result.h"
#include "src/http/fields.h"
#include "src/http/message.h"
#include "src/http/url.h"

namespace condspec {

struct Http2Request {
  // In the order sent: the pseudo-header fields :method, :scheme,
  // :authority, :path, then the request's own fields.
  Fields fields;
  std::string content;
  // "GET /path HTTP/2", each field as "name: value", an empty line and the
  // content; lines end in CRLF (see Exchange::request_bytes).
  std::string text;
};

// The HTTP/2 form of `request` to `origin`. :authority is the request's own
// Host value when it has one (then no host field is sent), else the
// origin's. Field names go in lower case (RFC 9113 8.2.1), each field line as
// a field of its own, in order: two If-None-Match lines are two fields. The
// connection-specific fields RFC 9113 8.2.2 forbids (Connection, Keep-Alive,
// Proxy-Connection, Transfer-Encoding, Upgrade, and TE other than
// "trailers") are left out, as an intermediary would. A content-length is
// added for content when the request has none. An error when the request
// cannot be said over HTTP/2 at all: another HTTP version, or a header
// section to be split over two writes.
Result<Http2Request> make_http2_request(const Request& request, const Url& origin);

// A field as it appears in the readable texts of HTTP/2 heads: CR and LF in
// it shown as \r and \n, so that every field stays one line.
std::string http2_field_line(std::string_view name, std::string_view value);

}  // namespace condspec
