#pragma once

#include <string>

namespace condspec {

// The cases folder to use: the one given, else the one shipped with the
// program: <dir of the executable>/cases, <dir>/../cases, or
// <dir>/../share/condspec/cases, else the source tree's cases/ it was built from.
std::string resolve_cases_dir(const std::string& given);

}  // namespace condspec
