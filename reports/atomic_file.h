#pragma once
// Reports are written atomically: to a temporary file in the same directory,
// flushed, then renamed over the destination. A reader (or a CI step) never
// sees half a report, and an interrupted write leaves the old file alone.

#include <filesystem>
#include <string_view>

#include "src/core/result.h"

namespace condspec {

Status write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace condspec
