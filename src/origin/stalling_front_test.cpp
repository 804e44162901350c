#include "src/origin/stalling_front.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

namespace condspec {
namespace {

using std::chrono::milliseconds;

// A listening or connected TCP socket on 127.0.0.1, closed on destruction.
class Socket {
 public:
  static Socket listening() {
    Socket s(::socket(AF_INET, SOCK_STREAM, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    ::bind(s.fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(s.fd_, 4);
    return s;
  }
  static Socket connected(int port) {
    Socket s(::socket(AF_INET, SOCK_STREAM, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    if (::connect(s.fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) s.reset();
    return s;
  }
  Socket(Socket&& other) : fd_(std::exchange(other.fd_, -1)) {}
  ~Socket() { reset(); }

  bool valid() const { return fd_ >= 0; }
  int port() const {
    sockaddr_in address{};
    socklen_t length = sizeof address;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    return ntohs(address.sin_port);
  }
  // The next connection, or an invalid socket after `wait`.
  Socket accept(milliseconds wait) {
    pollfd p{.fd = fd_, .events = POLLIN, .revents = 0};
    if (::poll(&p, 1, static_cast<int>(wait.count())) <= 0) return Socket(-1);
    return Socket(::accept(fd_, nullptr, nullptr));
  }
  void send(std::string_view bytes) {
    while (!bytes.empty()) {
      auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
  }
  // What arrives until `quiet` passes without more, or `bytes` have come.
  std::string receive(milliseconds quiet, size_t bytes = SIZE_MAX) {
    std::string out;
    char chunk[4096];
    while (out.size() < bytes) {
      pollfd p{.fd = fd_, .events = POLLIN, .revents = 0};
      if (::poll(&p, 1, static_cast<int>(quiet.count())) <= 0) break;
      auto n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0) break;
      out.append(chunk, static_cast<size_t>(n));
    }
    return out;
  }

 private:
  explicit Socket(int fd) : fd_(fd) {}
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int fd_;
};

class StallingFrontTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto port = front_.listen("127.0.0.1", 0, upstream_.port());
    ASSERT_TRUE(port.ok()) << port.error().message;
    client_ = std::make_unique<Socket>(Socket::connected(*port));
    ASSERT_TRUE(client_->valid());
    inner_ = std::make_unique<Socket>(upstream_.accept(milliseconds{2000}));
    ASSERT_TRUE(inner_->valid());
  }
  void TearDown() override {
    client_.reset();
    inner_.reset();  // the relay ends when the upstream closes its side
    front_.stop();
  }

  Socket upstream_ = Socket::listening();
  StallingFront front_{milliseconds{100}};
  std::unique_ptr<Socket> client_;
  std::unique_ptr<Socket> inner_;
};

TEST_F(StallingFrontTest, PassesWholeRequestsAndResponsesUnchanged) {
  const std::string put = "PUT /w HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello";
  client_->send(put);
  EXPECT_EQ(inner_->receive(milliseconds{2000}, put.size()), put);
  inner_->send("HTTP/1.1 204 No Content\r\n\r\n");
  EXPECT_EQ(client_->receive(milliseconds{2000}, 27), "HTTP/1.1 204 No Content\r\n\r\n");
}

TEST_F(StallingFrontTest, CompletesAHeaderSectionThatStopsAndDropsItsRest) {
  client_->send("GET /a HTTP/1.1\r\nHost: x\r\n");
  // Nothing for 100 ms: the head is ended with an empty line and passed on.
  EXPECT_EQ(inner_->receive(milliseconds{2000}, 28), "GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
  client_->send("If-None-Match: \"t\"\r\n\r\n");
  EXPECT_EQ(inner_->receive(milliseconds{300}), "");
  // The next request on the connection arrives whole.
  client_->send("GET /b HTTP/1.1\r\n\r\n");
  EXPECT_EQ(inner_->receive(milliseconds{2000}, 19), "GET /b HTTP/1.1\r\n\r\n");
}

TEST_F(StallingFrontTest, AHeadArrivingInPiecesWithoutStallingIsNotCut) {
  client_->send("GET /a HTTP/1.1\r\nHo");
  std::this_thread::sleep_for(milliseconds{20});
  client_->send("st: x\r\n\r\n");
  EXPECT_EQ(inner_->receive(milliseconds{300}), "GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
}

}  // namespace
}  // namespace condspec
