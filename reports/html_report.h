#pragma once
// The HTML report (--report html=PATH): one self-contained file for
// reviewers. No request leaves the page: styles and the one script are
// inline, allowed by a Content-Security-Policy that names their SHA-256
// hashes and nothing else (default-src 'none'). Everything a server sent is
// escaped text; no server byte reaches an attribute unescaped, a script or a
// style. Shows: the verdict, totals, an inline-SVG overview per RFC section,
// baseline notes, a target × requirement matrix when several targets ran,
// and every scenario with its checks (requirement, level, expected vs
// actual) and the exact request and response heads of each step. Filters by
// outcome, level and section; the initial filter can be given in the URL,
// e.g. report.html#outcome=fail&level=MUST&section=13.1.2.

#include <string>

#include "src/engine/gate.h"
#include "src/engine/run_result.h"

namespace condspec {

std::string render_html_report(const RunResult& run, FailOn fail_on);

}  // namespace condspec
