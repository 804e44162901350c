#include "src/core/file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>

namespace condspec {
namespace {

TEST(ReadFile, ReturnsEveryByte) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("condspec-read-file-" + std::to_string(getpid()) + ".bin");
  const std::string bytes("a\r\nb\0c\xff", 7);
  std::ofstream(path, std::ios::binary) << bytes;
  EXPECT_EQ(read_file(path), bytes);
  std::ofstream(path, std::ios::binary | std::ios::trunc).close();
  EXPECT_EQ(read_file(path), "");
  std::filesystem::remove(path);
}

TEST(ReadFile, NothingWhenTheFileIsMissing) {
  EXPECT_EQ(read_file("/nonexistent/condspec/file.yaml"), std::nullopt);
  EXPECT_EQ(read_file("/nonexistent/condspec/file.yaml", 10), std::nullopt);
}

TEST(ReadFile, WithASizeReadsAtMostThatMany) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("condspec-read-file-sized-" + std::to_string(getpid()) + ".bin");
  const std::string bytes("0123456789", 10);
  std::ofstream(path, std::ios::binary) << bytes;
  EXPECT_EQ(read_file(path, 10), bytes);
  EXPECT_EQ(read_file(path, 4), "0123");  // the file grew after its size was taken
  EXPECT_EQ(read_file(path, 64), bytes);  // or shrank
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace condspec
