#pragma once
// Learns what a target offers before any scenario runs: which validators it
// sends, whether they are stable, whether it evaluates If-Modified-Since and
// serves ranges. Scenarios whose `needs` are not among the facts are
// not_applicable, with the fact's reason, instead of failing for the wrong
// reason.

#include <optional>
#include <string>
#include <vector>

#include "src/cases/facts.h"
#include "src/core/clock.h"
#include "src/engine/run_result.h"
#include "src/engine/target.h"
#include "src/http/fields.h"
#include "src/http/message.h"

namespace condspec {

struct Discovery {
  Facts facts;
  // Why the target cannot be tested at all (unreachable, not a 200, ...).
  std::optional<std::string> unusable;
  std::vector<StepRecord> records;
};

class ConnectionPool;

// With a pool, discovery starts on a new connection (its first exchange
// decides whether the target is usable at all) and leaves it to the pool.
Discovery discover(const TargetConfig& target, Seconds now, ConnectionPool* pool = nullptr);

// Adds the user's --header lines to a request, unless the request already
// has a line of that name (a scenario's own field always wins).
void add_extra_fields(Request& request, const Fields& extra);

}  // namespace condspec
