#pragma once
// "Did you mean": the known names closest to one a user mistyped.

#include <string>
#include <string_view>
#include <vector>

namespace condspec {

// Up to `limit` candidates, closest first: those within a small edit distance
// of `wanted` (a quarter of its length, at least 2, case-insensitive), then
// those containing it. Empty when nothing is close. Duplicates are dropped.
std::vector<std::string> closest_names(std::string_view wanted,
                                       const std::vector<std::string>& candidates,
                                       size_t limit = 5);

// "a, b or c" after "did you mean "; empty when `names` is empty.
std::string did_you_mean(const std::vector<std::string>& names);

}  // namespace condspec
