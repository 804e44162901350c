#include "src/core/overloaded.h"

#include <gtest/gtest.h>

#include <string>
#include <variant>

namespace condspec {
namespace {

std::string name_of(const std::variant<int, std::string, double>& v) {
  return std::visit(overloaded{[](int) { return std::string("int"); },
                               [](const std::string& s) { return "string " + s; },
                               [](double) { return std::string("double"); }},
                    v);
}

// Each alternative reaches its own lambda; there is no catch-all (an
// alternative without a lambda would not compile, which a test cannot show).
TEST(Overloaded, EachAlternativeReachesItsOwnLambda) {
  EXPECT_EQ(name_of(1), "int");
  EXPECT_EQ(name_of(std::string("x")), "string x");
  EXPECT_EQ(name_of(2.5), "double");
}

}  // namespace
}  // namespace condspec
