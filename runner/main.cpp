// The condspec program: parse the command line, hand it to the library, and
// map the outcome to the exit code contract. The one last-resort catch of the
// project lives here.

#include <atomic>
#include <csignal>
#include <exception>
#include <iostream>
#include <variant>

#include "runner/cli.h"
#include "runner/commands.h"
#include "runner/options.h"
#include "src/engine/gate.h"

namespace {

std::atomic<bool> interrupted{false};

extern "C" void on_signal(int) {
  interrupted.store(true);
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

}  // namespace

int main(int argc, char** argv) {
  using namespace condspec;
  try {
    install_signal_handlers();
    Command command = parse_command_line(argc, argv, std::cout, std::cerr);
    return std::visit(
        [&](const auto& options) -> int {
          using T = std::decay_t<decltype(options)>;
          if constexpr (std::is_same_v<T, ExitNow>) {
            return options.code;
          } else if constexpr (std::is_same_v<T, RunOptions>) {
            return run_command(options, std::cout, std::cerr, &interrupted);
          } else if constexpr (std::is_same_v<T, ListOptions>) {
            return list_command(options, std::cout, std::cerr);
          } else if constexpr (std::is_same_v<T, ExplainOptions>) {
            return explain_command(options, std::cout, std::cerr);
          } else if constexpr (std::is_same_v<T, LintOptions>) {
            return lint_command(options, std::cout, std::cerr);
          } else if constexpr (std::is_same_v<T, BaselineOptions>) {
            return baseline_command(options, std::cout, std::cerr);
          } else if constexpr (std::is_same_v<T, MergeOptions>) {
            return merge_command(options, std::cout, std::cerr);
          } else {
            return serve_command(options, std::cout, std::cerr, &interrupted);
          }
        },
        command);
  } catch (const std::exception& e) {
    std::cerr << "condspec: internal error: " << e.what() << "\n";
    return kExitUnjudged;
  } catch (...) {
    std::cerr << "condspec: internal error\n";
    return kExitUnjudged;
  }
}
