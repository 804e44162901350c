#pragma once
// The reference origin's request and reply as values, whatever the transport
// (HTTP/1.1 today; HTTP/2 and the upstream of a cache under test later): the
// responder turns an Incoming into a Reply, and a transport writes it. A Reply
// assumes nothing of HTTP/1.1's bytes except through its framing flags, which
// say where a fault asks for a message a conforming server never sends.

#include <string>

#include "src/http/fields.h"

namespace condspec {

// A request as the origin received it.
struct Incoming {
  std::string method;
  std::string path;     // the request target as received
  std::string version;  // "HTTP/1.1" or "HTTP/1.0"
  Fields fields;
  std::string body;
  // The connection it came on: numbered 1, 2, ... in the order the server
  // accepted them (one number per connection, never reused while the
  // process runs); 0 when the transport does not say.
  int connection = 0;
};

// Departures from the framing rules of RFC 9112 6 that a fault asks for.
// All false: the transport frames the reply as the protocol says.
struct ReplyFraming {
  // The content goes out with the chunked transfer coding (RFC 9112 7.1), in
  // one chunk and the last chunk; the transport adds Transfer-Encoding.
  bool chunked = false;
  // The content is written even where a message has none: after a response
  // to HEAD, a 204 or a 304 (RFC 9112 6.3).
  bool content_after_bodiless = false;
  // The connection ends without any response, as when a server's worker
  // dies; the rest of the reply is not sent.
  bool close_without_response = false;
};

struct Reply {
  int status = 200;
  // Every header field, exactly (the transport's own connection fields
  // aside). Content-Length among them is written as given, even when it
  // differs from the content (which is a fault's doing).
  Fields fields;
  std::string content;  // the bytes after the header section
  ReplyFraming framing;
};

}  // namespace condspec
