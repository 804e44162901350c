#pragma once
// The reference origin's resources:
//   /strong    text, strong ETag, Last-Modified, byte ranges, Cache-Control,
//              Expires, Vary, Content-Location; with Accept-Encoding accepting
//              gzip, a gzip-coded variant with its own strong ETag
//   /weak      the same shape with a weak ETag, no Content-Location
//   /plain     no ETag and no Last-Modified, no byte ranges
//   /dated     Last-Modified and byte ranges but no ETag, as file servers with
//              entity tags turned off serve (Jetty's default, Go's FileServer)
//   /generated content generated per request (it names the request), with
//              a strong ETag computed from it, as an application computes
//              one from what it rendered; no Last-Modified, no byte ranges
//   /writable  whatever the last PUT stored, strong ETag from its content,
//              byte ranges, no caching fields; initially absent

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "src/core/clock.h"
#include "src/origin/representation.h"

namespace condspec {

inline constexpr std::string_view kWritablePath = "/writable";

// /strong, /weak, /plain, /dated and /generated: GET, HEAD and OPTIONS only.
bool is_static_resource(std::string_view path);
// Any of the six.
bool names_a_resource(std::string_view path);

// The representation of a static resource that a request selects: /strong
// has two variants, identity and gzip, chosen by Accept-Encoding, each with
// its own strong tag (8.8.3.3); the others are identity only. `request_number`
// counts the requests the origin answered: /generated names it in its content.
Representation static_representation(std::string_view path, bool gzip,
                                     std::uint64_t request_number = 0);

// What a PUT stored at /writable.
struct StoredWritable {
  std::string content;
  std::string content_type;
  Seconds modified;
  bool changed_twice_within_modified = false;  // two writes in that second
};

Representation writable_representation(const StoredWritable& stored);

}  // namespace condspec
