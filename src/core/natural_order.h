#pragma once
// The order people expect for section numbers and requirement ids: runs of
// digits compare as numbers, so §2.3 comes before §13.1.2, §9 before §13, and
// 9110-6.6.1-date before 9110-13.1.2-evaluate. Plain string order puts
// "13" before "2" and "9".

#include <string_view>

namespace condspec {

// A strict weak order: digit runs by value (then, for equal values, fewer
// leading zeros first), everything else byte by byte.
bool natural_less(std::string_view a, std::string_view b);

// For std::map and std::sort.
struct NaturalLess {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const { return natural_less(a, b); }
};

}  // namespace condspec
