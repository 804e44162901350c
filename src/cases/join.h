#pragma once
// Temporary: a twin of the `join` helpers of loader.cpp and engine/checks.cpp
// for the code that moved out of them (step_reader.cpp, checks/). The three
// are being made one in src/core/text; delete this file then (the linker
// reports condspec::join defined twice until it is).

#include <string>
#include <string_view>
#include <vector>

namespace condspec {

// The parts with `separator` between them.
std::string join(const std::vector<std::string>& parts, std::string_view separator);

}  // namespace condspec
