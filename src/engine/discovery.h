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

// Connections discovery may open beside its own, lent by whoever bounds the
// connections of a run (the scheduler lends idle workers' shares, so a run
// still never has more than --jobs connections to one origin).
class ConnectionBudget {
 public:
  virtual ~ConnectionBudget() = default;
  // Up to `wanted` more connections at once; returns how many are lent.
  virtual size_t borrow(size_t wanted) = 0;
  // Returns `count` lent connections, all closed or back in the pool.
  virtual void give_back(size_t count) = 0;
};

// With a pool, discovery starts on a new connection (its first exchange
// decides whether the target is usable at all) and leaves it to the pool.
// Every probe after the first depends on the first answer only: with a
// budget they are sent on as many connections at once as it lends (the
// facts and the order of the records are the same as one by one, since no
// probe's answer decides another's request but If-Match's, whose follow-up
// is sent after them all).
Discovery discover(const TargetConfig& target, Seconds now, ConnectionPool* pool = nullptr,
                   ConnectionBudget* budget = nullptr);

// Adds the user's --header lines to a request, unless the request already
// has a line of that name (a scenario's own field always wins).
void add_extra_fields(Request& request, const Fields& extra);

}  // namespace condspec
