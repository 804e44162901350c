#include "src/cases/diagnostic.h"

#include <algorithm>

#include "src/core/text.h"

namespace condspec {
namespace {

// The most columns of a source line shown; a longer line is shown as a
// window around the column. Wide enough for every line of the shipped cases.
constexpr int kShownColumns = 120;
constexpr std::string_view kCut = "...";

// One character of a source line as the terminal shows it: a tab as one
// space (yaml-cpp and the template parser count a tab as one column, so the
// caret stays aligned), a valid UTF-8 sequence as itself, and anything
// terminal_safe escapes as its escape (\x1b, four columns).
struct Shown {
  size_t offset;  // of its first byte in the line
  size_t bytes;   // in the line
  std::string text;
  int columns;
};

size_t utf8_length(unsigned char lead) {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 1;
}

std::vector<Shown> shown_characters(std::string_view line) {
  std::vector<Shown> out;
  for (size_t i = 0; i < line.size();) {
    const auto c = static_cast<unsigned char>(line[i]);
    if (c == '\t') {
      out.push_back({i, 1, " ", 1});
      ++i;
      continue;
    }
    const size_t length = utf8_length(c);
    if (length > 1 && i + length <= line.size()) {
      // terminal_safe keeps a sequence unchanged exactly when it is valid,
      // printable UTF-8: one character on the screen. (Characters that take
      // two columns, as in CJK text, shift the caret; case files are ASCII.)
      const std::string_view sequence = line.substr(i, length);
      if (terminal_safe(sequence) == sequence) {
        out.push_back({i, length, std::string(sequence), 1});
        i += length;
        continue;
      }
    }
    std::string text = terminal_safe(line.substr(i, 1));
    const int columns = static_cast<int>(text.size());  // ASCII or an escape
    out.push_back({i, 1, std::move(text), columns});
    ++i;
  }
  return out;
}

// The line, then spaces and a caret under the character at byte `offset`
// (just past the end when the offset is). A line wider than kShownColumns is
// cut to a window that keeps the caret near the middle.
std::string excerpt(std::string_view line, size_t offset) {
  const std::vector<Shown> characters = shown_characters(line);
  const size_t count = characters.size();
  // The character the caret points at (count: just past the end).
  size_t caret = 0;
  while (caret < count && characters[caret].offset + characters[caret].bytes <= offset) ++caret;
  std::vector<int> before(count + 1, 0);  // columns before each index
  for (size_t i = 0; i < count; ++i) before[i + 1] = before[i] + characters[i].columns;
  auto width = [&](size_t from, size_t to) { return before[to] - before[from]; };

  size_t first = 0, last = count;  // the window [first, last)
  if (before[count] > kShownColumns) {
    while (first < caret && width(first, caret) > kShownColumns / 2) ++first;
    last = first;
    while (last < count && width(first, last + 1) <= kShownColumns) ++last;
    while (first > 0 && width(first - 1, last) <= kShownColumns) --first;
  }
  std::string out;
  if (first > 0) out += kCut;
  for (size_t i = first; i < last; ++i) out += characters[i].text;
  if (last < count) out += kCut;
  const int indent = (first > 0 ? static_cast<int>(kCut.size()) : 0) + width(first, caret);
  out += '\n';
  out += std::string(static_cast<size_t>(indent), ' ');
  out += '^';
  return out;
}

}  // namespace

std::string render(const Diagnostic& d) {
  std::string out = d.where.file;
  if (d.where.line <= 0) return out + ": " + terminal_safe(d.message);
  if (!out.empty()) out += ':';
  out += std::to_string(d.where.line) + ':' + std::to_string(d.where.column) + ": ";
  out += terminal_safe(d.message);
  if (d.source_line) {
    const size_t column = d.where.column > 1 ? static_cast<size_t>(d.where.column - 1) : 0;
    const size_t offset = column - std::min(column, d.source_line_start);
    out += '\n';
    out += excerpt(*d.source_line, offset);
  }
  return out;
}

std::string render(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) {
    if (!out.empty()) out += '\n';
    out += render(d);
  }
  return out;
}

std::optional<std::string_view> line_of(std::string_view text, int line) {
  if (line < 1) return std::nullopt;
  size_t start = 0;
  for (int n = 1; n < line; ++n) {
    const size_t end = text.find('\n', start);
    if (end == std::string_view::npos) return std::nullopt;
    start = end + 1;
  }
  if (start >= text.size()) return std::nullopt;  // past the end, or an empty text
  std::string_view rest = text.substr(start);
  std::string_view found = rest.substr(0, rest.find('\n'));
  if (found.ends_with('\r')) found.remove_suffix(1);
  return found;
}

}  // namespace condspec
