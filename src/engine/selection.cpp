#include "src/engine/selection.h"

#include <algorithm>

namespace condspec {

bool matches_pattern(const Scenario& scenario, std::string_view pattern) {
  if (scenario.id == pattern) return true;
  if (std::find(scenario.tags.begin(), scenario.tags.end(), pattern) != scenario.tags.end())
    return true;
  const std::string_view section = scenario.section;
  if (section == pattern) return true;
  return section.size() > pattern.size() && section.starts_with(pattern) &&
         section[pattern.size()] == '.';
}

bool is_selected(const Scenario& scenario, const Selection& selection) {
  auto any = [&](const std::vector<std::string>& patterns) {
    return std::any_of(patterns.begin(), patterns.end(),
                       [&](const std::string& p) { return matches_pattern(scenario, p); });
  };
  if (!selection.select.empty() && !any(selection.select)) return false;
  return !any(selection.skip);
}

std::vector<std::string> unmatched_patterns(const Suite& suite, const Selection& selection) {
  std::vector<std::string> unmatched;
  for (const auto* patterns : {&selection.select, &selection.skip}) {
    for (const auto& p : *patterns) {
      bool used = std::any_of(suite.scenarios.begin(), suite.scenarios.end(),
                              [&](const Scenario& s) { return matches_pattern(s, p); });
      if (!used) unmatched.push_back(p);
    }
  }
  return unmatched;
}

}  // namespace condspec
