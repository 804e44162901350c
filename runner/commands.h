#pragma once
// What each subcommand does. Each returns the process exit code and writes
// to the given streams, so tests can run them in-process.

#include <atomic>
#include <iosfwd>
#include <string>
#include <vector>

#include "reports/console_report.h"
#include "reports/report_formats.h"
#include "runner/options.h"
#include "src/core/cancellation.h"
#include "src/core/clock.h"
#include "src/engine/gate.h"
#include "src/engine/run_result.h"

namespace condspec {

// `cancel`: the run's cancellation (SIGINT, SIGTERM), or null.
int run_command(const RunOptions& options, std::ostream& out, std::ostream& err,
                const Cancellation* cancel);
int list_command(const ListOptions& options, std::ostream& out, std::ostream& err);
int explain_command(const ExplainOptions& options, std::ostream& out, std::ostream& err);
int lint_command(const LintOptions& options, std::ostream& out, std::ostream& err);
int baseline_command(const BaselineOptions& options, std::ostream& out, std::ostream& err);
int merge_command(const MergeOptions& options, std::ostream& out, std::ostream& err);

// Shared by run and merge, before anything is sent or read: whether every
// --report path can be written (reports/atomic_file.h says where a report
// may go); each that cannot is named on `err`.
bool reports_can_be_written(const std::vector<ReportRequest>& reports, std::ostream& err);
// Shared by run and merge: writes every requested report (atomically) and
// returns the exit code of the run, or 2 when a report could not be written.
int finish_reports(const RunResult& run, FailOn fail_on, const std::vector<ReportRequest>& reports,
                   std::ostream& err);
// The console text of a run; with `quiet`, only the totals, the baseline
// notes and the verdict.
std::string console_summary(const RunResult& run, FailOn fail_on, const ConsoleOptions& console,
                            bool quiet);
// YYYY-MM-DD of the clock's now (UTC): the day baseline expiry is judged on.
std::string today(const Clock& clock);

int serve_command(const ServeOptions& options, std::ostream& out, std::ostream& err,
                  const std::atomic<bool>* cancel);

}  // namespace condspec
