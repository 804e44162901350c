#pragma once
// A whole run: discover each target, then run every selected scenario on
// every target, in parallel, and collect one RunResult in a stable order
// (targets as given, scenarios in suite order) whatever the timing was. A
// target is a URL and the protocol it is judged over
// (TargetConfig::client.protocol): a URL judged over HTTP/1.1 and HTTP/2 is
// two targets, listed one after the other.

#include <functional>
#include <vector>

#include "src/cases/model.h"
#include "src/core/cancellation.h"
#include "src/core/clock.h"
#include "src/engine/run_result.h"
#include "src/engine/selection.h"
#include "src/engine/target.h"

namespace condspec {

struct RunPlan {
  std::vector<TargetConfig> targets;
  Selection selection;
  int jobs = 6;
  // Within each target of a `condspec run`, a request that discovery or
  // another scenario already sent is sent once (shared_requests.h); false
  // (--no-shared-requests): every step sends its own.
  bool share_requests = true;
  // Called after each scenario finishes (from worker threads, serialised).
  std::function<void(const TargetResult& target, const ScenarioResult& result)> on_result;
  // Called when a target's discovery is done.
  std::function<void(const TargetResult& target)> on_target;
  // --shard K/N: run only the (target, scenario) pairs of shard K of N
  // (engine/shard.h), numbered target-major: URL, then protocol, then
  // scenario. Every target is still discovered, so each shard's report has
  // its facts. 0/0: no sharding.
  int shard_index = 0;
  int shard_count = 0;
  // Set from a signal handler: every wait of the run wakes (the targets'
  // ClientOptions::cancel is set to it when they have none), nothing new is
  // started, and scenarios and a discovery that it cut short are left out
  // (a target whose discovery was cut short is unusable, saying so).
  const Cancellation* cancel = nullptr;
};

// Whether a scenario sends only to the writable URL (--unsafe-url) and
// needs no fact but that URL: what it does and sees does not depend on the
// target, so a run sends it once for all targets that share the writable
// URL, protocol, --header lines and client options, starting at once,
// alongside discovery.
bool touches_only_the_writable_url(const Scenario& scenario);

RunResult run_suite(const Suite& suite, const RunPlan& plan, const Clock& clock);

}  // namespace condspec
