#pragma once
// nghttpd (Debian nghttp2-server), a real HTTP/2 server, run for tests on
// 127.0.0.1: over TLS with a certificate the test made, or over cleartext
// (h2c, --no-tls). Tests skip when it is not installed.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace condspec::nghttpd_testing {

// The nghttpd program, or "" when it is not installed.
inline std::string nghttpd_path() {
  for (const char* path : {"/usr/sbin/nghttpd", "/usr/bin/nghttpd", "/usr/local/bin/nghttpd"})
    if (::access(path, X_OK) == 0) return path;
  return "";
}

inline int free_port() {
  int probe = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(probe);
  return ntohs(address.sin_port);
}

inline bool accepts_connections(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return ok;
}

// nghttpd serving `htdocs` on an ephemeral port of 127.0.0.1; with
// `key_file` and `cert_file` over TLS, else over cleartext. Stopped (SIGTERM,
// then SIGKILL) when destroyed. port() is 0 when it did not start.
class Nghttpd {
 public:
  Nghttpd(const std::string& htdocs, const std::string& key_file = "",
          const std::string& cert_file = "") {
    const std::string program = nghttpd_path();
    if (program.empty()) return;
    // The port is chosen before nghttpd binds it: another process may take
    // it meanwhile, so try a few.
    for (int attempt = 0; attempt < 5 && port_ == 0; ++attempt) {
      const int port = free_port();
      std::vector<std::string> args = {program, "--address=127.0.0.1", "--htdocs=" + htdocs};
      if (key_file.empty()) args.push_back("--no-tls");
      args.push_back(std::to_string(port));
      if (!key_file.empty()) {
        args.push_back(key_file);
        args.push_back(cert_file);
      }
      pid_ = spawn(args);
      if (pid_ <= 0) return;
      for (int i = 0; i < 200; ++i) {  // up to 2 s
        if (accepts_connections(port)) {
          port_ = port;
          break;
        }
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
          pid_ = -1;
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      if (port_ == 0) stop();
    }
  }
  ~Nghttpd() { stop(); }
  Nghttpd(const Nghttpd&) = delete;
  Nghttpd& operator=(const Nghttpd&) = delete;

  int port() const { return port_; }

 private:
  static pid_t spawn(const std::vector<std::string>& args) {
    // Everything allocated before fork(): the child of a threaded process
    // may only make async-signal-safe calls before exec.
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid = ::fork();
    if (pid != 0) return pid;
    int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, STDIN_FILENO);
    ::dup2(null, STDOUT_FILENO);
    ::dup2(null, STDERR_FILENO);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }

  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 100; ++i) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace condspec::nghttpd_testing
