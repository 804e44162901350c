#pragma once
// Reads a JSON report (docs/json-report.md, schema version 1) back into a
// RunResult, for `condspec merge` and `condspec baseline --from`. What the
// JSON does not keep (content bytes: only their count) comes back as a
// placeholder of the same size, so renderers say the same thing.

#include <string_view>

#include "src/core/result.h"
#include "src/engine/gate.h"
#include "src/engine/run_result.h"

namespace condspec {

struct ReadReport {
  RunResult run;
  FailOn fail_on = FailOn::must;
};

// `name` (a path) prefixes every error, e.g. "a.json: not a condspec JSON report".
Result<ReadReport> read_json_report(std::string_view text, std::string_view name);

}  // namespace condspec
