#pragma once
// The console summary printed at the end of `condspec run`: per target, every
// scenario that did not pass with the requirement it broke (expected vs
// actual), not-applicable scenarios grouped by reason, then totals and the
// gate verdict. Output order follows the suite, never thread timing, so two
// runs against the same server print the same text.

#include <string>
#include <string_view>
#include <vector>

#include "src/engine/gate.h"
#include "src/engine/run_result.h"

namespace condspec {

struct ConsoleOptions {
  bool verbose = false;  // also print the exchanges of every scenario that did not pass
  bool color = false;
};

std::string render_console_report(const RunResult& run, FailOn fail_on,
                                  const ConsoleOptions& options);

// Exchanges as a transcript: request bytes, then response head (and error,
// stray bytes), indented, control bytes made visible.
std::string render_transcript(const std::vector<StepRecord>& exchanges, std::string_view indent);

}  // namespace condspec
