#include "src/core/suggest.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace condspec {

namespace {

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

// Levenshtein distance, case-insensitive; stops early above `bound`.
size_t edit_distance(std::string_view a, std::string_view b, size_t bound) {
  if (a.size() > b.size() + bound || b.size() > a.size() + bound) return bound + 1;
  std::vector<size_t> previous(b.size() + 1), current(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    size_t row_min = current[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t substitute = previous[j - 1] + (lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitute});
      row_min = std::min(row_min, current[j]);
    }
    if (row_min > bound) return bound + 1;
    std::swap(previous, current);
  }
  return previous[b.size()];
}

bool contains_ignoring_case(std::string_view text, std::string_view part) {
  return std::search(text.begin(), text.end(), part.begin(), part.end(),
                     [](char x, char y) { return lower(x) == lower(y); }) != text.end();
}

}  // namespace

std::vector<std::string> closest_names(std::string_view wanted,
                                       const std::vector<std::string>& candidates, size_t limit) {
  const size_t bound = std::max<size_t>(2, wanted.size() / 4);
  std::vector<std::pair<size_t, std::string>> ranked;  // (distance, name)
  for (const auto& name : candidates) {
    if (name == wanted) continue;
    size_t distance = edit_distance(wanted, name, bound);
    if (distance > bound) {
      if (wanted.size() < 3 || !contains_ignoring_case(name, wanted)) continue;
      distance = bound + 1;  // after every near miss
    }
    ranked.emplace_back(distance, name);
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (auto& [distance, name] : ranked) {
    if (out.size() == limit) break;
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(std::move(name));
  }
  return out;
}

std::string did_you_mean(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

}  // namespace condspec
