#include "src/cases/diagnostic.h"

#include <gtest/gtest.h>

namespace condspec {
namespace {

Diagnostic at(int line, int column, std::string message,
              std::optional<std::string> source_line = std::nullopt) {
  return {{"cases/t.yaml", line, column}, std::move(message), std::move(source_line)};
}

TEST(RenderDiagnostic, LocationMessageSourceLineAndCaret) {
  EXPECT_EQ(render(at(13, 33, "unknown function 'wek'",
                      "            If-None-Match: W/{{ wek(first.etag) }}")),
            "cases/t.yaml:13:33: unknown function 'wek'\n"
            "            If-None-Match: W/{{ wek(first.etag) }}\n"
            "                                ^");
}

TEST(RenderDiagnostic, WithoutASourceLineOnlyTheLocatedMessage) {
  EXPECT_EQ(render(at(2, 5, "missing required key 'level' in requirement")),
            "cases/t.yaml:2:5: missing required key 'level' in requirement");
  EXPECT_EQ(render(Diagnostic{{"", 7, 20}, "empty '{{ }}' in template", std::nullopt}),
            "7:20: empty '{{ }}' in template");
}

TEST(RenderDiagnostic, TheFileAsAWholeHasNoPosition) {
  EXPECT_EQ(render(at(0, 0, "cannot read the case file", "never shown")),
            "cases/t.yaml: cannot read the case file");
}

TEST(RenderDiagnostic, CaretAtTheStartAndJustPastTheEnd) {
  EXPECT_EQ(render(at(1, 1, "m", "title: x")), "cases/t.yaml:1:1: m\ntitle: x\n^");
  EXPECT_EQ(render(at(1, 9, "m", "title: x")), "cases/t.yaml:1:9: m\ntitle: x\n        ^");
  // A column beyond the line (yaml-cpp points past the end of a line) stays just past it.
  EXPECT_EQ(render(at(1, 40, "m", "title:")), "cases/t.yaml:1:40: m\ntitle:\n      ^");
  EXPECT_EQ(render(at(1, 1, "m", "")), "cases/t.yaml:1:1: m\n\n^");
}

// yaml-cpp counts a tab as one column: it is shown as one space, so the
// caret stays under the character the column names.
TEST(RenderDiagnostic, TabsDoNotMisalignTheCaret) {
  EXPECT_EQ(render(at(1, 4, "m", "\t\tx: y")), "cases/t.yaml:1:4: m\n  x: y\n   ^");
}

// Control bytes in the line are escaped as in the message, and the caret
// moves with the wider text; valid UTF-8 is one column per character.
TEST(RenderDiagnostic, SourceLineIsTerminalSafe) {
  EXPECT_EQ(render(at(1, 8, "bad \x1b[31m", "a: \x1b[31mred x")),
            "cases/t.yaml:1:8: bad \\x1b[31m\n"
            "a: \\x1b[31mred x\n" +
                std::string(10, ' ') + "^");
  EXPECT_EQ(render(at(1, 12, "m", "t: \xc3\xa9t\xc3\xa9 \xff x")),
            "cases/t.yaml:1:12: m\n"
            "t: \xc3\xa9t\xc3\xa9 \\xff x\n" +
                std::string(12, ' ') + "^");
  // A C1 control (U+009B, a CSI on some terminals) is escaped byte by byte.
  EXPECT_EQ(render(at(1, 7, "m", "a: \xc2\x9b x")),
            "cases/t.yaml:1:7: m\n"
            "a: \\xc2\\x9b x\n" +
                std::string(12, ' ') + "^");
}

TEST(RenderDiagnostic, LongLinesAreCutAroundTheColumn) {
  const std::string line = std::string(300, 'a') + "X" + std::string(300, 'b');
  const std::string shown = render(at(1, 301, "m", line));
  const std::string expected_line =
      "..." + std::string(60, 'a') + "X" + std::string(59, 'b') + "...";
  EXPECT_EQ(shown, "cases/t.yaml:1:301: m\n" + expected_line + "\n" + std::string(63, ' ') + "^");
  // Near the start: no cut on the left, the window is filled to the right.
  EXPECT_EQ(render(at(1, 3, "m", line)),
            "cases/t.yaml:1:3: m\n" + std::string(120, 'a') + "...\n  ^");
  // Near the end: no cut on the right, the window is filled to the left.
  EXPECT_EQ(render(at(1, 601, "m", line)), "cases/t.yaml:1:601: m\n..." + std::string(120, 'b') +
                                               "\n" + std::string(3 + 119, ' ') + "^");
  // A line of exactly the width is shown whole.
  EXPECT_EQ(render(at(1, 120, "m", std::string(120, 'c'))),
            "cases/t.yaml:1:120: m\n" + std::string(120, 'c') + "\n" + std::string(119, ' ') + "^");
}

TEST(RenderDiagnostic, ManyOneAfterAnother) {
  EXPECT_EQ(render(std::vector<Diagnostic>{at(1, 1, "a", "x: 1"), at(0, 0, "b")}),
            "cases/t.yaml:1:1: a\nx: 1\n^\ncases/t.yaml: b");
  EXPECT_EQ(render(std::vector<Diagnostic>{}), "");
}

TEST(LineOf, NumbersLinesFromOneAndDropsLineBreaks) {
  EXPECT_EQ(line_of("a\r\nb\n\nc", 1), "a");
  EXPECT_EQ(line_of("a\r\nb\n\nc", 2), "b");
  EXPECT_EQ(line_of("a\r\nb\n\nc", 3), "");
  EXPECT_EQ(line_of("a\r\nb\n\nc", 4), "c");
  EXPECT_EQ(line_of("a\r\nb\n\nc", 5), std::nullopt);
  EXPECT_EQ(line_of("a\n", 2), std::nullopt);
  EXPECT_EQ(line_of("", 1), std::nullopt);
  EXPECT_EQ(line_of("a", 0), std::nullopt);
}

}  // namespace
}  // namespace condspec
