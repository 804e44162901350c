#include "src/engine/selection.h"

#include <gtest/gtest.h>

#include <utility>

namespace condspec {
namespace {

Scenario make(std::string id, std::string section, std::vector<std::string> tags) {
  Scenario s;
  s.id = std::move(id);
  s.section = std::move(section);
  s.tags = std::move(tags);
  return s;
}

TEST(Selection, MatchesIdTagAndSectionPrefix) {
  auto s = make("inm-weak", "13.1.2", {"etag"});
  EXPECT_TRUE(matches_pattern(s, "inm-weak"));
  EXPECT_TRUE(matches_pattern(s, "etag"));
  EXPECT_TRUE(matches_pattern(s, "13.1.2"));
  EXPECT_TRUE(matches_pattern(s, "13.1"));
  EXPECT_TRUE(matches_pattern(s, "13"));
  EXPECT_FALSE(matches_pattern(s, "13.1.2.1"));
  EXPECT_FALSE(matches_pattern(s, "13.1."));
  EXPECT_FALSE(matches_pattern(make("x", "13.10", {}), "13.1"));
}

TEST(Selection, SkipWinsOverSelect) {
  auto s = make("inm-weak", "13.1.2", {"etag"});
  EXPECT_TRUE(is_selected(s, {}));
  EXPECT_TRUE(is_selected(s, {{"13.1"}, {}}));
  EXPECT_FALSE(is_selected(s, {{"13.1"}, {"etag"}}));
  EXPECT_FALSE(is_selected(s, {{"15.4.5"}, {}}));
}

TEST(Selection, ReportsPatternsThatMatchNothing) {
  Suite suite;
  suite.scenarios = {make("inm-weak", "13.1.2", {"etag"})};
  Selection sel{{"13.1", "13.9"}, {"nosuchtag"}};
  EXPECT_EQ(unmatched_patterns(suite, sel), (std::vector<std::string>{"13.9", "nosuchtag"}));
}

}  // namespace
}  // namespace condspec
