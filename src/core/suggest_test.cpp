#include "src/core/suggest.h"

#include <gtest/gtest.h>

namespace condspec {
namespace {

const std::vector<std::string> kIds = {"inm-list-with-current-tag", "inm-current-strong-tag",
                                       "inm-weak-form-of-strong-tag", "ims-exact-date",
                                       "9110-13.1.2-list-match"};

TEST(Suggest, TyposFindTheNameMeant) {
  EXPECT_EQ(closest_names("inm-lst-with-curent-tag", kIds),
            (std::vector<std::string>{"inm-list-with-current-tag"}));
  EXPECT_EQ(closest_names("IMS-EXACT-DATE", kIds), (std::vector<std::string>{"ims-exact-date"}));
}

TEST(Suggest, APartOfANameFindsEveryNameContainingIt) {
  EXPECT_EQ(closest_names("strong-tag", kIds),
            (std::vector<std::string>{"inm-current-strong-tag", "inm-weak-form-of-strong-tag"}));
}

TEST(Suggest, NothingCloseSuggestsNothing) {
  EXPECT_TRUE(closest_names("content-range", kIds).empty());
  EXPECT_TRUE(closest_names("zz", kIds).empty());
}

TEST(Suggest, DidYouMeanReadsAsAList) {
  EXPECT_EQ(did_you_mean({"a"}), "a");
  EXPECT_EQ(did_you_mean({"a", "b"}), "a or b");
  EXPECT_EQ(did_you_mean({"a", "b", "c"}), "a, b or c");
  EXPECT_EQ(did_you_mean({}), "");
}

}  // namespace
}  // namespace condspec
