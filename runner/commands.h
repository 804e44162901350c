#pragma once
// What each subcommand does. Each returns the process exit code and writes
// to the given streams, so tests can run them in-process.

#include <atomic>
#include <iosfwd>

#include "runner/options.h"

namespace condspec {

int run_command(const RunOptions& options, std::ostream& out, std::ostream& err,
                const std::atomic<bool>* cancel);
int list_command(const ListOptions& options, std::ostream& out, std::ostream& err);
int explain_command(const ExplainOptions& options, std::ostream& out, std::ostream& err);
int lint_command(const LintOptions& options, std::ostream& out, std::ostream& err);
int serve_command(const ServeOptions& options, std::ostream& out, std::ostream& err,
                  const std::atomic<bool>* cancel);

}  // namespace condspec
