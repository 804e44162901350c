// The gzip content coding and Accept-Encoding: see content_coding.h.

#include "src/origin/content_coding.h"

#include <zlib.h>

#include <charconv>

#include "src/core/text.h"

namespace condspec {

std::string gzip_coded(std::string_view content) {
  z_stream stream{};
  if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    return {};
  }
  std::string coded(deflateBound(&stream, content.size()) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(content.data()));
  stream.avail_in = static_cast<uInt>(content.size());
  stream.next_out = reinterpret_cast<Bytef*>(coded.data());
  stream.avail_out = static_cast<uInt>(coded.size());
  const bool done = deflate(&stream, Z_FINISH) == Z_STREAM_END;
  coded.resize(stream.total_out);
  deflateEnd(&stream);
  return done ? coded : std::string();
}

bool accepts_gzip(const std::optional<std::string>& accept_encoding) {
  if (!accept_encoding) return false;
  std::optional<double> gzip_q, any_q;
  for (auto member : split(*accept_encoding, ',')) {
    auto parts = split(member, ';');
    if (parts.empty()) continue;
    auto coding = trim(parts.front());
    double q = 1.0;
    for (size_t i = 1; i < parts.size(); ++i) {
      auto param = trim(parts[i]);
      if (param.size() < 2 || !iequals(param.substr(0, 2), "q=")) continue;
      auto digits = param.substr(2);
      auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), q);
      if (error != std::errc{}) q = 0;
    }
    if (iequals(coding, "gzip") || iequals(coding, "x-gzip")) gzip_q = q;
    if (coding == "*") any_q = q;
  }
  if (gzip_q) return *gzip_q > 0;
  return any_q && *any_q > 0;
}

}  // namespace condspec
