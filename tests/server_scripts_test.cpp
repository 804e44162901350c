// free_port: a port the kernel would not hand out on its own, free to bind.

#include "tests/server_scripts.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>

namespace condspec::test {
namespace {

TEST(FreePort, IsBelowTheKernelsRangeAndCanBeListenedOn) {
  int low = 0, high = 0;
  std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> low >> high;
  for (int i = 0; i < 20; ++i) {
    const int port = free_port();
    ASSERT_GT(port, 0);
    if (low > 11024) {
      EXPECT_LT(port, low);
      EXPECT_GE(port, low - 10000);
    }
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(port));
    EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0) << port;
    EXPECT_EQ(listen(fd, 1), 0) << port;
    close(fd);
  }
}

}  // namespace
}  // namespace condspec::test
