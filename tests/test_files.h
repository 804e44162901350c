#pragma once
// Files for end-to-end tests: a fresh folder per test, and a file's bytes.

#include <filesystem>
#include <string>
#include <string_view>

namespace condspec::test {

// An empty folder under the system's temporary folder, named after the
// suite, the test and this process, so parallel ctest runs never share one.
std::filesystem::path fresh_test_dir(std::string_view suite, std::string_view name);

// The whole content of `path`, byte for byte ("" when it cannot be read).
std::string slurp(const std::filesystem::path& path);

}  // namespace condspec::test
