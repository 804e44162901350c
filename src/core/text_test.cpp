#include "src/core/text.h"

#include <gtest/gtest.h>

namespace condspec {

TEST(Text, IEqualsIgnoresAsciiCaseOnly) {
  EXPECT_TRUE(iequals("If-None-Match", "if-none-match"));
  EXPECT_FALSE(iequals("ETag", "ETags"));
  EXPECT_FALSE(iequals("a", "b"));
}

TEST(Text, TrimRemovesOnlySpaceAndTab) {
  EXPECT_EQ(trim(" \t\"x\" \t"), "\"x\"");
  EXPECT_EQ(trim("\r\"x\""), "\r\"x\"");
  EXPECT_EQ(trim("   "), "");
}

TEST(Text, SplitKeepsEmptyElements) {
  auto parts = split(",a,,b,", ',');
  ASSERT_EQ(parts.size(), 5u);
  EXPECT_EQ(parts[0], "");
  EXPECT_EQ(parts[1], "a");
  EXPECT_EQ(parts[2], "");
  EXPECT_EQ(parts[3], "b");
  EXPECT_EQ(parts[4], "");
}

TEST(Text, PrintableEscapesControlAndHighBytes) {
  EXPECT_EQ(printable("HTTP/1.1 304\r\n\x01\xff\\"), "HTTP/1.1 304\\r\\n\n\\x01\\xff\\\\");
}

}  // namespace condspec
