#include "src/cases/join.h"

namespace condspec {

// As engine/checks.cpp's copy: a separator between every two parts, empty
// ones too (field values may be empty). loader.cpp's copy skips the
// separator after empty leading parts; its callers never have any.
std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

}  // namespace condspec
