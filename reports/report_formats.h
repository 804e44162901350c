#pragma once
// The report formats of --report FORMAT=PATH, and writing them: every
// format is rendered from the same RunResult and written atomically.

#include <string>
#include <string_view>

#include "src/core/result.h"
#include "src/engine/gate.h"
#include "src/engine/run_result.h"

namespace condspec {

struct ReportRequest {
  std::string format;  // json, junit, markdown, html
  std::string path;
};

// "json, junit, markdown, html"
std::string_view supported_report_formats();
bool is_report_format(std::string_view format);

// Renders and writes one report atomically; the error names the path.
Status write_report(const ReportRequest& request, const RunResult& run, FailOn fail_on);

}  // namespace condspec
