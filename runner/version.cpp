#include "runner/version.h"

namespace condspec {

std::string_view condspec_version() {
  return CONDSPEC_VERSION;  // set by CMakeLists.txt from project(VERSION)
}

}  // namespace condspec
