#include "src/http/fields.h"

#include <gtest/gtest.h>

namespace condspec {

TEST(Fields, LookupIsCaseInsensitiveAndKeepsOrder) {
  Fields f{{"ETag", "\"a\""}, {"etag", "\"b\""}, {"Vary", "Accept-Encoding"}};
  ASSERT_NE(f.find("ETAG"), nullptr);
  EXPECT_EQ(*f.find("ETAG"), "\"a\"");
  EXPECT_EQ(f.count("Etag"), 2u);
  EXPECT_EQ(f.combined("ETag").value(), "\"a\", \"b\"");
  EXPECT_FALSE(f.combined("Expires").has_value());
}

TEST(Fields, SetReplacesEveryLine) {
  Fields f{{"A", "1"}, {"a", "2"}, {"B", "3"}};
  f.set("A", "4");
  EXPECT_EQ(f.all("a"), std::vector<std::string>{"4"});
  EXPECT_EQ(f.lines().front().name, "B");
}

}  // namespace condspec
