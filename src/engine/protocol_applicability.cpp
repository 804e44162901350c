#include "src/engine/protocol_applicability.h"

#include <fmt/format.h>

namespace condspec {

bool applies_over(const Scenario&, Protocol) {
  return true;
}

std::string not_over_reason(const Scenario&, Protocol protocol) {
  return fmt::format("the scenario does not apply over {}", to_string(protocol));
}

}  // namespace condspec
