#pragma once
// HTTP-date (RFC 9110 5.6.7): parsing all three forms a recipient must accept,
// and generating each of them (condspec sends the obsolete forms on purpose).

#include <optional>
#include <string>
#include <string_view>

#include "src/core/clock.h"

namespace condspec {

enum class DateForm { imf_fixdate, rfc850, asctime };

// Parses an HTTP-date strictly per the grammar: exact case for day and month
// names, "GMT", no extra whitespace. An RFC 850 two-digit year is placed in
// the century that makes it no more than 50 years after `now` (RFC 9110
// 5.6.7). nullopt when the text is not an HTTP-date.
std::optional<Seconds> parse_http_date(std::string_view text, Seconds now);
// Which of the three forms the text is in, if it is a valid HTTP-date.
std::optional<DateForm> http_date_form(std::string_view text, Seconds now);
// True only for IMF-fixdate, the one form a sender may generate.
bool is_imf_fixdate(std::string_view text);

// e.g. "Sun, 06 Nov 1994 08:49:37 GMT"
std::string format_imf_fixdate(Seconds t);
// e.g. "Sunday, 06-Nov-94 08:49:37 GMT"
std::string format_rfc850(Seconds t);
// e.g. "Sun Nov  6 08:49:37 1994"
std::string format_asctime(Seconds t);
std::string format_http_date(Seconds t, DateForm form);

}  // namespace condspec
