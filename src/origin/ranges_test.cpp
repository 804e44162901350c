#include "src/origin/ranges.h"

#include <gtest/gtest.h>

namespace condspec {
namespace {

constexpr auto ignore = RangeRequest::ignore;
constexpr auto unsatisfiable = RangeRequest::unsatisfiable;
constexpr auto single = RangeRequest::single;

TEST(RangesTest, OneRangeOfBytes) {
  EXPECT_EQ(parse_range("bytes=0-9", 2144), (RangeRequest{single, 0, 9}));
  EXPECT_EQ(parse_range("bytes=2140-", 2144), (RangeRequest{single, 2140, 2143}));
  EXPECT_EQ(parse_range("bytes=2000-9999", 2144), (RangeRequest{single, 2000, 2143}));
  EXPECT_EQ(parse_range(" BYTES=0-0 ", 2144), (RangeRequest{single, 0, 0}));
  EXPECT_EQ(parse_range("bytes= 5-6 ,", 2144), (RangeRequest{single, 5, 6}));
}

TEST(RangesTest, SuffixRanges) {
  EXPECT_EQ(parse_range("bytes=-3", 2144), (RangeRequest{single, 2141, 2143}));
  EXPECT_EQ(parse_range("bytes=-5000", 2144), (RangeRequest{single, 0, 2143}));
  EXPECT_EQ(parse_range("bytes=-0", 2144).kind, unsatisfiable);
  EXPECT_EQ(parse_range("bytes=-1", 0).kind, unsatisfiable);
}

TEST(RangesTest, UnsatisfiableWhenTheFirstByteIsBeyondTheEnd) {
  EXPECT_EQ(parse_range("bytes=2144-", 2144).kind, unsatisfiable);
  EXPECT_EQ(parse_range("bytes=9999-10000", 2144).kind, unsatisfiable);
  EXPECT_EQ(parse_range("bytes=0-", 0).kind, unsatisfiable);
}

TEST(RangesTest, AnythingElseIsIgnored) {
  for (auto value : {"bytes=0-1,3-4", "bytes=5-2", "bytes=abc", "items=0-1", "",
                     "bytes=", "bytes=0-x", "bytes=1", "bytes=+1-2", "bytes=-"}) {
    EXPECT_EQ(parse_range(value, 2144).kind, ignore) << value;
  }
}

TEST(RangesTest, BytesUnit) {
  EXPECT_TRUE(is_bytes_range("bytes=0-0"));
  EXPECT_TRUE(is_bytes_range(" Bytes=abc"));
  EXPECT_FALSE(is_bytes_range("items=0-0"));
  EXPECT_FALSE(is_bytes_range("bytes"));
  EXPECT_FALSE(is_bytes_range(std::nullopt));
}

}  // namespace
}  // namespace condspec
