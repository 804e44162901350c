#include "src/http/http_date.h"

#include <fmt/format.h>

#include <array>
#include <chrono>

namespace condspec {
namespace {

using namespace std::chrono;

// Index i is the name of weekday{i} (0 = Sunday), as std::chrono counts them.
constexpr std::array<std::string_view, 7> kShortDays = {"Sun", "Mon", "Tue", "Wed",
                                                        "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 7> kLongDays = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                       "Thursday", "Friday", "Saturday"};
// Index i is the name of month{i + 1}.
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Exactly `width` ASCII digits (no sign, no spaces), or nullopt.
std::optional<int> digits(std::string_view text, size_t pos, size_t width) {
  if (pos + width > text.size()) return std::nullopt;
  int value = 0;
  for (size_t i = pos; i < pos + width; ++i) {
    if (!is_digit(text[i])) return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool has(std::string_view text, size_t pos, std::string_view expected) {
  return text.substr(pos, expected.size()) == expected;
}

template <size_t N>
bool is_one_of(std::string_view word, const std::array<std::string_view, N>& names) {
  for (std::string_view name : names) {
    if (word == name) return true;
  }
  return false;
}

// Month number 1..12 for the exact-case three-letter name at `pos`.
std::optional<unsigned> month_at(std::string_view text, size_t pos) {
  std::string_view word = text.substr(pos, 3);
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (word == kMonths[i]) return static_cast<unsigned>(i + 1);
  }
  return std::nullopt;
}

struct TimeOfDay {
  int hour, minute, second;
};

// "hh:mm:ss" at `pos`. A second of 60 is grammatical (leap second, RFC 5322 3.3).
std::optional<TimeOfDay> time_at(std::string_view text, size_t pos) {
  auto hour = digits(text, pos, 2);
  auto minute = digits(text, pos + 3, 2);
  auto second = digits(text, pos + 6, 2);
  if (!hour || !minute || !second || !has(text, pos + 2, ":") || !has(text, pos + 5, ":")) {
    return std::nullopt;
  }
  if (*hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  return TimeOfDay{*hour, *minute, *second};
}

// Rejects impossible dates (Feb 30, Feb 29 outside leap years). The day name is
// not checked against the date: RFC 9110 5.6.7 does not ask recipients to.
std::optional<Seconds> to_seconds(int year_number, unsigned month_number, int day_number,
                                  TimeOfDay time) {
  year_month_day date{year{year_number}, month{month_number},
                      day{static_cast<unsigned>(day_number)}};
  if (!date.ok()) return std::nullopt;
  // :60 simply lands on the first second of the next minute.
  const Seconds at =
      sys_days{date} + hours{time.hour} + minutes{time.minute} + seconds{time.second};
  // Except after 23:59:59 on 31 Dec 9999: year 10000 has no HTTP-date, so
  // condspec could not write that instant back (found by fuzzing).
  if (at >= sys_days{year{10000} / 1 / 1}) return std::nullopt;
  return at;
}

int year_of(Seconds t) {
  return static_cast<int>(year_month_day{floor<days>(t)}.year());
}

// RFC 9110 5.6.7: a two-digit year that would be more than 50 years in the
// future means the most recent past year with those digits, i.e. the year lies
// in [now - 49, now + 50].
int expand_two_digit_year(int two_digits, int now_year) {
  int lowest = now_year - 49;
  int offset = ((two_digits - lowest) % 100 + 100) % 100;
  return lowest + offset;
}

// "Sun, 06 Nov 1994 08:49:37 GMT"
std::optional<Seconds> parse_imf_fixdate(std::string_view text) {
  if (text.size() != 29) return std::nullopt;
  if (!is_one_of(text.substr(0, 3), kShortDays) || !has(text, 3, ", ")) return std::nullopt;
  auto day_number = digits(text, 5, 2);
  auto month_number = month_at(text, 8);
  auto year_number = digits(text, 12, 4);
  auto time = time_at(text, 17);
  if (!day_number || !month_number || !year_number || !time) return std::nullopt;
  if (!has(text, 7, " ") || !has(text, 11, " ") || !has(text, 16, " ") || !has(text, 25, " GMT")) {
    return std::nullopt;
  }
  return to_seconds(*year_number, *month_number, *day_number, *time);
}

// "Sunday, 06-Nov-94 08:49:37 GMT"
std::optional<Seconds> parse_rfc850(std::string_view text, Seconds now) {
  size_t comma = text.find(',');
  if (comma == std::string_view::npos) return std::nullopt;
  if (!is_one_of(text.substr(0, comma), kLongDays)) return std::nullopt;
  std::string_view rest = text.substr(comma);  // ", 06-Nov-94 08:49:37 GMT"
  if (rest.size() != 24 || !has(rest, 0, ", ")) return std::nullopt;
  auto day_number = digits(rest, 2, 2);
  auto month_number = month_at(rest, 5);
  auto two_digit_year = digits(rest, 9, 2);
  auto time = time_at(rest, 12);
  if (!day_number || !month_number || !two_digit_year || !time) return std::nullopt;
  if (!has(rest, 4, "-") || !has(rest, 8, "-") || !has(rest, 11, " ") || !has(rest, 20, " GMT")) {
    return std::nullopt;
  }
  return to_seconds(expand_two_digit_year(*two_digit_year, year_of(now)), *month_number,
                    *day_number, *time);
}

// "Sun Nov  6 08:49:37 1994" (the day is two digits or SP DIGIT)
std::optional<Seconds> parse_asctime(std::string_view text) {
  if (text.size() != 24) return std::nullopt;
  if (!is_one_of(text.substr(0, 3), kShortDays) || !has(text, 3, " ")) return std::nullopt;
  auto month_number = month_at(text, 4);
  std::optional<int> day_number = text[8] == ' ' ? digits(text, 9, 1) : digits(text, 8, 2);
  auto time = time_at(text, 11);
  auto year_number = digits(text, 20, 4);
  if (!month_number || !day_number || !time || !year_number) return std::nullopt;
  if (!has(text, 7, " ") || !has(text, 10, " ") || !has(text, 19, " ")) return std::nullopt;
  return to_seconds(*year_number, *month_number, *day_number, *time);
}

struct Parsed {
  Seconds at;
  DateForm form;
};

std::optional<Parsed> parse_any(std::string_view text, Seconds now) {
  if (auto t = parse_imf_fixdate(text)) return Parsed{*t, DateForm::imf_fixdate};
  if (auto t = parse_rfc850(text, now)) return Parsed{*t, DateForm::rfc850};
  if (auto t = parse_asctime(text)) return Parsed{*t, DateForm::asctime};
  return std::nullopt;
}

struct Broken {
  year_month_day date;
  weekday day_of_week;
  hh_mm_ss<seconds> time;
};

Broken break_down(Seconds t) {
  sys_days day_start = floor<days>(t);
  return Broken{year_month_day{day_start}, weekday{day_start}, hh_mm_ss<seconds>{t - day_start}};
}

std::string_view month_name(const year_month_day& date) {
  return kMonths[static_cast<unsigned>(date.month()) - 1];
}

std::string clock_text(const hh_mm_ss<seconds>& time) {
  return fmt::format("{:02}:{:02}:{:02}", time.hours().count(), time.minutes().count(),
                     time.seconds().count());
}

}  // namespace

std::optional<Seconds> parse_http_date(std::string_view text, Seconds now) {
  auto parsed = parse_any(text, now);
  if (!parsed) return std::nullopt;
  return parsed->at;
}

std::optional<DateForm> http_date_form(std::string_view text, Seconds now) {
  auto parsed = parse_any(text, now);
  if (!parsed) return std::nullopt;
  return parsed->form;
}

bool is_imf_fixdate(std::string_view text) {
  return parse_imf_fixdate(text).has_value();
}

std::string format_imf_fixdate(Seconds t) {
  Broken b = break_down(t);
  return fmt::format("{}, {:02} {} {:04} {} GMT", kShortDays[b.day_of_week.c_encoding()],
                     static_cast<unsigned>(b.date.day()), month_name(b.date),
                     static_cast<int>(b.date.year()), clock_text(b.time));
}

std::string format_rfc850(Seconds t) {
  Broken b = break_down(t);
  int two_digit_year = (static_cast<int>(b.date.year()) % 100 + 100) % 100;
  return fmt::format("{}, {:02}-{}-{:02} {} GMT", kLongDays[b.day_of_week.c_encoding()],
                     static_cast<unsigned>(b.date.day()), month_name(b.date), two_digit_year,
                     clock_text(b.time));
}

std::string format_asctime(Seconds t) {
  Broken b = break_down(t);
  return fmt::format("{} {} {:>2} {} {:04}", kShortDays[b.day_of_week.c_encoding()],
                     month_name(b.date), static_cast<unsigned>(b.date.day()), clock_text(b.time),
                     static_cast<int>(b.date.year()));
}

std::string format_http_date(Seconds t, DateForm form) {
  switch (form) {
    case DateForm::imf_fixdate:
      return format_imf_fixdate(t);
    case DateForm::rfc850:
      return format_rfc850(t);
    case DateForm::asctime:
      return format_asctime(t);
  }
  return format_imf_fixdate(t);
}

}  // namespace condspec
