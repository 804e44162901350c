// Byte ranges (RFC 9110 14.1, 14.2): see ranges.h.

#include "src/origin/ranges.h"

#include <algorithm>
#include <charconv>
#include <vector>

#include "src/core/text.h"

namespace condspec {
namespace {

std::optional<size_t> parse_position(std::string_view digits) {
  if (digits.empty()) return std::nullopt;
  size_t value = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

}  // namespace

RangeRequest parse_range(std::string_view value, size_t length) {
  value = trim(value);
  if (value.size() < 6 || !iequals(value.substr(0, 6), "bytes=")) return {};
  std::vector<std::string_view> specs;
  for (auto spec : split(value.substr(6), ',')) {
    if (!trim(spec).empty()) specs.push_back(trim(spec));
  }
  if (specs.size() != 1) return {};  // several ranges: served whole, which 14.2 allows
  auto spec = specs.front();
  auto dash = spec.find('-');
  if (dash == std::string_view::npos) return {};
  auto first_text = spec.substr(0, dash);
  auto last_text = spec.substr(dash + 1);
  if (first_text.empty()) {  // suffix range: the last n bytes
    auto suffix = parse_position(last_text);
    if (!suffix) return {};
    if (*suffix == 0 || length == 0) return {.kind = RangeRequest::unsatisfiable};
    return {.kind = RangeRequest::single,
            .first = length - std::min(*suffix, length),
            .last = length - 1};
  }
  auto first = parse_position(first_text);
  if (!first) return {};
  size_t last = length == 0 ? 0 : length - 1;
  if (!last_text.empty()) {
    auto given_last = parse_position(last_text);
    if (!given_last || *given_last < *first) return {};  // invalid: ignore the field
    last = std::min(last, *given_last);
  }
  if (*first >= length) return {.kind = RangeRequest::unsatisfiable};
  return {.kind = RangeRequest::single, .first = *first, .last = last};
}

bool is_bytes_range(const std::optional<std::string>& value) {
  if (!value) return false;
  auto text = trim(*value);
  return text.size() >= 6 && iequals(text.substr(0, 6), "bytes=");
}

}  // namespace condspec
