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
    for (auto basic : f.builds_on) EXPECT_TRUE(before.contains(basic)) << f.name << ": " << basic;
    before.insert(f.name);
  }
}

// The reason given is that of the most basic missing fact, followed down
// what it builds on: no ETag before "does not evaluate If-None-Match", and
// content that changes before "the ETag changed".
TEST(Facts, TheReasonGivenIsThatOfTheMostBasicMissingFact) {
  const FactInfo& inm = *find_fact(fact::if_none_match);
  EXPECT_EQ(root_missing_reason(inm, {}), "the target sends no valid ETag");
  EXPECT_EQ(root_missing_reason(inm, {"etag"}),
            "the target's content changed between two GETs (it is generated per request)");
  EXPECT_EQ(root_missing_reason(inm, {"etag", "same-content"}),
            "the target's ETag or Last-Modified changed between two GETs of the same content (a "
            "changing ETag is reported by etag-unchanged-between-gets)");
  EXPECT_EQ(root_missing_reason(inm, {"etag", "same-content", "stable"}),
            "the target does not answer If-None-Match carrying its own ETag with 304 (judged "
            "separately)");
  EXPECT_EQ(root_missing_reason(*find_fact(fact::ranges), {}),
            "the target does not serve byte ranges");
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
