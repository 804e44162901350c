#include "src/http/frame_scanner.h"

#include <gtest/gtest.h>

#include <string>

namespace condspec {
namespace {

std::string frame(uint8_t type, uint8_t flags, uint32_t stream, std::string payload) {
  std::string out;
  const size_t n = payload.size();
  out += static_cast<char>(n >> 16);
  out += static_cast<char>(n >> 8);
  out += static_cast<char>(n);
  out += static_cast<char>(type);
  out += static_cast<char>(flags);
  out += static_cast<char>(stream >> 24);
  out += static_cast<char>(stream >> 16);
  out += static_cast<char>(stream >> 8);
  out += static_cast<char>(stream);
  return out + payload;
}

bool same(const FrameRecord& a, const FrameRecord& b) {
  return a.sent == b.sent && a.type == b.type && a.flags == b.flags && a.length == b.length &&
         a.stream == b.stream;
}

TEST(FrameScanner, ReadsEveryFrameHeaderAsSentAndSkipsPayloads) {
  const std::string stream = frame(0x4, 0x0, 0, std::string(6, '\0')) +
                             frame(0x1, 0x04, 1, "\x88") +
                             frame(0x0, 0x41, 1, "hello") +  // an undefined flag bit too
                             frame(0x0, 0x01, 1, "") + frame(0xb, 0xff, 0x80000003u, "?");
  const std::vector<FrameRecord> expected = {{false, 0x4, 0x0, 6, 0},
                                             {false, 0x1, 0x04, 1, 1},
                                             {false, 0x0, 0x41, 5, 1},
                                             {false, 0x0, 0x01, 0, 1},
                                             {false, 0xb, 0xff, 1, 3}};  // reserved bit dropped
  // Whole, and one byte at a time: the same frames.
  for (size_t step : {stream.size(), size_t{1}, size_t{4}}) {
    FrameScanner scanner;
    std::vector<FrameRecord> seen;
    for (size_t at = 0; at < stream.size(); at += step) {
      auto more = scanner.take(std::string_view(stream).substr(at, step));
      seen.insert(seen.end(), more.begin(), more.end());
    }
    ASSERT_EQ(seen.size(), expected.size()) << "step " << step;
    for (size_t i = 0; i < seen.size(); ++i) EXPECT_TRUE(same(seen[i], expected[i])) << i;
  }
}

TEST(FrameScanner, ALongPayloadIsSkippedWithoutBeingKept) {
  FrameScanner scanner;
  auto first = scanner.take(frame(0x0, 0x0, 1, "").substr(0, 9).replace(0, 3, "\xff\xff\xff", 3));
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].length, 0xffffffu);
  EXPECT_TRUE(scanner.take(std::string(100000, 'x')).empty());  // still inside that payload
}

}  // namespace
}  // namespace condspec
