// The fact table: the names case files may put in `needs`.

#include "src/cases/facts.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace condspec {
namespace {

TEST(Facts, EachNameIsListedOnceAndFoundByName) {
  std::set<std::string_view> names;
  for (const auto& f : known_facts()) {
    EXPECT_TRUE(names.insert(f.name).second) << f.name << " is listed twice";
    EXPECT_EQ(find_fact(f.name), &f) << f.name;
    EXPECT_FALSE(f.meaning.empty()) << f.name;
    EXPECT_FALSE(f.missing_reason.empty()) << f.name;
  }
  EXPECT_EQ(find_fact("strong_etag"), nullptr);  // the constant's spelling is not the name
  EXPECT_EQ(find_fact(""), nullptr);
}

// A missing fact is explained by the more basic one it builds on, so that
// one must be a known fact listed before it.
TEST(Facts, EachFactBuildsOnAFactListedBeforeIt) {
  std::set<std::string_view> before;
  for (const auto& f : known_facts()) {
    if (!f.builds_on.empty()) {
      EXPECT_TRUE(before.contains(f.builds_on)) << f.name;
    }
    before.insert(f.name);
  }
}

// Without a writable URL nothing that needs one can run, whatever else the
// target offers: that reason comes first.
TEST(Facts, UnsafeUrlIsTheFirstReasonGiven) {
  ASSERT_FALSE(known_facts().empty());
  EXPECT_EQ(known_facts().front().name, fact::unsafe_url);
  EXPECT_EQ(fact::unsafe_url, "unsafe-url");
  EXPECT_EQ(fact::missing_404, "missing-404");
}

}  // namespace
}  // namespace condspec
