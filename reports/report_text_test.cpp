// The pieces every renderer shares: escapes and outcome words.

#include "reports/report_text.h"

#include <gtest/gtest.h>

namespace condspec {
namespace {

TEST(SectionText, LabelAndLinkNameTheSameSection) {
  EXPECT_EQ(section_label("9110", "13.1.2"), "RFC 9110 §13.1.2");
  EXPECT_EQ(section_link("9112", "6.3"), "https://www.rfc-editor.org/rfc/rfc9112#section-6.3");
}

TEST(HopNote, SaysWhatARecordIsBesideTheStepsOwnExchange) {
  StepRecord record;
  EXPECT_EQ(hop_note(record), "");
  record.first_sent_by = "etag-syntax";
  EXPECT_EQ(hop_note(record), " (same request as scenario etag-syntax, sent once)");
  record.first_sent_by = "discovery";
  EXPECT_EQ(hop_note(record), " (same request as discovery's, sent once)");
  record.first_sent_by.clear();
  record.follow_up = true;
  EXPECT_EQ(hop_note(record), " (follow-up on the same connection)");
  record.hop = Hop::upstream;
  EXPECT_EQ(hop_note(record), " (upstream: the cache to the origin)");
}

TEST(HopNote, NamesTheAttemptThatMissedItsSecondBeforeTheRest) {
  StepRecord record;
  record.missed_attempt = 2;
  EXPECT_EQ(hop_note(record), " (attempt 2, which missed its second and judged nothing)");
  record.follow_up = true;
  EXPECT_EQ(hop_note(record),
            " (attempt 2, which missed its second and judged nothing) (follow-up on the same "
            "connection)");
}

TEST(EscapeMarkup, EntitiesForMarkupAndQuotesLinesKept) {
  EXPECT_EQ(escape_markup(R"(<a href="x">Tom & 'Jerry'</a>)"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
  EXPECT_EQ(escape_markup("line one\nline two"), "line one\nline two");
  EXPECT_EQ(escape_markup(""), "");
}

TEST(EscapeMarkup, ControlBytesAndInvalidUtf8BecomeVisibleText) {
  EXPECT_EQ(escape_markup("a\x1b[31m\r\n\x01\xff §"), "a\\x1b[31m\\x0d\n\\x01\\xff §");
}

TEST(EscapeMarkdownCell, ServerTextCannotInjectMarkupOrBreakTheTable) {
  EXPECT_EQ(escape_markdown_cell("<script>a|b</script> [x](http://e) *y*\r\n"),
            "&lt;script&gt;a\\|b&lt;/script&gt; \\[x\\]\\(http://e\\) \\*y\\*\\\\x0d\\\\x0a");
}

TEST(EscapeMarkdownCell, QuotesAndPlainPunctuationStayAsTheyAre) {
  EXPECT_EQ(escape_markdown_cell(R"("a", 'b'; c=d: 5% @e /f?)"), R"("a", 'b'; c=d: 5% @e /f?)");
  EXPECT_EQ(escape_markdown_cell("W/\"x\" & #1"), "W/\"x\" &amp; \\#1");
}

TEST(OutcomeWord, OneWordPerOutcomeAndKnownForAcceptedFailures) {
  EXPECT_EQ(outcome_word(Outcome::pass), "PASS");
  EXPECT_EQ(outcome_word(Outcome::info), "INFO");
  EXPECT_EQ(outcome_word(Outcome::warn), "WARN");
  EXPECT_EQ(outcome_word(Outcome::fail), "FAIL");
  EXPECT_EQ(outcome_word(Outcome::not_applicable), "N/A");
  EXPECT_EQ(outcome_word(Outcome::error), "ERROR");
  ScenarioResult r;
  r.outcome = Outcome::fail;
  EXPECT_EQ(outcome_word(r), "FAIL");
  r.known = KnownFailure{"vendor bug", ""};
  EXPECT_EQ(outcome_word(r), "KNOWN");
}

TEST(OutcomeColumn, FourWideForTheConsole) {
  EXPECT_EQ(outcome_column(Outcome::pass), "PASS");
  EXPECT_EQ(outcome_column(Outcome::info), "INFO");
  EXPECT_EQ(outcome_column(Outcome::warn), "WARN");
  EXPECT_EQ(outcome_column(Outcome::fail), "FAIL");
  EXPECT_EQ(outcome_column(Outcome::not_applicable), "N/A ");
  EXPECT_EQ(outcome_column(Outcome::error), "ERR ");
  ScenarioResult r;
  r.outcome = Outcome::warn;
  EXPECT_EQ(outcome_column(r), "WARN");
  r.known = KnownFailure{"vendor bug", ""};
  EXPECT_EQ(outcome_column(r), "KNOWN");
}

}  // namespace
}  // namespace condspec
