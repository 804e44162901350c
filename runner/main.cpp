// The condspec program: parse the command line, hand it to the library, and
// map the outcome to the exit code contract. The one last-resort catch of the
// project lives here.

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <variant>

#include "runner/cli.h"
#include "runner/commands.h"
#include "runner/options.h"
#include "src/core/overloaded.h"
#include "src/engine/gate.h"

namespace {

// The run's cancellation, for the signal handler. The first SIGINT or
// SIGTERM cancels the run: every wait wakes, and the run ends with its
// reports written and marked incomplete. A second one ends the process at
// once, without reports, for a run that cannot end (a host name that never
// resolves: getaddrinfo() cannot be woken).
condspec::Cancellation* run_cancellation = nullptr;
std::atomic<bool> signalled{false};

extern "C" void on_signal(int sig) {
  if (signalled.exchange(true)) {
    std::signal(sig, SIG_DFL);
    std::raise(sig);
    return;
  }
  if (run_cancellation) run_cancellation->cancel();
}

void install_signal_handlers() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  // A server closing the connection while we write must be an error value,
  // not a dead process.
  std::signal(SIGPIPE, SIG_IGN);
}

// What a command printed must have reached stdout: a summary lost to a full
// disk or a closed pipe is not a run CI may trust. Exit 2, saying so.
int with_stdout_written(int code) {
  std::cout.flush();
  if (std::cout) return code;
  std::cerr << "condspec: cannot write to standard output\n";
  return condspec::kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace condspec;
  try {
    static Cancellation cancellation;
    run_cancellation = &cancellation;
    install_signal_handlers();
    Command command = parse_command_line(argc, argv, std::cout, std::cerr);
    return with_stdout_written(std::visit(
        overloaded{
            [](const ExitNow& options) { return options.code; },
            [](const RunOptions& options) {
              return run_command(options, std::cout, std::cerr, &cancellation);
            },
            [](const ListOptions& options) { return list_command(options, std::cout, std::cerr); },
            [](const ExplainOptions& options) {
              return explain_command(options, std::cout, std::cerr);
            },
            [](const LintOptions& options) { return lint_command(options, std::cout, std::cerr); },
            [](const BaselineOptions& options) {
              return baseline_command(options, std::cout, std::cerr);
            },
            [](const MergeOptions& options) {
              return merge_command(options, std::cout, std::cerr);
            },
            [](const ServeOptions& options) {
              return serve_command(options, std::cout, std::cerr, &cancellation.flag());
            },
        },
        command));
  } catch (const std::exception& e) {
    std::cerr << "condspec: internal error: " << e.what() << "\n";
    return kExitUnjudged;
  } catch (...) {
    std::cerr << "condspec: internal error\n";
    return kExitUnjudged;
  }
}
