#include "src/core/natural_order.h"

#include <cctype>

namespace condspec {

namespace {

bool is_digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

size_t digit_run_end(std::string_view s, size_t from) {
  while (from < s.size() && is_digit(s[from])) ++from;
  return from;
}

}  // namespace

bool natural_less(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (is_digit(a[i]) && is_digit(b[j])) {
      const size_t a_end = digit_run_end(a, i), b_end = digit_run_end(b, j);
      // Compare the values without converting (runs may be longer than any
      // integer): skip leading zeros, then the longer run is larger, then
      // digit by digit.
      size_t a_start = i, b_start = j;
      while (a_start + 1 < a_end && a[a_start] == '0') ++a_start;
      while (b_start + 1 < b_end && b[b_start] == '0') ++b_start;
      const std::string_view a_digits = a.substr(a_start, a_end - a_start);
      const std::string_view b_digits = b.substr(b_start, b_end - b_start);
      if (a_digits.size() != b_digits.size()) return a_digits.size() < b_digits.size();
      if (a_digits != b_digits) return a_digits < b_digits;
      if (a_end - i != b_end - j) return a_end - i < b_end - j;
      i = a_end;
      j = b_end;
      continue;
    }
    if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
    ++i;
    ++j;
  }
  return a.size() - i < b.size() - j;
}

}  // namespace condspec
