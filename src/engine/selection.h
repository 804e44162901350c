#pragma once
// --select / --skip: which scenarios run. A pattern matches a scenario when it
// is the scenario's id, one of its tags, or a section prefix ("13.1" matches
// 13.1, 13.1.2 and 13.1.2.1, but not 13.10).

#include <string>
#include <string_view>
#include <vector>

#include "src/cases/model.h"

namespace condspec {

struct Selection {
  std::vector<std::string> select;  // empty: everything
  std::vector<std::string> skip;
};

bool matches_pattern(const Scenario& scenario, std::string_view pattern);
bool is_selected(const Scenario& scenario, const Selection& selection);

// Patterns that match no scenario of the suite: almost always a typo, which
// would otherwise silently select nothing.
std::vector<std::string> unmatched_patterns(const Suite& suite, const Selection& selection);

}  // namespace condspec
