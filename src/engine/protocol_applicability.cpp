#include "src/engine/protocol_applicability.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "src/cases/protocol_bounds.h"

namespace condspec {

bool applies_over(const Scenario& scenario, Protocol protocol) {
  return std::find(scenario.protocols.begin(), scenario.protocols.end(), protocol) !=
         scenario.protocols.end();
}

std::string not_over_reason(const Scenario& scenario, Protocol protocol) {
  if (auto barrier = protocol_barrier(scenario, protocol)) return barrier->reason;
  std::vector<std::string_view> names;
  for (Protocol listed : scenario.protocols) names.push_back(to_string(listed));
  return fmt::format("the scenario's case file runs it over {} only (protocols)",
                     fmt::join(names, ", "));
}

}  // namespace condspec
