#include "tests/server_scripts.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
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

int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  int port = -1;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0)
    port = ntohs(address.sin_port);
  close(fd);
  return port;
}

}  // namespace condspec::test
