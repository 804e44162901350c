#include "src/http/http_date.h"

#include <gtest/gtest.h>

#include <chrono>

namespace condspec {
namespace {

using namespace std::chrono;

Seconds at(year_month_day date, int h, int m, int s) {
  return sys_days{date} + hours{h} + minutes{m} + seconds{s};
}

// A fixed "now" so the two-digit-year window is deterministic: [1977, 2076].
const Seconds kNow = at(2026y / March / 15, 12, 0, 0);
const Seconds kExample = at(1994y / November / 6, 8, 49, 37);

TEST(HttpDate, ParsesTheThreeFormsOfTheRfcExample) {
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT", kNow), kExample);
  EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", kNow), kExample);
  EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994", kNow), kExample);
  EXPECT_EQ(parse_http_date("Sun Nov 06 08:49:37 1994", kNow), kExample);  // 2DIGIT is allowed too
}

TEST(HttpDate, ReportsTheForm) {
  EXPECT_EQ(http_date_form("Sun, 06 Nov 1994 08:49:37 GMT", kNow), DateForm::imf_fixdate);
  EXPECT_EQ(http_date_form("Sunday, 06-Nov-94 08:49:37 GMT", kNow), DateForm::rfc850);
  EXPECT_EQ(http_date_form("Sun Nov  6 08:49:37 1994", kNow), DateForm::asctime);
  EXPECT_EQ(http_date_form("Sun, 06 Nov 1994 08:49:37 gmt", kNow), std::nullopt);
}

TEST(HttpDate, FormatsTheExactForms) {
  EXPECT_EQ(format_imf_fixdate(kExample), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(format_rfc850(kExample), "Sunday, 06-Nov-94 08:49:37 GMT");
  EXPECT_EQ(format_asctime(kExample), "Sun Nov  6 08:49:37 1994");
  EXPECT_EQ(format_asctime(at(2024y / December / 25, 0, 0, 0)), "Wed Dec 25 00:00:00 2024");
  EXPECT_EQ(format_rfc850(at(2005y / January / 1, 23, 59, 59)), "Saturday, 01-Jan-05 23:59:59 GMT");
  EXPECT_EQ(format_http_date(kExample, DateForm::imf_fixdate), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(format_http_date(kExample, DateForm::rfc850), "Sunday, 06-Nov-94 08:49:37 GMT");
  EXPECT_EQ(format_http_date(kExample, DateForm::asctime), "Sun Nov  6 08:49:37 1994");
}

TEST(HttpDate, EveryFormRoundTripsOnEveryWeekdayAndMonth) {
  // One instant a day for 400 days covers every day name, month name and both day widths.
  for (int i = 0; i < 400; ++i) {
    Seconds t = at(2025y / January / 1, 0, 0, 0) + days{i} + seconds{i * 217 % 86400};
    for (DateForm form : {DateForm::imf_fixdate, DateForm::rfc850, DateForm::asctime}) {
      std::string text = format_http_date(t, form);
      EXPECT_EQ(parse_http_date(text, kNow), t) << text;
      EXPECT_EQ(http_date_form(text, kNow), form) << text;
    }
    EXPECT_TRUE(is_imf_fixdate(format_imf_fixdate(t)));
  }
}

TEST(HttpDate, TwoDigitYearIsAtMostFiftyYearsAhead) {
  auto year_read = [](std::string_view yy, Seconds now) -> int {
    std::string text = "Monday, 01-Jan-" + std::string(yy) + " 00:00:00 GMT";
    auto t = parse_http_date(text, now);
    if (!t) return -1;
    return static_cast<int>(year_month_day{floor<days>(*t)}.year());
  };
  EXPECT_EQ(year_read("94", kNow), 1994);
  EXPECT_EQ(year_read("26", kNow), 2026);
  EXPECT_EQ(year_read("00", kNow), 2000);
  EXPECT_EQ(year_read("76", kNow), 2076);  // exactly 50 years ahead: kept
  EXPECT_EQ(year_read("77", kNow), 1977);  // 51 years ahead: previous century
  EXPECT_EQ(year_read("99", kNow), 1999);
  // The window follows "now", including across a century.
  Seconds late = at(2080y / June / 1, 0, 0, 0);
  EXPECT_EQ(year_read("10", late), 2110);
  EXPECT_EQ(year_read("30", late), 2130);
  EXPECT_EQ(year_read("31", late), 2031);
  EXPECT_EQ(year_read("80", late), 2080);
}

TEST(HttpDate, LeapDaysFollowTheCalendar) {
  EXPECT_EQ(parse_http_date("Thu, 29 Feb 2024 12:00:00 GMT", kNow),
            at(2024y / February / 29, 12, 0, 0));
  EXPECT_EQ(parse_http_date("Tue, 29 Feb 2000 00:00:00 GMT", kNow),
            at(2000y / February / 29, 0, 0, 0));
  EXPECT_EQ(parse_http_date("Thu Feb 29 12:00:00 2024", kNow), at(2024y / February / 29, 12, 0, 0));
  EXPECT_EQ(parse_http_date("Thursday, 29-Feb-24 12:00:00 GMT", kNow),
            at(2024y / February / 29, 12, 0, 0));
  EXPECT_EQ(parse_http_date("Sat, 29 Feb 2025 12:00:00 GMT", kNow), std::nullopt);
  EXPECT_EQ(parse_http_date("Thu, 29 Feb 1900 12:00:00 GMT", kNow), std::nullopt);  // not leap
  EXPECT_EQ(parse_http_date("Fri, 30 Feb 2024 12:00:00 GMT", kNow), std::nullopt);
  EXPECT_EQ(parse_http_date("Friday, 30-Feb-24 12:00:00 GMT", kNow), std::nullopt);
  EXPECT_EQ(parse_http_date("Fri Feb 30 12:00:00 2024", kNow), std::nullopt);
  EXPECT_EQ(parse_http_date("Thu, 31 Apr 2024 12:00:00 GMT", kNow), std::nullopt);
  EXPECT_EQ(parse_http_date("Wed, 31 Dec 2025 12:00:00 GMT", kNow),
            at(2025y / December / 31, 12, 0, 0));
}

TEST(HttpDate, SecondSixtyIsTheNextSecond) {
  Seconds next = at(2017y / January / 1, 0, 0, 0);
  EXPECT_EQ(parse_http_date("Sat, 31 Dec 2016 23:59:60 GMT", kNow), next);
  EXPECT_EQ(parse_http_date("Saturday, 31-Dec-16 23:59:60 GMT", kNow), next);
  EXPECT_EQ(parse_http_date("Sat Dec 31 23:59:60 2016", kNow), next);
  EXPECT_TRUE(is_imf_fixdate("Sat, 31 Dec 2016 23:59:60 GMT"));
  EXPECT_EQ(parse_http_date("Sat, 31 Dec 2016 23:59:61 GMT", kNow), std::nullopt);
}

// 23:59:60 on the last day of 9999 would be year 10000, which no HTTP-date
// can express: condspec could not send it back (found by fuzzing).
TEST(HttpDate, SecondSixtyMayNotLeaveYear9999) {
  EXPECT_EQ(parse_http_date("Fri, 31 Dec 9999 23:59:59 GMT", kNow),
            at(9999y / December / 31, 23, 59, 59));
  EXPECT_EQ(parse_http_date("Fri, 31 Dec 9999 23:59:60 GMT", kNow), std::nullopt);
  EXPECT_EQ(parse_http_date("Fri Dec 31 23:59:60 9999", kNow), std::nullopt);
}

TEST(HttpDate, AcceptsAnyDayNameWhateverTheDate) {
  // RFC 9110 5.6.7 does not ask recipients to check the day name against the date.
  EXPECT_EQ(parse_http_date("Mon, 06 Nov 1994 08:49:37 GMT", kNow), kExample);
  EXPECT_EQ(parse_http_date("Friday, 06-Nov-94 08:49:37 GMT", kNow), kExample);
  EXPECT_EQ(parse_http_date("Wed Nov  6 08:49:37 1994", kNow), kExample);
}

TEST(HttpDate, RejectsWhatIsNotAnHttpDate) {
  const char* invalid[] = {
      "",
      "garbage",
      "0",
      "-1",
      // whitespace the grammar does not have
      " Sun, 06 Nov 1994 08:49:37 GMT",
      "Sun, 06 Nov 1994 08:49:37 GMT ",
      "Sun,  06 Nov 1994 08:49:37 GMT",
      "Sun, 06  Nov 1994 08:49:37 GMT",
      "Sun, 6 Nov 1994 08:49:37 GMT",
      "Sun,\t06 Nov 1994 08:49:37 GMT",
      "Sun, 06 Nov 1994 08:49:37 GMT\r\n",
      "Sunday,  06-Nov-94 08:49:37 GMT",
      "Sun Nov 6 08:49:37 1994",
      "Sun Nov   6 08:49:37 1994",
      "Sun Nov  6 08:49:37 1994 ",
      "Sun Nov 6  08:49:37 1994",
      // case and zone
      "sun, 06 Nov 1994 08:49:37 GMT",
      "SUN, 06 Nov 1994 08:49:37 GMT",
      "Sun, 06 nov 1994 08:49:37 GMT",
      "Sun, 06 NOV 1994 08:49:37 GMT",
      "Sun, 06 Nov 1994 08:49:37 gmt",
      "Sun, 06 Nov 1994 08:49:37 UTC",
      "Sun, 06 Nov 1994 08:49:37 +0000",
      "Sun, 06 Nov 1994 08:49:37 -0000",
      "Sun, 06 Nov 1994 08:49:37",
      "Sun, 06 Nov 1994 08:49:37 GMT+1",
      "sunday, 06-Nov-94 08:49:37 GMT",
      "Sunday, 06-nov-94 08:49:37 GMT",
      "Sunday, 06-Nov-94 08:49:37 UTC",
      "Sunday, 06-Nov-94 08:49:37 gmt",
      "sun Nov  6 08:49:37 1994",
      "Sun Nov  6 08:49:37 1994 GMT",
      // wrong day-name length for the form
      "Sunday, 06 Nov 1994 08:49:37 GMT",
      "Sun, 06-Nov-94 08:49:37 GMT",
      "Sund, 06-Nov-94 08:49:37 GMT",
      "Sunday Nov  6 08:49:37 1994",
      "Xyz, 06 Nov 1994 08:49:37 GMT",
      "Funday, 06-Nov-94 08:49:37 GMT",
      // other layouts
      "1994-11-06T08:49:37Z",
      "1994-11-06 08:49:37",
      "Sun, 06 Nov 94 08:49:37 GMT",
      "Sunday, 06-Nov-1994 08:49:37 GMT",
      "Sun, 06-Nov-1994 08:49:37 GMT",
      "Sun Nov  6 08:49:37 94",
      "Sun, 06 Nov 1994 08:49 GMT",
      "Sun, 06 Nov 1994 8:49:37 GMT",
      "Sun, 06 Nov 1994 08.49.37 GMT",
      "Sun, 06 Nov 1994 08:49:37 GMT, Sun, 06 Nov 1994 08:49:37 GMT",
      "Sun, 06 Nov 1994 08:49:37 GMT; length=123",
      "Sun 06 Nov 1994 08:49:37 GMT",
      "Sun, 06 Nov +994 08:49:37 GMT",
      "Sun, +6 Nov 1994 08:49:37 GMT",
      "Sun, 06 Nov 1994 08:49:3x GMT",
      // out of range
      "Sun, 00 Nov 1994 08:49:37 GMT",
      "Sun, 32 Oct 1994 08:49:37 GMT",
      "Sun, 31 Nov 1994 08:49:37 GMT",
      "Sun, 06 Nov 1994 24:00:00 GMT",
      "Sun, 06 Nov 1994 08:60:37 GMT",
      "Sun, 06 Nov 1994 08:49:61 GMT",
      "Sun, 06 Nov 1994 99:99:99 GMT",
      "Sunday, 00-Nov-94 08:49:37 GMT",
      "Sunday, 06-Nov-94 24:49:37 GMT",
      "Sun Nov  0 08:49:37 1994",
      "Sun Nov 31 08:49:37 1994",
      "Sun Nov  6 08:49:62 1994",
  };
  for (const char* text : invalid) {
    EXPECT_EQ(parse_http_date(text, kNow), std::nullopt) << '"' << text << '"';
    EXPECT_EQ(http_date_form(text, kNow), std::nullopt) << '"' << text << '"';
    EXPECT_FALSE(is_imf_fixdate(text)) << '"' << text << '"';
  }
}

TEST(HttpDate, RejectsEmbeddedNulAndNonAscii) {
  std::string with_nul("Sun, 06 Nov 1994 08:49:37 GMT", 29);
  with_nul[4] = '\0';
  EXPECT_EQ(parse_http_date(with_nul, kNow), std::nullopt);
  EXPECT_EQ(parse_http_date(std::string_view("Sun, 06 Nov 1994 08:49:37 GMT\0", 30), kNow),
            std::nullopt);
  EXPECT_EQ(parse_http_date("Sun, 06 N\xc3\xb6v 1994 08:49:37 GMT", kNow), std::nullopt);
}

TEST(HttpDate, ImfFixdateCheckIsTheGeneratorForm) {
  EXPECT_TRUE(is_imf_fixdate("Sun, 06 Nov 1994 08:49:37 GMT"));
  EXPECT_TRUE(is_imf_fixdate("Thu, 01 Jan 1970 00:00:00 GMT"));
  EXPECT_FALSE(is_imf_fixdate("Sunday, 06-Nov-94 08:49:37 GMT"));
  EXPECT_FALSE(is_imf_fixdate("Sun Nov  6 08:49:37 1994"));
  EXPECT_FALSE(is_imf_fixdate("Sun, 30 Feb 1994 08:49:37 GMT"));
}

TEST(HttpDate, FormatsTheEpochAndLateYears) {
  EXPECT_EQ(format_imf_fixdate(Seconds{}), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(format_rfc850(Seconds{}), "Thursday, 01-Jan-70 00:00:00 GMT");
  EXPECT_EQ(format_asctime(Seconds{}), "Thu Jan  1 00:00:00 1970");
  Seconds y2100 = at(2100y / March / 1, 1, 2, 3);
  EXPECT_EQ(format_imf_fixdate(y2100), "Mon, 01 Mar 2100 01:02:03 GMT");
  EXPECT_EQ(format_rfc850(y2100), "Monday, 01-Mar-00 01:02:03 GMT");
}

}  // namespace
}  // namespace condspec
