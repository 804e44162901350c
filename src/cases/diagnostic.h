#pragma once
// A problem in a file someone wrote by hand (a case file, the requirement
// catalog, a baseline), as a value: where it is and what is wrong. It is
// shown the way compilers and ninja show theirs, so editors can jump to it
// and the reader sees the offending text without opening the file:
//
//   cases/t.yaml:13:33: unknown function 'wek' (known: weak, strong, ...)
//               If-None-Match: W/{{ wek(first.etag) }}
//                                   ^

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/core/result.h"

namespace condspec {

struct SourceLocation {
  std::string file;  // as given to the loader (relative to the cases dir's parent when possible)
  int line = 0;      // 1-based; 0 for the file as a whole
  int column = 0;    // 1-based: the byte of that line, counted from 1
  bool operator==(const SourceLocation&) const = default;
};

struct Diagnostic {
  SourceLocation where;
  // One sentence. It may quote any byte of the file: render() makes it safe
  // for a terminal, so it is kept here as found.
  std::string message;
  // The line `where` points into, as in the file and without its line break;
  // nullopt when unknown (the template parser sees only the template text,
  // the loader that reads the file fills it in).
  std::optional<std::string> source_line;
  // Where source_line begins in the line (a byte offset): a long line is
  // kept only around the column, wider than what render() shows of it.
  size_t source_line_start = 0;
  bool operator==(const Diagnostic&) const = default;
};

// "<file>:<line>:<column>: <message>" ("<file>: <message>" for the file as a
// whole), then, when the source line is known, that line and a caret under
// the column. The message and the line go through terminal_safe; a long line
// is cut to a window around the column, marked with "...". No final line break.
std::string render(const Diagnostic& diagnostic);

// Each diagnostic rendered, one after another, without a final line break.
std::string render(const std::vector<Diagnostic>& diagnostics);

// What reading a hand-written file gives: the value, or every problem in it.
template <class T>
using Loaded = Result<T, std::vector<Diagnostic>>;

// Line `line` (1-based) of `text`, without its LF or CRLF; nullopt past the end.
std::optional<std::string_view> line_of(std::string_view text, int line);

}  // namespace condspec
