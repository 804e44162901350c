#include "tests/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace condspec::test {

namespace {

pid_t spawn(const std::vector<std::string>& args, int out_fd, int err_fd) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0)
    throw std::runtime_error("cannot start " + args[0]);
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

int wait_exit(pid_t pid, std::chrono::steady_clock::time_point deadline,
              long* max_rss_kib = nullptr) {
  for (;;) {
    int status = 0;
    rusage usage{};
    pid_t done = wait4(pid, &status, WNOHANG, &usage);
    if (done == pid) {
      if (max_rss_kib) *max_rss_kib = usage.ru_maxrss;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return -1;
    }
    usleep(2000);
  }
}

}  // namespace

std::string program() {
  return CONDSPEC_PROGRAM;
}

std::string start_origin(Background& server) {
  const std::string line = server.wait_for_line("listening on ");
  const auto at = line.find("listening on http");
  return at == std::string::npos ? "" : line.substr(at + std::string("listening on ").size());
}

Reported run_with_json_report(std::vector<std::string> args, const std::string& command) {
  static std::atomic<int> counter{0};
  const auto path =
      std::filesystem::temp_directory_path() /
      ("condspec-report-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + ".json");
  args.insert(args.begin(), {command, "--report", "json=" + path.string()});
  Reported reported;
  reported.completed = run_program(args);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  reported.json = text.str();
  std::filesystem::remove(path);
  return reported;
}

Completed run_program(const std::vector<std::string>& args, std::chrono::milliseconds bound) {
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe");
  std::vector<std::string> full{program()};
  full.insert(full.end(), args.begin(), args.end());
  pid_t pid = spawn(full, out_pipe[1], err_pipe[1]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  Completed result;
  const auto started = std::chrono::steady_clock::now();
  const auto deadline = started + bound;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open_fds = 2;
  char buffer[65536];
  while (open_fds > 0 && std::chrono::steady_clock::now() < deadline) {
    if (poll(fds, 2, 100) <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      } else {
        (i == 0 ? result.out : result.err).append(buffer, static_cast<size_t>(n));
      }
    }
  }
  for (auto& f : fds)
    if (f.fd >= 0) close(f.fd);
  result.exit_code = wait_exit(pid, deadline, &result.max_rss_kib);
  result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  return result;
}

Background::Background(const std::vector<std::string>& args) {
  int out_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
  int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
  std::vector<std::string> full{program()};
  full.insert(full.end(), args.begin(), args.end());
  pid_ = spawn(full, out_pipe[1], devnull);
  close(out_pipe[1]);
  close(devnull);
  out_fd_ = out_pipe[0];
}

Background::~Background() {
  if (pid_ > 0) terminate();
  if (out_fd_ >= 0) close(out_fd_);
}

std::string Background::wait_for_line(const std::string& marker, std::chrono::milliseconds bound) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  char buffer[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    for (size_t end = buffered_.find('\n'); end != std::string::npos; end = buffered_.find('\n')) {
      std::string line = buffered_.substr(0, end);
      buffered_.erase(0, end + 1);
      if (line.find(marker) != std::string::npos) return line;
    }
    pollfd fd{out_fd_, POLLIN, 0};
    if (poll(&fd, 1, 100) <= 0) continue;
    ssize_t n = read(out_fd_, buffer, sizeof buffer);
    if (n <= 0) break;
    buffered_.append(buffer, static_cast<size_t>(n));
  }
  return "";
}

int Background::signal_and_wait(int sig, std::chrono::milliseconds bound,
                                std::chrono::milliseconds& took) {
  if (pid_ <= 0) return -1;
  const auto start = std::chrono::steady_clock::now();
  kill(pid_, sig);
  int code = wait_exit(pid_, start + bound);
  took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start);
  pid_ = -1;
  return code;
}

int Background::terminate() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int code = wait_exit(pid_, std::chrono::steady_clock::now() + std::chrono::seconds{5});
  pid_ = -1;
  return code;
}

}  // namespace condspec::test
