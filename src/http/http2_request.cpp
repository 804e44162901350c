#include "src/http/http2_request.h"

#include <fmt/format.h>

#include "src/core/text.h"

namespace condspec {
namespace {

bool is_connection_specific(std::string_view name, std::string_view value) {
  for (std::string_view forbidden :
       {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"})
    if (iequals(name, forbidden)) return true;
  return iequals(name, "te") && !iequals(trim(value), "trailers");
}

std::string one_line(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\r')
      out += "\\r";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

}  // namespace

std::string http2_field_line(std::string_view name, std::string_view value) {
  return one_line(name) + ": " + one_line(value) + "\r\n";
}

Result<Http2Request> make_http2_request(const Request& request, const Url& origin) {
  if (request.version != "HTTP/1.1") {
    return Error{fmt::format(
        "an {} request cannot be sent over HTTP/2, which has no version of its own to announce",
        printable(request.version))};
  }
  if (!request.split_before.empty()) {
    return Error{
        "a header section split over two writes cannot be sent over HTTP/2, whose field section "
        "travels whole in HEADERS frames"};
  }
  Http2Request out;
  const std::string* host = request.fields.find("Host");
  out.fields.add(":method", request.method);
  out.fields.add(":scheme", origin.scheme);
  out.fields.add(":authority", host ? *host : origin.authority());
  out.fields.add(":path", request.target);
  for (const auto& field : request.fields) {
    if (iequals(field.name, "Host") || is_connection_specific(field.name, field.value)) continue;
    out.fields.add(to_lower(field.name), field.value);
  }
  if (!request.body.empty() && !request.fields.has("Content-Length"))
    out.fields.add("content-length", std::to_string(request.body.size()));
  out.content = request.body;
  out.text = fmt::format("{} {} HTTP/2\r\n", one_line(request.method), one_line(request.target));
  for (const auto& field : out.fields) out.text += http2_field_line(field.name, field.value);
  out.text += "\r\n";
  out.text += request.body;
  return out;
}

}  // namespace condspec
