#pragma once
// The Markdown report (--report markdown=PATH): a summary fit for a pull
// request comment or a CI job summary ($GITHUB_STEP_SUMMARY): the verdict,
// scenario totals, checks per requirement level, and per RFC section a table
// of what failed, warned, ended in error or is known from the baseline, with
// links to the RFC section. Server text is escaped so that it renders as
// text (no HTML, links or emphasis from a server).

#include <string>

#include "src/engine/gate.h"
#include "src/engine/run_result.h"

namespace condspec {

std::string render_markdown_report(const RunResult& run, FailOn fail_on);

}  // namespace condspec
