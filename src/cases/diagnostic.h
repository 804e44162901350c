#pragma once
// How a case-file problem is shown to its author: "<file>:<line>:<column>: <message>",
// the form compilers use, so editors can jump to it.

#include <string>
#include <string_view>

#include "src/cases/model.h"

namespace condspec {

inline std::string located(const SourceLocation& where, std::string_view message) {
  std::string out = where.file;
  if (!out.empty()) out += ':';
  out += std::to_string(where.line) + ':' + std::to_string(where.column) + ": ";
  out += message;
  return out;
}

}  // namespace condspec
