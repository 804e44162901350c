#pragma once
// Reports are written atomically: to a temporary file in the same directory,
// flushed, then renamed over the destination. A reader (or a CI step) never
// sees half a report, and an interrupted write leaves the old file alone.

#include <filesystem>
#include <functional>
#include <string_view>

#include "src/core/result.h"

namespace condspec {

Status write_file_atomically(const std::filesystem::path& path, std::string_view content);

// The same, for content produced piece by piece (a report of many targets
// need not be held whole): `produce` hands each piece to the sink it is
// given, in order.
using ContentSink = std::function<void(std::string_view piece)>;
Status write_file_atomically(const std::filesystem::path& path,
                             const std::function<void(const ContentSink&)>& produce);

}  // namespace condspec
