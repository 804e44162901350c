#pragma once
// Expected verdicts of condspec on one real server
// (tests/real-servers/<name>.yaml), condspec's observed verdicts per
// requirement (from its JSON report), and their comparison: the lines that
// tell a reader what differs and what to do about it.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "src/core/result.h"

namespace condspec::test {

// What condspec reported for one requirement on one target: the worst
// outcome of its checks over every scenario (error > fail > warn > info >
// pass); "not_applicable" when no scenario judged it there.
struct ObservedVerdict {
  std::string outcome;
  std::set<std::string> scenarios;  // scenarios whose check of it did not pass
};

struct Observed {
  std::string unusable;                             // non-empty: the target was not usable
  std::map<std::string, ObservedVerdict> verdicts;  // by requirement id
  std::vector<std::string> scenario_errors;         // "scenario-id: reason"
  // Cache runs: how the cache handled each broken origin, by scenario:
  // {kind, detail} (docs/cache.md).
  std::map<std::string, std::pair<std::string, std::string>> handling;
};

// Reads condspec's JSON report of a run against exactly one target.
Result<Observed> observed_from_json(const std::string& json_text);

// A requirement whose expected verdict disagrees with condspec's current one
// after a reading of the RFC (tests/real-servers/DISAGREEMENTS.md): the test
// accepts `condspec_says` until condspec is fixed, and then asks for the
// entry to become an ordinary one.
//
// `condspec_says: error` records a scenario that ends in error on this
// server although RFC 9110 gives a verdict (e.g. a response condspec cannot
// frame); `scenario` names it, and only that scenario's error is accepted.
struct Pending {
  std::string expect;
  std::string condspec_says;
  std::string disagreement;   // e.g. "D1"
  std::string scenario = {};  // with condspec_says: error, the scenario that errs
};

struct Expected {
  std::string server;
  std::map<std::string, std::string>
      outcomes;  // requirement -> pass | fail | warn | info | not_applicable
  std::map<std::string, Pending> pending;  // requirement -> disagreement
  // Real caches (`handling:`, a mapping of scenario ids to a handling
  // kind): every scenario that reports a handling, with the kind it must
  // report. Absent: handlings are not compared.
  std::optional<std::map<std::string, std::string>> handling;
};

// Reads tests/real-servers/<name>.yaml. Errors name the file and the entry.
Result<Expected> expected_from_yaml(const std::string& path);

struct Comparison {
  std::vector<std::string> mismatches;  // each one a test failure
  std::vector<std::string> notes;       // pending disagreements, still as recorded
};

// `file` is how the expected file is named in messages.
Comparison compare(const Expected& expected, const Observed& observed, const std::string& file);

}  // namespace condspec::test
