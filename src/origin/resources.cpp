// The reference origin's resources: see resources.h.

#include "src/origin/resources.h"

#include <fmt/format.h>

#include "src/origin/content_coding.h"

namespace condspec {
namespace {

using std::chrono::hours;

std::string reference_text(std::string_view name) {
  std::string text;
  for (int line = 1; line <= 32; ++line) {
    text += fmt::format("condspec reference origin {:<8} line {:02} of 32: conditional GET.\n",
                        name, line);
  }
  return text;
}

const Seconds kFixedLastModified =
    std::chrono::sys_days{std::chrono::year{2024} / 6 / 15} + hours{10};

// /weak last changed before the leap second at the end of 2016, so an
// If-Modified-Since at 23:59:60 that day is later than its Last-Modified.
const Seconds kArchivedLastModified =
    std::chrono::sys_days{std::chrono::year{2016} / 6 / 15} + hours{10};

}  // namespace

bool is_static_resource(std::string_view path) {
  return path == "/strong" || path == "/weak" || path == "/plain" || path == "/dated" ||
         path == "/generated";
}

bool names_a_resource(std::string_view path) {
  return is_static_resource(path) || path == kWritablePath;
}

Representation static_representation(std::string_view path, bool gzip,
                                     std::uint64_t request_number) {
  Representation r;
  r.cacheable = true;
  if (path == "/strong") {
    r.content = reference_text("strong");
    r.etag = EntityTag{.weak = false, .opaque = content_digest(r.content)};
    r.last_modified = kFixedLastModified;
    r.ranges_supported = true;
    r.content_location = "/strong";
    if (gzip) {
      r.identity_etag = r.etag;
      r.content = gzip_coded(r.content);
      r.etag = EntityTag{.weak = false, .opaque = content_digest(r.content)};
      r.content_encoding = "gzip";
    }
  } else if (path == "/weak") {
    r.content = reference_text("weak");
    r.etag = EntityTag{.weak = true, .opaque = content_digest(r.content)};
    r.last_modified = kArchivedLastModified;
    r.ranges_supported = true;
  } else if (path == "/dated") {
    r.content = reference_text("dated");
    r.last_modified = kFixedLastModified;
    r.ranges_supported = true;
  } else if (path == "/generated") {
    // Rendered anew for every request, like an application's page: nothing
    // a cache may keep, a tag that follows the content.
    r.content = reference_text("generated") +
                fmt::format("generated for request {:08}\n", request_number % 100000000);
    r.etag = EntityTag{.weak = false, .opaque = content_digest(r.content)};
    r.cacheable = false;
    r.generated_per_request = true;
  } else {  // "/plain"
    r.content = reference_text("plain");
  }
  return r;
}

Representation writable_representation(const StoredWritable& stored) {
  return {
      .content = stored.content,
      .content_type = stored.content_type,
      .etag = EntityTag{.opaque = content_digest(stored.content)},
      .last_modified = stored.modified,
      .ranges_supported = true,
      .cacheable = false,
      .changed_twice_within_last_modified = stored.changed_twice_within_modified,
      .written_by_client = true,
  };
}

}  // namespace condspec
