#include "src/core/text.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

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

TEST(Text, JoinPutsTheSeparatorBetweenParts) {
  EXPECT_EQ(join(std::vector<std::string>{"a", "b", "c"}, ", "), "a, b, c");
  EXPECT_EQ(join(std::vector<std::string>{"only"}, ", "), "only");
  EXPECT_EQ(join(std::vector<std::string>{}, ", "), "");
  // Empty parts are parts: the separator still stands between them.
  EXPECT_EQ(join(std::vector<std::string>{"", "a", ""}, ","), ",a,");
  EXPECT_EQ(join(std::set<std::string>{"b", "a"}, " "), "a b");  // any range, in its order
  EXPECT_EQ(join(std::vector<std::string_view>{"x", "y"}, ""), "xy");
}

TEST(Text, TokenIsTheFieldNameGrammar) {
  EXPECT_TRUE(is_token("If-None-Match"));
  EXPECT_TRUE(is_token("X!#$%&'*+-.^_`|~9"));
  EXPECT_FALSE(is_token(""));
  EXPECT_FALSE(is_token("If None"));
  EXPECT_FALSE(is_token("If:"));
  EXPECT_FALSE(is_token("\xc3\xa9"));
}

TEST(Text, TerminalSafeKeepsUtf8ButNotControls) {
  EXPECT_EQ(terminal_safe("RFC 9110 §13.1.2 — ok"), "RFC 9110 §13.1.2 — ok");
  EXPECT_EQ(terminal_safe("a\x1b[31mred"), "a\\x1b[31mred");
  EXPECT_EQ(terminal_safe("csi\xc2\x9b"
                          "2J"),
            "csi\\xc2\\x9b2J");  // C1 CSI
  EXPECT_EQ(terminal_safe("bad\xff\xc3"), "bad\\xff\\xc3");
  EXPECT_EQ(terminal_safe("overlong\xc0\xaf"), "overlong\\xc0\\xaf");
  EXPECT_EQ(terminal_safe("tab\tnl\n"), "tab\\x09nl\\x0a");
}

TEST(Text, PrintableEscapesControlAndHighBytes) {
  EXPECT_EQ(printable("HTTP/1.1 304\r\n\x01\xff\\"), "HTTP/1.1 304\\r\\n\n\\x01\\xff\\\\");
}

}  // namespace condspec
