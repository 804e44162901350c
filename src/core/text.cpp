#include "src/core/text.h"

#include <fmt/format.h>

#include <cstdint>

namespace condspec {
namespace {
char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
// The length of the valid UTF-8 sequence that starts at text[i] (0 when it
// is not one: a stray continuation byte, an overlong form, a surrogate, past
// U+10FFFF, cut short), and its code point.
size_t utf8_sequence_at(std::string_view text, size_t i, uint32_t& code) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) {
    code = c;
    return 1;
  }
  const size_t length = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
  bool valid = length != 0 && c < 0xf5 && i + length <= text.size();
  code = length == 2 ? c & 0x1f : length == 3 ? c & 0x0f : c & 0x07;
  for (size_t k = 1; valid && k < length; ++k) {
    const auto next = static_cast<unsigned char>(text[i + k]);
    valid = (next & 0xc0) == 0x80;
    code = (code << 6) | (next & 0x3f);
  }
  const uint32_t smallest = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
  valid = valid && code >= smallest && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
  return valid ? length : 0;
}

// Characters that change how the text around them is shown rather than
// being shown: the bidirectional formatting characters (an override can make
// "exe.txt" read as "txt.exe", CVE-2021-42574) and the Unicode line and
// paragraph separators, which some terminals and viewers break lines at.
bool reorders_or_breaks_lines(uint32_t code) {
  return code == 0x061c ||                      // ARABIC LETTER MARK
         code == 0x200e || code == 0x200f ||    // LEFT-TO-RIGHT, RIGHT-TO-LEFT MARK
         (code >= 0x202a && code <= 0x202e) ||  // embeddings, overrides, POP DIRECTIONAL FORMATTING
         (code >= 0x2066 && code <= 0x2069) ||  // isolates
         code == 0x2028 || code == 0x2029;      // LINE SEPARATOR, PARAGRAPH SEPARATOR
}
}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view s, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == separator) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!is_tchar(c)) return false;
  return true;
}

std::string printable(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (unsigned char c : bytes) {
    if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n\n";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("\\x{:02x}", c);
    }
  }
  return out;
}

bool is_utf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    // Most text checked is ASCII (field sections); it needs no decoding.
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    uint32_t code = 0;
    const size_t length = utf8_sequence_at(text, i, code);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

std::string printable_prefix(std::string_view bytes, size_t limit) {
  if (bytes.size() <= limit) return printable(bytes);
  return printable(bytes.substr(0, limit)) + std::string(kCutMark);
}

std::string terminal_safe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  auto escape = [&](unsigned char c) { out += fmt::format("\\x{:02x}", c); };
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7f) {
        escape(c);
      } else {
        out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    uint32_t code = 0;
    const size_t length = utf8_sequence_at(text, i, code);
    const bool valid = length > 0;
    if (!valid || (code >= 0x80 && code <= 0x9f)) {
      escape(c);
      ++i;
      continue;
    }
    if (reorders_or_breaks_lines(code)) {
      out += fmt::format("\\u{:04x}", code);
      i += length;
      continue;
    }
    out.append(text.substr(i, length));
    i += length;
  }
  return out;
}

}  // namespace condspec
