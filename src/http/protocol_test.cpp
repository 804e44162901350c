#include "src/http/protocol.h"

#include <gtest/gtest.h>

namespace condspec {
namespace {

TEST(Protocol, NamesRoundTrip) {
  for (Protocol protocol : kProtocols) EXPECT_EQ(parse_protocol(to_string(protocol)), protocol);
  EXPECT_EQ(to_string(Protocol::http1_1), "http/1.1");
  EXPECT_EQ(to_string(Protocol::h2), "h2");
  EXPECT_EQ(to_string(Protocol::h2c), "h2c");
}

TEST(Protocol, OnlyTheExactNamesParse) {
  for (std::string_view name : {"", "HTTP/1.1", "http/2", "H2", "h3", "http1.1", "h2 "})
    EXPECT_FALSE(parse_protocol(name)) << name;
}

TEST(Protocol, H2NeedsTlsAndH2cCleartext) {
  const Url http{"http", "example.com", 80, "/"};
  const Url https{"https", "example.com", 443, "/"};
  EXPECT_TRUE(reaches(Protocol::http1_1, http));
  EXPECT_TRUE(reaches(Protocol::http1_1, https));
  EXPECT_FALSE(reaches(Protocol::h2, http));
  EXPECT_TRUE(reaches(Protocol::h2, https));
  EXPECT_TRUE(reaches(Protocol::h2c, http));
  EXPECT_FALSE(reaches(Protocol::h2c, https));
}

}  // namespace
}  // namespace condspec
