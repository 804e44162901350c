#include "tests/server_scripts.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

namespace condspec::test {

Shell shell(const std::string& command, std::chrono::seconds bound) {
  Shell result;
  const std::string bounded = "timeout " + std::to_string(bound.count()) + " " + command + " 2>&1";
  FILE* pipe = popen(bounded.c_str(), "r");
  if (!pipe) return result;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) result.out.append(buffer, n);
  const int status = pclose(pipe);
  result.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

bool required(const std::string& name) {
  const char* list = std::getenv("CONDSPEC_REQUIRE_REAL_SERVERS");
  if (!list) return false;
  std::istringstream words(list);
  for (std::string word; words >> word;)
    if (word == "all" || word == name) return true;
  return false;
}

namespace {

// Binds `port` on 127.0.0.1 and lets it go: the port bound (with 0, the one
// the kernel handed out), or -1 when something holds it.
int bindable(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  socklen_t length = sizeof address;
  int bound = -1;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0)
    bound = ntohs(address.sin_port);
  close(fd);
  return bound;
}

}  // namespace

int free_port() {
  // Between this check and the server's bind, the kernel may hand the port
  // to any socket bound to port 0 or connecting out (the tests run many at
  // once), and the server then cannot listen. So the port is drawn below the
  // range the kernel hands out, at random, where only another such draw can
  // take it.
  int low = 32768, high = 60999;
  std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> low >> high;
  constexpr int kSpan = 10000;
  if (low > kSpan + 1024) {
    std::mt19937 random{std::random_device{}()};
    std::uniform_int_distribution<int> below(low - kSpan, low - 1);
    for (int tries = 0; tries < 64; ++tries)
      if (const int port = bindable(below(random)); port > 0) return port;
  }
  return bindable(0);
}

}  // namespace condspec::test
