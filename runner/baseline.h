#pragma once
// The baseline (--baseline FILE): failures the user knows about and accepts
// for now, each with a reason and an optional expiry date. A scenario whose
// every broken requirement is in the baseline is reported as `known` and does
// not fail the gate; an entry whose scenario ran and no longer breaks that
// requirement is reported so the baseline can shrink; an expired entry no
// longer applies (the failure counts again) and is reported.
//
// File format (YAML; JSON is accepted too, being YAML):
//   known_failures:
//     - scenario: inm-weak-form-of-strong-tag     # required
//       requirement: 9110-13.1.2-weak-compare     # required
//       target: https://staging.example.com/a.js  # optional: every target when absent
//       protocol: h2                              # optional: http/1.1, h2 or h2c; every
//                                                 # protocol when absent
//       reason: "vendor bug #12, fixed in 2.4"     # required, and not the placeholder
//       expires: 2027-03-31                       # optional, YYYY-MM-DD (last day it applies)

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/cases/diagnostic.h"
#include "src/engine/run_result.h"
#include "src/http/protocol.h"

namespace condspec {

struct BaselineEntry {
  std::string target;                // empty: any target
  std::optional<Protocol> protocol;  // absent: any protocol
  std::string scenario;
  std::string requirement;
  std::string reason;
  std::string expires;  // YYYY-MM-DD or empty
};

struct Baseline {
  std::vector<BaselineEntry> entries;
};

// What `condspec baseline` writes as every reason: the loader refuses it, so
// that nobody commits a baseline without saying why.
constexpr std::string_view kPlaceholderReason = "TODO: say why this failure is accepted";

// Every problem of the file, in file order, each located in it (NAME:LINE:COLUMN)
// with its source line, as the case files' (src/cases/yaml_reading.h reads both).
Loaded<Baseline> parse_baseline(std::string_view text, std::string_view name);
Loaded<Baseline> load_baseline(const std::string& path);
// The same for an optional --baseline: no path, no baseline.
Loaded<std::optional<Baseline>> load_baseline_if_given(const std::string& path);
// The problems as the runner prints them: each rendered, after "condspec: ".
std::string baseline_errors(const std::vector<Diagnostic>& diagnostics);

// Marks known failures and adds the baseline's notes to `run`. `today` is
// YYYY-MM-DD (from the injected clock): an entry applies through its expiry day.
void apply_baseline(RunResult& run, const Baseline& baseline, std::string_view today);

// A baseline accepting every broken requirement (fail or warn) of `run`,
// keeping the reason of failures already known, else the placeholder.
// Targets are named only when the run has more than one URL; a protocol only
// when the requirement broke over some of the protocols its URL was judged
// over but not all (then one entry per protocol it broke over).
std::string write_baseline(const RunResult& run);

}  // namespace condspec
