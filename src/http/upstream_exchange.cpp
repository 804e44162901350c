// The upstream hop's evidence as text: see upstream_exchange.h.

#include "src/http/upstream_exchange.h"

#include <fmt/format.h>

namespace condspec {

std::string request_text(const Request& request) {
  std::string out = fmt::format("{} {} {}\r\n", request.method, request.target, request.version);
  for (const auto& field : request.fields)
    out += fmt::format("{}: {}\r\n", field.name, field.value);
  out += "\r\n";
  out += request.body;
  return out;
}

std::string response_head_text(int status, const Fields& fields) {
  const std::string reason = reason_phrase(status);
  std::string out = reason.empty() ? fmt::format("HTTP/1.1 {}\r\n", status)
                                   : fmt::format("HTTP/1.1 {} {}\r\n", status, reason);
  for (const auto& field : fields) out += fmt::format("{}: {}\r\n", field.name, field.value);
  return out + "\r\n";
}

std::string reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 412:
      return "Precondition Failed";
    case 416:
      return "Range Not Satisfiable";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "";
  }
}

}  // namespace condspec
