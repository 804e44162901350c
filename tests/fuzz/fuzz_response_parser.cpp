// Fuzzes the response parser and framer (src/http/response_parser.h) with
// what a hostile server could send, cut into arbitrary pieces.
//
// Input: byte 0 chooses the request method and the limits ('G' GET, 'H'
// HEAD; lowercase 'g' / 'h' use tiny limits so that the limit paths are
// reached with small inputs); byte 1 seeds the choice of split points; the
// rest is what the server sends, then it closes the connection.
//
// Properties: no crash, leak or UB; the outcome does not depend on how the
// bytes were split (whole, random pieces, one byte at a time); a complete
// response respects the limits and the method; every error message is
// printable ASCII (it ends up in terminals and reports).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "src/http/response_parser.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using condspec::Response;
using condspec::ResponseLimits;
using condspec::ResponseParser;

struct Outcome {
  ResponseParser::State state;
  std::string error;
  Response response;
  std::string leftover;
  size_t bytes_received;
};

bool same(const Response& a, const Response& b) {
  return a.version == b.version && a.status == b.status && a.reason == b.reason &&
         a.fields == b.fields && a.trailers == b.trailers && a.head == b.head &&
         a.content == b.content && a.framing == b.framing &&
         a.connection_close == b.connection_close && a.framing_notes == b.framing_notes;
}

// Feeds `bytes` in pieces whose sizes come from `next_size`, then closes.
template <class NextSize>
Outcome parse(std::string_view method, ResponseLimits limits, std::string_view bytes,
              NextSize next_size) {
  ResponseParser parser(method, limits);
  while (!bytes.empty()) {
    const size_t size = std::min(bytes.size(), next_size());
    parser.feed(bytes.substr(0, size));
    bytes.remove_prefix(size);
  }
  parser.finish();
  return {parser.state(), parser.error(), parser.response(), std::string(parser.leftover()),
          parser.bytes_received()};
}

bool printable_ascii(std::string_view text) {
  for (unsigned char c : text)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const bool head = (data[0] & 0x01) == 0;  // 'H' / 'h'
  const bool tiny = (data[0] & 0x20) != 0;  // lowercase
  uint32_t seed = data[1];
  const std::string_view method = head ? "HEAD" : "GET";
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 2, size - 2);
  ResponseLimits limits;
  if (tiny) limits = {.max_head_bytes = 128, .max_content_bytes = 64};

  const Outcome whole = parse(method, limits, bytes, [&] { return bytes.size(); });
  const Outcome pieces = parse(method, limits, bytes, [&] {
    seed = seed * 1103515245u + 12345u;  // any cheap deterministic sequence will do
    const uint32_t r = (seed >> 16) & 0x7fff;
    return static_cast<size_t>(r % 8 == 0 ? r % 512 + 1 : r % 7 + 1);
  });

  FUZZ_CHECK(whole.bytes_received == bytes.size());
  FUZZ_CHECK(whole.state != ResponseParser::State::incomplete);  // finish() decides
  FUZZ_CHECK(whole.state == pieces.state);
  FUZZ_CHECK(whole.error == pieces.error);
  FUZZ_CHECK(whole.leftover == pieces.leftover);
  FUZZ_CHECK(whole.bytes_received == pieces.bytes_received);
  if (bytes.size() <= 4096) {  // one byte at a time: the dripping server
    const Outcome drip = parse(method, limits, bytes, [] { return size_t{1}; });
    FUZZ_CHECK(whole.state == drip.state);
    FUZZ_CHECK(whole.error == drip.error);
    FUZZ_CHECK(whole.leftover == drip.leftover);
    if (whole.state == ResponseParser::State::complete)
      FUZZ_CHECK(same(whole.response, drip.response));
  }

  if (whole.state == ResponseParser::State::failed) {
    FUZZ_CHECK(!whole.error.empty());
    FUZZ_CHECK(printable_ascii(whole.error));
    return 0;
  }
  FUZZ_CHECK(whole.error.empty());
  FUZZ_CHECK(same(whole.response, pieces.response));
  const Response& r = whole.response;
  FUZZ_CHECK(r.status >= 100 && r.status <= 599);
  FUZZ_CHECK(r.head.size() <= limits.max_head_bytes);
  FUZZ_CHECK(r.content.size() <= limits.max_content_bytes);
  FUZZ_CHECK(bytes.find(r.head) != std::string_view::npos);
  FUZZ_CHECK(bytes.ends_with(whole.leftover));
  if (head) FUZZ_CHECK(r.framing == condspec::Framing::no_content && r.content.empty());
  if (r.framing == condspec::Framing::no_content) FUZZ_CHECK(r.content.empty());
  return 0;
}
