// The replies as RFC 9110 says they look: see replies.h.

#include "src/origin/replies.h"

#include <fmt/format.h>

#include <string>

#include "src/http/http_date.h"

namespace condspec {

using std::chrono::seconds;

Reply bare_reply(int status, Seconds now) {
  Reply reply{.status = status};
  reply.fields.add("Date", format_imf_fixdate(now));
  if (status != 204) reply.fields.add("Content-Length", "0");
  return reply;
}

Reply allow_reply(int status, std::string_view methods, Seconds now) {
  Reply reply = bare_reply(status, now);
  reply.fields.add("Allow", std::string(methods));
  return reply;
}

Fields representation_fields(const Representation& r, Seconds now) {
  Fields fields;
  fields.add("Date", format_imf_fixdate(now));
  if (auto lm = effective_last_modified(r, now)) {
    fields.add("Last-Modified", format_imf_fixdate(*lm));
  }
  if (r.etag) fields.add("ETag", r.etag->str());
  if (r.cacheable) {
    fields.add("Cache-Control", "max-age=60");
    fields.add("Expires", format_imf_fixdate(now + seconds{60}));
    fields.add("Vary", "Accept-Encoding");
  }
  if (r.content_location) fields.add("Content-Location", *r.content_location);
  fields.add("Accept-Ranges", r.ranges_supported ? "bytes" : "none");
  fields.add("Content-Type", r.content_type);
  if (r.content_encoding) fields.add("Content-Encoding", *r.content_encoding);
  return fields;
}

Reply full_reply(const Representation& r, bool head, Seconds now) {
  Reply reply{.status = 200, .fields = representation_fields(r, now)};
  reply.fields.add("Content-Length", std::to_string(r.content.size()));
  if (!head) reply.content = r.content;
  return reply;
}

Reply partial_reply(const Representation& r, const RangeRequest& range, bool answers_if_range,
                    bool head, Seconds now) {
  Reply reply{.status = 206, .fields = representation_fields(r, now)};
  if (answers_if_range) {
    reply.fields.remove("Content-Type");
    reply.fields.remove("Last-Modified");
  }
  reply.fields.add("Content-Range",
                   fmt::format("bytes {}-{}/{}", range.first, range.last, r.content.size()));
  const std::string part = r.content.substr(range.first, range.last - range.first + 1);
  reply.fields.add("Content-Length", std::to_string(part.size()));
  if (!head) reply.content = part;
  return reply;
}

Reply not_modified_reply(const Representation& r, Seconds now) {
  Reply reply{.status = 304};
  const Fields full = representation_fields(r, now);
  for (auto name :
       {"Date", "Last-Modified", "ETag", "Cache-Control", "Expires", "Vary", "Content-Location"}) {
    if (const auto* value = full.find(name)) reply.fields.add(name, *value);
  }
  return reply;
}

Reply range_not_satisfiable_reply(const Representation& r, Seconds now) {
  Reply reply = bare_reply(416, now);
  reply.fields.add("Content-Range", fmt::format("bytes */{}", r.content.size()));
  return reply;
}

}  // namespace condspec
