#include "src/origin/content_coding.h"

#include <gtest/gtest.h>
#include <zlib.h>

namespace condspec {
namespace {

std::string gunzip(const std::string& coded) {
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 16) != Z_OK) return {};
  std::string plain(65536, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(coded.data()));
  stream.avail_in = static_cast<uInt>(coded.size());
  stream.next_out = reinterpret_cast<Bytef*>(plain.data());
  stream.avail_out = static_cast<uInt>(plain.size());
  const bool done = inflate(&stream, Z_FINISH) == Z_STREAM_END;
  plain.resize(stream.total_out);
  inflateEnd(&stream);
  return done ? plain : "(not gzip)";
}

TEST(ContentCodingTest, GzipIsDeterministicAndDecodes) {
  const std::string text(3000, 'x');
  const std::string coded = gzip_coded(text);
  ASSERT_GE(coded.size(), 10u);
  EXPECT_EQ(coded.substr(0, 2), "\x1f\x8b");
  EXPECT_EQ(coded, gzip_coded(text));  // no name, no time: the same bytes every time
  EXPECT_LT(coded.size(), text.size());
  EXPECT_EQ(gunzip(coded), text);
  EXPECT_EQ(gunzip(gzip_coded("")), "");
}

TEST(ContentCodingTest, AcceptEncodingSelectsGzip) {
  for (auto accepted :
       {"gzip", "gzip, br", "x-gzip", "GZIP", "br;q=1, gzip;q=0.5", "*", "identity, *;q=0.1"}) {
    EXPECT_TRUE(accepts_gzip(std::string(accepted))) << accepted;
  }
  for (auto refused : {"gzip;q=0", "br", "*;q=0", "identity", "gzip;q=0, *", "gzip;q=x", ""}) {
    EXPECT_FALSE(accepts_gzip(std::string(refused))) << refused;
  }
  EXPECT_FALSE(accepts_gzip(std::nullopt));
}

}  // namespace
}  // namespace condspec
