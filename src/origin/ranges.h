#pragma once
// Byte ranges as the reference origin serves them (RFC 9110 14.1, 14.2): one
// range of the bytes unit; anything else is ignored, which 14.2 allows, and
// the whole representation is sent.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace condspec {

// What a Range field value asks of a representation of `length` bytes.
struct RangeRequest {
  enum Kind { ignore, unsatisfiable, single } kind = ignore;
  size_t first = 0;  // the first and last byte positions of a single range
  size_t last = 0;
  bool operator==(const RangeRequest&) const = default;
};

RangeRequest parse_range(std::string_view value, size_t length);

// Whether a Range value is in the bytes unit, the only one this origin knows.
bool is_bytes_range(const std::optional<std::string>& value);

}  // namespace condspec
