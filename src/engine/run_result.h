#pragma once
// What a run found: one RunResult, read by every report renderer and by the
// gate. Renderers never recompute a verdict; everything they show is here.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/cases/facts.h"
#include "src/cases/model.h"
#include "src/engine/outcome.h"
#include "src/http/message.h"
#include "src/http/protocol.h"

namespace condspec {

// The hop of a cache run (`condspec cache`) an exchange or a check is about:
// the client's exchange with the cache, or the cache's request to the origin
// behind it. Every exchange and check of `condspec run` is the client's.
enum class Hop { client, upstream };

inline std::string_view to_string(Hop hop) {
  return hop == Hop::upstream ? "upstream" : "client";
}

struct CheckResult {
  std::string step;         // the step whose response was judged
  std::string requirement;  // id
  std::string rfc;
  std::string section;
  Level level = Level::must;
  Outcome outcome = Outcome::pass;  // pass, or what breaking `level` means
  std::string expected;
  std::string actual;
  std::string message;  // one sentence: the requirement in plain words, or what went wrong
  // What the check judged: the client's response, or the requests the cache
  // sent upstream.
  Hop hop = Hop::client;
};

struct StepRecord {
  std::string step;
  std::string url;
  Exchange exchange;
  // A follow-up request sent only to find bytes after a body-less response.
  bool follow_up = false;
  // Hop::upstream: a request the cache sent the origin during the step (as
  // the origin read it; the exchange's request is its text, its response the
  // origin's answer), and `url` the origin's.
  Hop hop = Hop::client;
  // Set when the step did not send its request but used the exchange of an
  // identical one sent for the same target: the id of the scenario that sent
  // it, or "discovery" (src/engine/shared_requests.h).
  std::string first_sent_by;
  // Hop::upstream: which connection to the origin the request came on, as
  // the origin numbered them (UpstreamExchange::connection); 0: unknown.
  int connection = 0;
  // Set on the exchanges of an earlier attempt of a scenario that missed the
  // second an assume.date or assume.last_modified wanted and ran again
  // (executor.cpp): which attempt, from 1. They judged nothing; the report
  // keeps them because they were sent.
  int missed_attempt = 0;
};

// A failure the user accepted in a baseline file (--baseline): reported as
// `known`, not counted by the gate. The outcome itself stays what was seen.
struct KnownFailure {
  std::string reason;
  std::string expires;  // YYYY-MM-DD, or empty
};

// How a cache dealt with a broken origin (a scenario's `handling:`,
// docs/cache.md): evidence beside the verdict, never a verdict itself.
enum class HandlingKind {
  passed_through,  // the client got the broken thing as the origin sent it
  repaired,        // the client got a correct answer built from the store
  refetched,       // ... after the cache asked the origin again unconditionally
  damaged,         // the client got neither: a wrong or misframed answer
};

inline std::string_view to_string(HandlingKind kind) {
  switch (kind) {
    case HandlingKind::passed_through:
      return "passed-through";
    case HandlingKind::repaired:
      return "repaired";
    case HandlingKind::refetched:
      return "refetched";
    case HandlingKind::damaged:
      return "damaged";
  }
  return "damaged";
}

// The kind to_string names; nullopt for any other text.
inline std::optional<HandlingKind> handling_kind_from(std::string_view text) {
  for (auto kind : {HandlingKind::passed_through, HandlingKind::repaired, HandlingKind::refetched,
                    HandlingKind::damaged})
    if (to_string(kind) == text) return kind;
  return std::nullopt;
}

struct Handling {
  HandlingKind kind = HandlingKind::repaired;
  std::string step;    // the step whose response showed it
  std::string detail;  // one sentence: the evidence, e.g. what the client got
};

struct ScenarioResult {
  std::string scenario;
  std::string title;
  std::string section;
  std::string rfc;  // of `section` (Scenario::rfc); empty in reports older than it
  Outcome outcome = Outcome::pass;
  std::string reason;  // for not_applicable and error
  std::vector<CheckResult> checks;
  std::vector<StepRecord> exchanges;
  // Scenarios with `handling:` that ran to their end: how the cache dealt
  // with the broken origin.
  std::optional<Handling> handling;
  std::chrono::microseconds elapsed{0};
  // Set when the outcome is fail or warn and every broken requirement is in
  // the baseline (and not expired).
  std::optional<KnownFailure> known;
};

struct TargetResult {
  std::string url;
  // The protocol the target was discovered and judged over: a URL judged
  // over two protocols is two TargetResults.
  Protocol protocol = Protocol::http1_1;
  Facts facts;
  // Set when the target could not be used at all (the first exchange failed,
  // or it does not answer 200 to GET); then `results` is empty.
  std::optional<std::string> unusable;
  std::vector<StepRecord> discovery;  // the exchanges that learned the facts
  std::vector<ScenarioResult> results;
};

// What a cache run (`condspec cache`) adds to the run: where its origin
// listened and the prefix of the run's resources there.
struct CacheRunInfo {
  std::string origin;  // e.g. "http://127.0.0.1:8081"
  std::string prefix;  // e.g. "/c/1f0e.../"
};

struct RunResult {
  std::string tool_version;
  std::string started_at;  // RFC 3339, UTC: 2026-11-22T10:00:00Z
  std::chrono::microseconds elapsed{0};
  std::vector<TargetResult> targets;
  bool complete = true;  // false if interrupted
  // --shard K/N: this run holds only every N-th (target, scenario) pair,
  // starting with the K-th; 0/0 when not sharded.
  int shard_index = 0;
  int shard_count = 0;
  // What the baseline says about itself: entries that no longer fail, or
  // that expired. One sentence each.
  std::vector<std::string> baseline_notes;
  // Set for a cache run.
  std::optional<CacheRunInfo> cache;
};

}  // namespace condspec
