#include "src/cases/model.h"

#include <gtest/gtest.h>

namespace condspec {
namespace {

TEST(Level, NamesReadBackAsTheirLevel) {
  for (Level level : kLevels) EXPECT_EQ(level_from(to_string(level)), level);
  EXPECT_EQ(to_string(Level::must_not), "MUST NOT");
  EXPECT_EQ(level_from("SHOULD NOT"), Level::should_not);
  EXPECT_EQ(level_from("must"), std::nullopt);  // BCP 14 keywords are upper case
  EXPECT_EQ(level_from("MUST  NOT"), std::nullopt);
  EXPECT_EQ(std::size(kLevels), 5u);
}

}  // namespace
}  // namespace condspec
