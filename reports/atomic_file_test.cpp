#include "reports/atomic_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

namespace condspec {
namespace {

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(AtomicFile, ReplacesContentAndLeavesNoTemporaryFile) {
  auto dir =
      std::filesystem::temp_directory_path() / ("condspec-atomic-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto file = dir / "report.json";
  ASSERT_TRUE(write_file_atomically(file, "old").ok());
  ASSERT_TRUE(write_file_atomically(file, "new").ok());
  EXPECT_EQ(read(file), "new");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 1);
  std::filesystem::remove_all(dir);
}

TEST(AtomicFile, NamesThePathWhenTheDirectoryIsMissing) {
  auto status = write_file_atomically("/nonexistent-condspec-dir/report.json", "x");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message,
            "cannot write /nonexistent-condspec-dir/report.json: No such file or directory");
}

}  // namespace
}  // namespace condspec
