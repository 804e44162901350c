#include "tests/test_files.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

namespace condspec::test {

std::filesystem::path fresh_test_dir(std::string_view suite, std::string_view name) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("condspec-" + std::string(suite) + "-" +
                                              std::string(name) + "-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace condspec::test
