#pragma once
// Runs one scenario against one target: renders each step's request from the
// responses of earlier steps, sends it with the wire client, judges the
// expectations, and keeps every exchange as evidence.

#include <optional>
#include <string>

#include "src/cases/facts.h"
#include "src/cases/model.h"
#include "src/core/clock.h"
#include "src/engine/run_result.h"
#include "src/engine/target.h"

namespace condspec {

struct ScenarioEnv {
  const Suite& suite;
  const TargetConfig& target;
  const Facts& facts;
  const Clock& clock;
};

// The reason a scenario cannot run on this target, if any (missing facts,
// unsafe without --unsafe-url).
std::optional<std::string> not_applicable_reason(const Scenario& scenario, const Facts& facts);

ScenarioResult run_scenario(const Scenario& scenario, const ScenarioEnv& env);

}  // namespace condspec
