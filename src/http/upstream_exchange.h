#pragma once
// One request a cache under test sent upstream, as the origin behind it read
// it, and the origin's answer: the evidence of the second hop of a cache run
// (`condspec cache`). The origin records these (src/origin/
// instrumented_origin.h); the upstream checks read them; reports show them
// beside the client's own exchanges.
//
// Unlike the client's exchanges, whose bytes condspec writes and reads
// itself, an upstream request is known as the origin's HTTP library parsed
// it: its fields in the order that library hands them out, its request line
// rebuilt. The answer is the origin's own, field for field.

#include <string>

#include "src/http/fields.h"
#include "src/http/message.h"

namespace condspec {

struct UpstreamExchange {
  Request request;    // method, target, version, fields and content, as received
  Response response;  // status, fields, content, and `head` rendered from them
  // Which connection the request came on: the origin numbers the
  // connections it accepts 1, 2, ... in the order their first request came;
  // 0 when unknown. Two requests with one number came on one connection.
  int connection = 0;
};

// The request as text, request line and fields, one per line, CRLF endings,
// then the empty line and the content: how reports show an upstream request.
std::string request_text(const Request& request);

// "HTTP/1.1 304 Not Modified\r\nName: value\r\n...\r\n": the head a response
// with these fields and this status has over HTTP/1.1.
std::string response_head_text(int status, const Fields& fields);

// The reason phrase RFC 9110 15 gives a status ("Not Modified"); empty for
// a status it does not name.
std::string reason_phrase(int status);

}  // namespace condspec
