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

// Characters that reorder or break what a reader sees (Trojan Source,
// CVE-2021-42574): bidirectional formatting characters and the Unicode line
// and paragraph separators are shown as \uXXXX.
TEST(Text, TerminalSafeShowsBidiControlsAndLineSeparatorsAsEscapes) {
  EXPECT_EQ(terminal_safe("Not Found\xe2\x80\xae"
                          "lmth.exe"),
            "Not Found\\u202elmth.exe");  // RIGHT-TO-LEFT OVERRIDE
  EXPECT_EQ(terminal_safe("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad"),
            "\\u202a\\u202b\\u202c\\u202d");
  EXPECT_EQ(terminal_safe("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9"),
            "\\u2066\\u2067\\u2068\\u2069");  // isolates
  EXPECT_EQ(terminal_safe("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c"), "\\u200e\\u200f\\u061c");  // marks
  EXPECT_EQ(terminal_safe("a\xe2\x80\xa8"
                          "b\xe2\x80\xa9"
                          "c"),
            "a\\u2028b\\u2029c");
  // Neighbours that are ordinary text stay as they are.
  EXPECT_EQ(terminal_safe("\xe2\x80\x94 \xe2\x80\xa6 \xe2\x81\xb0"),
            "\xe2\x80\x94 \xe2\x80\xa6 \xe2\x81\xb0");
}

TEST(Text, IsUtf8) {
  EXPECT_TRUE(is_utf8(""));
  EXPECT_TRUE(is_utf8("plain \xc2\xa7 \xe2\x80\x94 \xf0\x9f\x98\x80"));
  EXPECT_TRUE(is_utf8(std::string_view("\0", 1)));
  EXPECT_FALSE(is_utf8("\xff"));
  EXPECT_FALSE(is_utf8("\xc3"));              // cut short
  EXPECT_FALSE(is_utf8("\xc0\xaf"));          // overlong
  EXPECT_FALSE(is_utf8("\xed\xa0\x80"));      // a surrogate
  EXPECT_FALSE(is_utf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(is_utf8("\x9b"));
}

TEST(Text, PrintablePrefixMarksTheCut) {
  EXPECT_EQ(printable_prefix("abc\x01", 4), "abc\\x01");
  EXPECT_EQ(printable_prefix("abc\x01", 3), "abc...");
  EXPECT_EQ(printable_prefix("", 0), "");
}

TEST(Text, PrintableEscapesControlAndHighBytes) {
  EXPECT_EQ(printable("HTTP/1.1 304\r\n\x01\xff\\"), "HTTP/1.1 304\\r\\n\n\\x01\\xff\\\\");
}

}  // namespace condspec
