#include "src/engine/outcome.h"

#include <gtest/gtest.h>

namespace condspec {

TEST(Outcome, LevelDecidesWhatABrokenCheckMeans) {
  EXPECT_EQ(outcome_for_broken(Level::must), Outcome::fail);
  EXPECT_EQ(outcome_for_broken(Level::must_not), Outcome::fail);
  EXPECT_EQ(outcome_for_broken(Level::should), Outcome::warn);
  EXPECT_EQ(outcome_for_broken(Level::should_not), Outcome::warn);
  EXPECT_EQ(outcome_for_broken(Level::may), Outcome::info);
}

TEST(Outcome, AnObservedFailureIsNeverHiddenByALaterErrorOrCutShort) {
  EXPECT_EQ(worse(Outcome::fail, Outcome::error), Outcome::fail);
  EXPECT_EQ(worse(Outcome::fail, Outcome::not_applicable), Outcome::fail);
  EXPECT_EQ(worse(Outcome::error, Outcome::fail), Outcome::fail);
}

TEST(Outcome, AnErrorIsNeverHiddenBehindAWarningOrAPass) {
  EXPECT_EQ(worse(Outcome::warn, Outcome::error), Outcome::error);
  EXPECT_EQ(worse(Outcome::pass, Outcome::error), Outcome::error);
  EXPECT_EQ(worse(Outcome::pass, Outcome::not_applicable), Outcome::not_applicable);
  EXPECT_EQ(worse(Outcome::warn, Outcome::not_applicable), Outcome::warn);
  EXPECT_EQ(worse(Outcome::info, Outcome::pass), Outcome::info);
}

TEST(Outcome, Names) {
  EXPECT_EQ(to_string(Outcome::not_applicable), "not_applicable");
  EXPECT_EQ(to_string(Outcome::error), "error");
}

}  // namespace condspec
