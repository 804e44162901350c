// One escaping function per output format, and every piece of text a server
// (or a case file) controls goes through it: rendered from a RunResult in
// which every string is hostile (hostile_run_for_tests.h), no output holds a
// control character, a C1 control, a bidirectional override, a line
// separator or a byte that is not UTF-8 that condspec did not put there
// itself, and no markup from the server survives.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "reports/console_report.h"
#include "reports/hostile_run_for_tests.h"
#include "reports/html_report.h"
#include "reports/json_report.h"
#include "reports/junit_report.h"
#include "reports/markdown_report.h"
#include "reports/report_text.h"
#include "src/core/text.h"

namespace condspec {
namespace {

using testing::first_unsafe;
using testing::hostile_run;

constexpr std::string_view kServerMarkup = "<script>alert(1)";

TEST(Escaping, TheConsoleShowsEveryHostileTextAsInertText) {
  for (bool verbose : {false, true}) {
    for (bool color : {false, true}) {
      const std::string text =
          render_console_report(hostile_run(), FailOn::must, {.verbose = verbose, .color = color});
      EXPECT_EQ(first_unsafe(text, color), "") << "verbose " << verbose << " color " << color;
      // The payload is shown, escaped, not dropped.
      EXPECT_NE(text.find("\\u202e"), std::string::npos);
      EXPECT_NE(text.find("unusable"), std::string::npos);
    }
  }
  EXPECT_EQ(first_unsafe(render_transcript(hostile_run().targets[1].results[1].exchanges, "  ")),
            "");
}

// Consecutive lines starting with '|' are one table: every row has as many
// cell separators (unescaped '|') as its header.
void expect_tables_intact(std::string_view markdown) {
  int columns = -1;
  for (auto line : split(markdown, '\n')) {
    if (!line.starts_with('|')) {
      columns = -1;
      continue;
    }
    int pipes = 0;
    for (size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '\\') {
        ++i;
        continue;
      }
      if (line[i] == '|') ++pipes;
    }
    if (columns < 0) columns = pipes;
    EXPECT_EQ(pipes, columns) << line;
  }
}

TEST(Escaping, MarkdownKeepsEveryHostileTextInsideItsCell) {
  const std::string text = render_markdown_report(hostile_run(), FailOn::must);
  EXPECT_EQ(first_unsafe(text), "");
  EXPECT_EQ(text.find(kServerMarkup), std::string::npos);
  EXPECT_EQ(text.find("](javascript"), std::string::npos);
  expect_tables_intact(text);
}

TEST(Escaping, JunitAndHtmlCarryNoServerMarkupAndOnlyXmlCharacters) {
  for (const std::string& text : {render_junit_report(hostile_run(), FailOn::must),
                                  render_html_report(hostile_run(), FailOn::must)}) {
    EXPECT_EQ(first_unsafe(text), "");
    EXPECT_EQ(text.find(kServerMarkup), std::string::npos);
    EXPECT_EQ(text.find("]]>"), std::string::npos);
  }
}

TEST(Escaping, JsonIsValidWhateverTheServerSent) {
  const auto json = nlohmann::json::parse(render_json_report(hostile_run(), FailOn::must));
  EXPECT_EQ(json["complete"], false);
}

// The escapers themselves, each the one function of its format.
TEST(Escaping, EachEscaperLeavesNothingUnsafe) {
  const std::string& text = testing::kHostileText;
  EXPECT_EQ(first_unsafe(terminal_safe(text)), "");
  EXPECT_EQ(terminal_safe(text).find('\n'), std::string::npos);
  EXPECT_EQ(first_unsafe(escape_markup(text)), "");
  EXPECT_EQ(escape_markup(text).find_first_of("<>\"'"), std::string::npos);
  EXPECT_EQ(first_unsafe(escape_markdown_cell(text)), "");
  EXPECT_EQ(escape_markdown_cell(text).find('\n'), std::string::npos);
}

}  // namespace
}  // namespace condspec
