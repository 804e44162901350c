#pragma once
// Reading a whole file, as bytes (case files, baselines, JSON reports).
// Writing reports lives in reports/atomic_file.h.

#include <filesystem>
#include <optional>
#include <string>

namespace condspec {

// The content of the file at `path`, byte for byte; nullopt when it cannot
// be opened or read. Callers name the file in their own error message.
std::optional<std::string> read_file(const std::filesystem::path& path);

// At most the first `size` bytes of the file (its size, known beforehand),
// read into one string of that size: no second copy on the way, and no more
// than `size` bytes however the file grows meanwhile.
std::optional<std::string> read_file(const std::filesystem::path& path, size_t size);

}  // namespace condspec
