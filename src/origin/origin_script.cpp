// The scripted origin's answers: see origin_script.h.

#include "src/origin/origin_script.h"

#include <fmt/format.h>

#include <string>
#include <string_view>

#include "src/core/text.h"
#include "src/http/entity_tag.h"
#include "src/http/http_date.h"
#include "src/origin/replies.h"

namespace condspec {
namespace {

// Representation metadata a 304 leaves out (RFC 9110 15.4.5 lists what it
// carries; 8.6 and 6.4.1 say what would mislead), and the framing fields the
// transport writes itself.
bool is_content_metadata(std::string_view name) {
  for (std::string_view metadata : {"Content-Type", "Content-Length", "Content-Encoding",
                                    "Content-Language", "Content-Range", "Transfer-Encoding"})
    if (iequals(name, metadata)) return true;
  return false;
}

// The script's fields with Date first when the script does not set one.
Fields dated(const Fields& fields, Seconds now) {
  if (fields.has("Date")) return fields;
  Fields out;
  out.add("Date", format_imf_fixdate(now));
  for (const auto& field : fields) out.add(field.name, field.value);
  return out;
}

Reply full(const OriginScript& script, int status, bool head, Seconds now) {
  Reply reply{.status = status, .fields = dated(script.fields, now)};
  reply.fields.remove("Content-Length");
  reply.fields.add("Content-Length", std::to_string(script.content.size()));
  if (!head) reply.content = script.content;
  return reply;
}

// 14.2: one satisfiable range (206), 416 beyond the end, else the whole.
Reply ranged(const OriginScript& script, const Incoming& request, Seconds now,
             const ActiveFaults& faults) {
  const bool head = request.method == "HEAD";
  auto range =
      faults.read_range(request.fields.combined("Range").value_or(""), script.content.size());
  if (range.kind == RangeRequest::unsatisfiable) {
    Reply reply = bare_reply(416, now);
    reply.fields.add("Content-Range", fmt::format("bytes */{}", script.content.size()));
    return reply;
  }
  if (range.kind == RangeRequest::ignore) return full(script, 200, head, now);
  Reply reply{.status = 206, .fields = dated(script.fields, now)};
  reply.fields.remove("Content-Length");
  const std::string part = script.content.substr(range.first, range.last - range.first + 1);
  reply.fields.add("Content-Range",
                   fmt::format("bytes {}-{}/{}", range.first, range.last, script.content.size()));
  reply.fields.add("Content-Length", std::to_string(part.size()));
  if (!head) reply.content = part;
  return reply;
}

}  // namespace

Representation scripted_representation(const OriginScript& script, Seconds now) {
  Representation r;
  r.content = script.content;
  if (const auto* type = script.fields.find("Content-Type")) r.content_type = *type;
  if (auto etag = script.fields.combined("ETag")) r.etag = parse_entity_tag(trim(*etag));
  if (auto modified = script.fields.combined("Last-Modified"))
    r.last_modified = parse_http_date(trim(*modified), now);
  auto ranges = script.fields.combined("Accept-Ranges");
  r.ranges_supported = ranges && iequals(trim(*ranges), "bytes");
  return r;
}

Fields not_modified_fields(const OriginScript& script, Seconds now) {
  if (script.not_modified_fields) return dated(*script.not_modified_fields, now);
  Fields out;
  for (const auto& field : dated(script.fields, now))
    if (!is_content_metadata(field.name)) out.add(field.name, field.value);
  return out;
}

Reply answer_scripted(const OriginScript& script, const Incoming& request, Seconds now,
                      const ActiveFaults& faults) {
  if (request.method != "GET" && request.method != "HEAD") {
    Reply reply = allow_reply(405, "GET, HEAD", now);
    faults.reshape_reply(reply, {.request = request, .now = now});
    return reply;
  }
  const bool head = request.method == "HEAD";
  const Representation r = scripted_representation(script, now);
  if (script.status != 200) {  // 13.2.1: preconditions only where the answer would be 2xx
    Reply reply = full(script, script.status, head, now);
    faults.reshape_reply(reply, {.request = request, .selected = &r, .now = now});
    return reply;
  }
  const Decision evaluated = faults.evaluate(request.method, request.fields, state_of(&r, now));
  Reply reply;
  switch (faults.override_decision(evaluated, request, &r)) {
    case Decision::precondition_failed:
      reply = bare_reply(412, now);
      break;
    case Decision::not_modified:
      reply = Reply{.status = 304, .fields = not_modified_fields(script, now)};
      break;
    case Decision::partial:
      reply = ranged(script, request, now, faults);
      break;
    case Decision::proceed:
      reply = full(script, 200, head, now);
      break;
  }
  faults.reshape_reply(reply,
                       {.request = request, .selected = &r, .evaluated = evaluated, .now = now});
  return reply;
}

}  // namespace condspec
