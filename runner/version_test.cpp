#include "runner/version.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>

namespace condspec {
namespace {

TEST(Version, IsMajorMinorPatch) {
  EXPECT_TRUE(std::regex_match(std::string(condspec_version()), std::regex(R"(\d+\.\d+\.\d+)")))
      << condspec_version();
}

}  // namespace
}  // namespace condspec
