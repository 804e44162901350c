#pragma once
// The version of condspec: written once, in CMakeLists.txt
// (project(condspec VERSION ...)), and compiled in from there. `--version`
// prints it and every report names it.

#include <string_view>

namespace condspec {

std::string_view condspec_version();  // e.g. "0.1.0"

}  // namespace condspec
