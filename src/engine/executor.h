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

class ConnectionPool;
class SharedRequests;

struct ScenarioEnv {
  const Suite& suite;
  const TargetConfig& target;
  const Facts& facts;
  const Clock& clock;
  // Kept-alive connections shared with other scenarios; none: each
  // connection is the scenario's own and closed at its end.
  ConnectionPool* pool = nullptr;
  // The target's requests sent once (shared_requests.h); none: every step
  // sends its own.
  SharedRequests* shared = nullptr;
};

// Whether a scenario judges the connection itself (whether the server
// answers or drops a request, a split header section, an HTTP version
// other than 1.1, a Connection field): it never starts on a connection
// another scenario used.
bool judges_the_connection(const Scenario& scenario);

// The reason a scenario cannot run on this target, if any (missing facts,
// unsafe without --unsafe-url).
std::optional<std::string> not_applicable_reason(const Scenario& scenario, const Facts& facts);

ScenarioResult run_scenario(const Scenario& scenario, const ScenarioEnv& env);

}  // namespace condspec
