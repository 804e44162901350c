#pragma once
// Small text helpers shared by the HTTP and case layers. Field names are
// case-insensitive (RFC 9110 5.1); everything else here is ASCII-only on purpose.

#include <ranges>
#include <string>
#include <string_view>
#include <vector>

namespace condspec {

bool iequals(std::string_view a, std::string_view b);
std::string to_lower(std::string_view s);
std::string_view trim(std::string_view s);  // optional whitespace: SP and HTAB
std::vector<std::string_view> split(std::string_view s, char separator);

// The parts with `separator` between them: join(parts, ", ") is "a, b, c",
// and "" when there are no parts. Parts are strings, string_views or C
// strings, in any range (a vector, a set of facts, ...).
template <std::ranges::input_range Parts>
std::string join(const Parts& parts, std::string_view separator) {
  std::string out;
  bool first = true;
  for (const auto& part : parts) {
    if (!first) out += separator;
    first = false;
    out += part;
  }
  return out;
}

// tchar and token (RFC 9110 5.6.2): field names and methods.
bool is_tchar(char c);
bool is_token(std::string_view s);

// Whether `text` is valid UTF-8 (RFC 3629: no overlong forms, surrogates or
// code points past U+10FFFF).
bool is_utf8(std::string_view text);

// Shows arbitrary bytes as readable text for evidence: printable ASCII as is,
// CR/LF as \r \n (LF also breaks the line), every other byte as \xNN.
std::string printable(std::string_view bytes);

// How text cut short for a message or a report ends. Redaction
// (src/engine/redact.h) treats what precedes it as possibly the start of a
// secret whose rest was cut off.
inline constexpr std::string_view kCutMark = "...";

// printable() of the first `limit` bytes, followed by kCutMark when there
// were more: the one way evidence is shortened for a message or a report.
std::string printable_prefix(std::string_view bytes, size_t limit);

// Text for a terminal line: valid UTF-8 is kept, but control characters (C0,
// DEL and the C1 range, which includes the CSI that starts escape sequences)
// and bytes that are not UTF-8 are shown as \xNN, and characters that
// reorder or break what is shown (bidirectional formatting characters such
// as U+202E, the line and paragraph separators U+2028 and U+2029) as \uXXXX.
// Server-sent text goes through this before it is printed; it is also the
// first step of the escaper of every other output format.
std::string terminal_safe(std::string_view text);

}  // namespace condspec
