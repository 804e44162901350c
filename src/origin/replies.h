#pragma once
// The replies the reference origin builds, as RFC 9110 says they look: the
// fields a 200 carries, 304, 206, 416, and the bare status replies. Pure
// functions of the representation and the time; faults reshape the result
// afterwards (faults.h), never in here.

#include <string_view>

#include "src/core/clock.h"
#include "src/http/fields.h"
#include "src/origin/ranges.h"
#include "src/origin/representation.h"
#include "src/origin/request_reply.h"

namespace condspec {

// A status with Date and, except for 204, Content-Length: 0.
Reply bare_reply(int status, Seconds now);

// A bare reply with Allow listing `methods` (204 to OPTIONS, 405).
Reply allow_reply(int status, std::string_view methods, Seconds now);

// The fields a 200 to GET carries, in order, without Content-Length.
Fields representation_fields(const Representation& r, Seconds now);

// 200 with the representation; to HEAD, the same head without content.
Reply full_reply(const Representation& r, bool head, Seconds now);

// 206 with one satisfiable byte range (15.3.7): the fields a 200 would carry;
// when it answers If-Range the client already has the representation's
// metadata, so beyond the required fields (Date, Cache-Control, ETag,
// Expires, Content-Location, Vary) it leaves out Content-Type and
// Last-Modified.
Reply partial_reply(const Representation& r, const RangeRequest& range, bool answers_if_range,
                    bool head, Seconds now);

// 15.4.5: exactly the fields a 200 would carry among Content-Location, Date,
// ETag, Vary, Cache-Control and Expires, plus Last-Modified; no other content
// metadata, and no content.
Reply not_modified_reply(const Representation& r, Seconds now);

// 416 with Content-Range: bytes */length (14.4, 15.5.17).
Reply range_not_satisfiable_reply(const Representation& r, Seconds now);

}  // namespace condspec
