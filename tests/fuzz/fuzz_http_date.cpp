// Fuzzes the HTTP-date parser (src/http/http_date.h) with the text of a
// Date, Last-Modified, If-Modified-Since or If-Unmodified-Since field.
//
// Input: the field value. The clock ("now", which places two-digit RFC 850
// years) is a fixed sample of instants chosen by the input's length, within
// the years a real clock can show.
//
// Properties: no crash or UB; parse_http_date and http_date_form agree;
// is_imf_fixdate agrees with the form; a parsed date, written back in the
// form it was read in (for RFC 850: when its year is inside the two-digit
// window), or as IMF-fixdate, parses to the same instant.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "src/http/http_date.h"
#include "tests/fuzz/fuzz_check.h"

using namespace std::chrono;
using condspec::Seconds;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // 1970, 1994, 2024, 2049, 2100: around century and window boundaries.
  static const Seconds kNows[] = {
      Seconds{seconds{0}},
      sys_days{year{1994} / 11 / 6} + hours{8},
      sys_days{year{2024} / 2 / 29} + hours{23} + minutes{59} + seconds{59},
      sys_days{year{2049} / 12 / 31},
      sys_days{year{2100} / 1 / 1},
  };
  const Seconds now = kNows[size % std::size(kNows)];

  const auto parsed = condspec::parse_http_date(text, now);
  const auto form = condspec::http_date_form(text, now);
  FUZZ_CHECK(parsed.has_value() == form.has_value());
  FUZZ_CHECK(condspec::is_imf_fixdate(text) == (form == condspec::DateForm::imf_fixdate));
  if (!parsed) return 0;

  // An RFC 850 date read at 23:59:60 on 31 Dec of the window's last year
  // lands in the next year, which two digits place a century earlier: the
  // round trip holds only for instants inside the window.
  const int parsed_year = static_cast<int>(year_month_day{floor<days>(*parsed)}.year());
  const int now_year = static_cast<int>(year_month_day{floor<days>(now)}.year());
  const bool in_window = parsed_year >= now_year - 49 && parsed_year <= now_year + 50;
  if (*form != condspec::DateForm::rfc850 || in_window) {
    const std::string again = condspec::format_http_date(*parsed, *form);
    FUZZ_CHECK(condspec::parse_http_date(again, now) == parsed);
    FUZZ_CHECK(condspec::http_date_form(again, now) == form);
  }
  // IMF-fixdate is what condspec generates: it must always read back.
  FUZZ_CHECK(condspec::parse_http_date(condspec::format_imf_fixdate(*parsed), now) == parsed);
  return 0;
}
