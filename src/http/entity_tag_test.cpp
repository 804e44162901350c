#include "src/http/entity_tag.h"

#include <gtest/gtest.h>

#include <utility>

namespace condspec {
namespace {

EntityTag strong(std::string opaque) {
  return EntityTag{false, std::move(opaque)};
}
EntityTag weak(std::string opaque) {
  return EntityTag{true, std::move(opaque)};
}

TEST(EntityTag, ParsesStrongAndWeakTags) {
  EXPECT_EQ(parse_entity_tag("\"xyzzy\""), strong("xyzzy"));
  EXPECT_EQ(parse_entity_tag("W/\"xyzzy\""), weak("xyzzy"));
  EXPECT_EQ(parse_entity_tag("\"\""), strong(""));
  EXPECT_EQ(parse_entity_tag("W/\"\""), weak(""));
  EXPECT_EQ(parse_entity_tag(" \t\"a\"\t "), strong("a"));
}

TEST(EntityTag, KeepsEveryEtagcOctetExactly) {
  // %x21, %x23-7E (including "," "/" "W" and "\"), obs-text.
  EXPECT_EQ(parse_entity_tag("\"!#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~\""),
            strong("!#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~"));
  EXPECT_EQ(parse_entity_tag("\"W/a\""), strong("W/a"));
  EXPECT_EQ(parse_entity_tag("\"\x80\xff\xc3\xa9\""), strong("\x80\xff\xc3\xa9"));
  EXPECT_EQ(parse_entity_tag("\"a,b\""), strong("a,b"));
}

TEST(EntityTag, RejectsWhatIsNotOneTag) {
  const char* invalid[] = {
      "",
      " ",
      "xyzzy",
      "w/\"x\"",
      "W\"x\"",
      "W/x",
      "W/ \"x\"",
      "W /\"x\"",
      "\"x",
      "x\"",
      "\"",
      "'x'",
      "\"a\" \"b\"",
      "\"a\",\"b\"",
      "\"a\",",
      ",\"a\"",
      "\"a\"x",
      "\"a b\"",
      "\"a\tb\"",
      "\"a\"b\"",
      "\"a\x7f\"",
      "\"a\rb\"",
      "\"a\nb\"",
      "*",
      "\"a\"\r\n",
      "\xef\xbb\xbf\"a\"",
      "WW/\"a\"",
      "\"a\";q=1",
  };
  for (const char* text : invalid) {
    EXPECT_EQ(parse_entity_tag(text), std::nullopt) << '[' << text << ']';
  }
  EXPECT_EQ(parse_entity_tag(std::string_view("\"a\0b\"", 5)), std::nullopt);
}

TEST(EntityTag, StrRendersTheWireForm) {
  EXPECT_EQ(strong("xyzzy").str(), "\"xyzzy\"");
  EXPECT_EQ(weak("xyzzy").str(), "W/\"xyzzy\"");
  EXPECT_EQ(strong("").str(), "\"\"");
  for (const char* text : {"\"a,b\"", "W/\"\"", "W/\"x\"", "\"\x80\""}) {
    EXPECT_EQ(parse_entity_tag(text)->str(), text);
  }
}

TEST(EntityTag, ComparisonMatrixOfRfc9110) {
  // RFC 9110 8.8.3.2, the four example rows.
  struct Row {
    EntityTag a, b;
    bool strong, weak;
  };
  const Row rows[] = {
      {weak("1"), weak("1"), false, true},
      {weak("1"), weak("2"), false, false},
      {weak("1"), strong("1"), false, true},
      {strong("1"), strong("1"), true, true},
      // and the rest of the combinations
      {strong("1"), weak("1"), false, true},
      {strong("1"), strong("2"), false, false},
      {strong("1"), weak("2"), false, false},
      {weak("2"), strong("1"), false, false},
      {strong(""), strong(""), true, true},
      {weak(""), strong(""), false, true},
      {strong("a"), strong("A"), false, false},  // octet by octet: case matters
      {strong("a"), strong("a "), false, false},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(strong_match(row.a, row.b), row.strong) << row.a.str() << " vs " << row.b.str();
    EXPECT_EQ(strong_match(row.b, row.a), row.strong) << row.b.str() << " vs " << row.a.str();
    EXPECT_EQ(weak_match(row.a, row.b), row.weak) << row.a.str() << " vs " << row.b.str();
    EXPECT_EQ(weak_match(row.b, row.a), row.weak) << row.b.str() << " vs " << row.a.str();
  }
}

TEST(TagCondition, ParsesStar) {
  for (const char* text : {"*", " * ", "\t*"}) {
    auto condition = parse_tag_condition(text);
    ASSERT_TRUE(condition.has_value()) << text;
    EXPECT_TRUE(condition->any);
    EXPECT_TRUE(condition->tags.empty());
  }
}

TEST(TagCondition, ParsesListsWithEmptyElementsAndOws) {
  auto one = parse_tag_condition("\"a\"");
  ASSERT_TRUE(one.has_value());
  EXPECT_FALSE(one->any);
  EXPECT_EQ(one->tags, std::vector<EntityTag>{strong("a")});

  auto two = parse_tag_condition(", \"a\" ,, W/\"b\" ,");
  ASSERT_TRUE(two.has_value());
  EXPECT_EQ(two->tags, (std::vector<EntityTag>{strong("a"), weak("b")}));

  auto tight = parse_tag_condition("\"a\",W/\"b\",\"\"");
  ASSERT_TRUE(tight.has_value());
  EXPECT_EQ(tight->tags, (std::vector<EntityTag>{strong("a"), weak("b"), strong("")}));

  auto tabs = parse_tag_condition("\t\"a\"\t,\t\"b\"\t");
  ASSERT_TRUE(tabs.has_value());
  EXPECT_EQ(tabs->tags, (std::vector<EntityTag>{strong("a"), strong("b")}));

  // A comma inside the quotes belongs to the tag.
  auto comma = parse_tag_condition("\"a,b\", \"c\"");
  ASSERT_TRUE(comma.has_value());
  EXPECT_EQ(comma->tags, (std::vector<EntityTag>{strong("a,b"), strong("c")}));

  auto same = parse_tag_condition("\"a\", \"a\"");  // duplicates are kept as sent
  ASSERT_TRUE(same.has_value());
  EXPECT_EQ(same->tags.size(), 2u);
}

TEST(TagCondition, RejectsInvalidLists) {
  const char* invalid[] = {
      "",
      " ",
      ",",
      " , ,\t,",
      "*, \"a\"",
      "\"a\", *",
      "*,",
      ", *",
      "* *",
      "**",
      "\"a\" \"b\"",
      "\"a\" W/\"b\"",
      "a",
      "\"a\", b",
      "w/\"a\"",
      "\"a\", w/\"b\"",
      "\"a",
      "\"a\", \"b",
      "\"a b\"",
      "\"a\";x",
      "\"a\"\r\n",
      "W/",
      "\"a\",\"b\"x",
  };
  for (const char* text : invalid) {
    EXPECT_EQ(parse_tag_condition(text), std::nullopt) << '[' << text << ']';
  }
}

}  // namespace
}  // namespace condspec
