#pragma once
// Runs the real condspec program as a child process for end-to-end tests:
// either to completion (capturing stdout, stderr and the exit code, with a
// time bound) or in the background (`condspec serve`), reading its first line.

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace condspec::test {

struct Completed {
  int exit_code = -1;  // -1: killed after the time bound
  std::string out;
  std::string err;
  long max_rss_kib = 0;  // peak resident memory of the child
  std::chrono::milliseconds elapsed{0};
};

// A bound on a child's peak memory, in KiB: `program_kib` is what the
// program itself may use. A sanitized build (scripts/ci-sanitizers.sh)
// adds AddressSanitizer's own start-up memory (shadow, allocator; about
// 60 MiB) to every process, which says nothing about the program.
constexpr long memory_bound_kib(long program_kib) {
#ifdef CONDSPEC_SANITIZED
  return program_kib + 96 * 1024;
#else
  return program_kib;
#endif
}

Completed run_program(const std::vector<std::string>& args,
                      std::chrono::milliseconds bound = std::chrono::seconds{60});

// A background child; killed (SIGTERM, then SIGKILL) when destroyed.
class Background {
 public:
  explicit Background(const std::vector<std::string>& args);
  ~Background();
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;

  // Reads stdout up to the first line containing `marker` (bounded in time).
  std::string wait_for_line(const std::string& marker,
                            std::chrono::milliseconds bound = std::chrono::seconds{10});
  // Sends SIGTERM and waits for the exit code (bounded).
  int terminate();
  // Sends `sig`, then waits up to `bound` for the exit code (-1: killed
  // after the bound); `took` is how long the exit took after the signal.
  int signal_and_wait(int sig, std::chrono::milliseconds bound, std::chrono::milliseconds& took);

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string buffered_;
};

std::string program();  // path of the condspec binary under test

// Starts `condspec serve ARGS...` and returns its base URL ("" if it did not
// start in time).
std::string start_origin(Background& server);

// Runs `condspec COMMAND ARGS... --report json=<temporary file>` (COMMAND is
// run or cache) and returns the report text ("" when none was written) with
// the process result.
struct Reported {
  Completed completed;
  std::string json;
};
Reported run_with_json_report(std::vector<std::string> args, const std::string& command = "run");

}  // namespace condspec::test
