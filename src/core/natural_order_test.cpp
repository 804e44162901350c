#include "src/core/natural_order.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace condspec {
namespace {

TEST(NaturalOrder, SectionsSortByNumber) {
  std::vector<std::string> sections = {"15.5.13", "13.1.10", "9", "2.3", "13.1.2", "13", "6.6.1"};
  std::sort(sections.begin(), sections.end(), NaturalLess{});
  EXPECT_EQ(sections,
            (std::vector<std::string>{"2.3", "6.6.1", "9", "13", "13.1.2", "13.1.10", "15.5.13"}));
}

TEST(NaturalOrder, RequirementIdsSortByRfcThenSection) {
  std::vector<std::string> ids = {"9112-6.3-length", "9110-13.1.2-evaluate", "9110-2.3-diversity",
                                  "9110-13.1.2-list-match", "9110-6.6.1-date"};
  std::sort(ids.begin(), ids.end(), NaturalLess{});
  EXPECT_EQ(ids, (std::vector<std::string>{"9110-2.3-diversity", "9110-6.6.1-date",
                                           "9110-13.1.2-evaluate", "9110-13.1.2-list-match",
                                           "9112-6.3-length"}));
}

TEST(NaturalOrder, IsAStrictWeakOrder) {
  EXPECT_FALSE(natural_less("13.1", "13.1"));
  EXPECT_TRUE(natural_less("13.1", "13.1.2"));
  EXPECT_FALSE(natural_less("13.1.2", "13.1"));
  EXPECT_TRUE(natural_less("7", "07"));  // equal values: fewer leading zeros first
  EXPECT_FALSE(natural_less("07", "7"));
  EXPECT_TRUE(natural_less("", "a"));
  EXPECT_TRUE(natural_less("99999999999999999999999", "100000000000000000000000"));
}

}  // namespace
}  // namespace condspec
