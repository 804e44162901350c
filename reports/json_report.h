#pragma once
// The JSON report: the complete RunResult, versioned (schema_version) and
// documented in docs/json-report.md. Other tools (and `condspec merge`, later)
// read it, so fields are only ever added within a schema version.

#include <string>

#include "src/cases/model.h"
#include "src/engine/gate.h"
#include "src/engine/run_result.h"

namespace condspec {

constexpr int kJsonSchemaVersion = 1;

std::string render_json_report(const RunResult& run, FailOn fail_on);

}  // namespace condspec
