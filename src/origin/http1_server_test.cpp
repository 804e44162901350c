#include "src/origin/http1_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace condspec {
namespace {

using std::chrono::milliseconds;

// Sends `request` on a fresh connection and returns every byte the server
// sends until it closes the connection or is quiet for `quiet`.
std::string exchange(int port, const std::string& request, milliseconds quiet = milliseconds{300},
                     milliseconds pause_at_blank_line = milliseconds{0}) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return "(no connection)";
  }
  std::vector<std::string> parts{request};
  if (pause_at_blank_line.count() > 0) {  // the header section stops before its last line
    auto last_line = request.rfind("\r\n", request.size() - 5) + 2;
    parts = {request.substr(0, last_line), request.substr(last_line)};
  }
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) std::this_thread::sleep_for(pause_at_blank_line);
    ::send(fd, parts[i].data(), parts[i].size(), MSG_NOSIGNAL);
  }
  std::string received;
  char chunk[4096];
  // The first bytes may be late on a loaded machine: wait for them up to 5 s
  // (a server that closes ends the wait at once); after them, `quiet` ends it.
  const milliseconds first_bytes = std::max(quiet, milliseconds{5000});
  while (true) {
    pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
    const milliseconds wait = received.empty() ? first_bytes : quiet;
    if (::poll(&p, 1, static_cast<int>(wait.count())) <= 0) break;
    auto n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) break;
    received.append(chunk, static_cast<size_t>(n));
  }
  ::close(fd);
  return received;
}

class Http1ServerTest : public ::testing::Test {
 protected:
  void start(Http1Options options = {}) {
    auto started = Http1Server::start(
        std::move(options), {.respond =
                                 [this](const Incoming& request) {
                                   std::lock_guard lock(mutex_);
                                   received_.push_back(request);
                                   return reply_;
                                 },
                             .transport_error =
                                 [](int status) {
                                   Reply own{.status = status};
                                   own.fields.add(
                                       "Date", "the origin's date for " + std::to_string(status));
                                   return own;
                                 }});
    ASSERT_TRUE(started.ok()) << started.error().message;
    server_ = std::move(*started);
  }
  Incoming last_received() {
    std::lock_guard lock(mutex_);
    return received_.empty() ? Incoming{} : received_.back();
  }

  std::mutex mutex_;
  Reply reply_;
  std::vector<Incoming> received_;
  std::unique_ptr<Http1Server> server_;
};

TEST_F(Http1ServerTest, HandsOverTheRequestAndWritesTheReplyAsGiven) {
  reply_ = {.status = 200,
            .fields = {{"Zeta", "last"}, {"Content-Length", "5"}, {"Alpha", "first"}},
            .content = "hello"};
  start();
  EXPECT_EQ(exchange(server_->port(),
                     "PUT /a?b HTTP/1.1\r\nHost: x\r\nX-One: 1\r\nX-One: 2\r\n"
                     "Content-Length: 3\r\n\r\nabc"),
            "HTTP/1.1 200 OK\r\n"
            "Alpha: first\r\n"  // cpp-httplib writes fields sorted by name
            "Content-Length: 5\r\n"
            "Keep-Alive: timeout=5, max=1000\r\n"
            "Zeta: last\r\n"
            "\r\n"
            "hello");
  auto request = last_received();
  EXPECT_EQ(request.method, "PUT");
  EXPECT_EQ(request.path, "/a");
  EXPECT_EQ(request.version, "HTTP/1.1");
  EXPECT_EQ(request.body, "abc");
  EXPECT_EQ(request.fields.all("X-One"), (std::vector<std::string>{"1", "2"}));
  EXPECT_FALSE(request.fields.has("REMOTE_ADDR"));
  EXPECT_FALSE(request.fields.has("LOCAL_PORT"));
}

TEST_F(Http1ServerTest, ARequestWithoutContentIsAnsweredAtOnce) {
  reply_ = {.status = 204, .fields = {{"Date", "d"}}};
  start();
  EXPECT_EQ(exchange(server_->port(), "DELETE /w HTTP/1.1\r\nHost: x\r\n\r\n"),
            "HTTP/1.1 204 No Content\r\nDate: d\r\nKeep-Alive: timeout=5, max=1000\r\n\r\n");
}

TEST_F(Http1ServerTest, AnUnparseableRangeReachesTheOrigin) {
  reply_ = {.status = 200, .fields = {{"Content-Length", "0"}}};
  start();
  auto answer = exchange(server_->port(), "GET / HTTP/1.1\r\nHost: x\r\nRange: bytes=abc\r\n\r\n");
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 200 OK\r\n")) << answer;
  EXPECT_EQ(*last_received().fields.find("Range"), "bytes=abc");
}

TEST_F(Http1ServerTest, ChunkedFlagSendsTheContentChunked) {
  reply_ = {.status = 200, .fields = {{"Content-Length", "5"}}, .content = "hello"};
  reply_.framing.chunked = true;
  start();
  EXPECT_EQ(exchange(server_->port(), "GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
            "HTTP/1.1 200 OK\r\n"
            "Content-Length: 5\r\n"
            "Keep-Alive: timeout=5, max=1000\r\n"
            "Transfer-Encoding: chunked\r\n"
            "\r\n"
            "5\r\nhello\r\n0\r\n\r\n");
}

TEST_F(Http1ServerTest, ContentAfterHead204Or304OnlyWhenAskedFor) {
  const std::string head_request = "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string get_request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  reply_ = {.status = 200, .fields = {{"Content-Length", "5"}}, .content = "hello"};
  start();
  EXPECT_FALSE(exchange(server_->port(), head_request).ends_with("hello"));
  reply_.framing.content_after_bodiless = true;
  EXPECT_TRUE(exchange(server_->port(), head_request).ends_with("\r\n\r\nhello"));
  for (int status : {204, 304}) {
    reply_ = {.status = status, .content = "stray"};
    EXPECT_FALSE(exchange(server_->port(), get_request).ends_with("stray")) << status;
    reply_.framing.content_after_bodiless = true;
    EXPECT_TRUE(exchange(server_->port(), get_request).ends_with("\r\n\r\nstray")) << status;
  }
}

TEST_F(Http1ServerTest, CloseWithoutResponseSendsNothing) {
  reply_ = {.status = 200, .fields = {{"Content-Length", "5"}}, .content = "hello"};
  reply_.framing.close_without_response = true;
  start();
  EXPECT_EQ(exchange(server_->port(), "GET / HTTP/1.1\r\nHost: x\r\n\r\n", milliseconds{2000}), "");
}

TEST_F(Http1ServerTest, ItsOwnErrorsGetTheOriginsDate) {
  start();
  auto answer = exchange(server_->port(), "BREW / HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 400 Bad Request\r\n")) << answer;
  EXPECT_NE(answer.find("\r\nDate: the origin's date for 400\r\n"), std::string::npos) << answer;
}

TEST_F(Http1ServerTest, StalledHeadWaitAnswersWhatCame) {
  reply_ = {.status = 200, .fields = {{"Content-Length", "0"}}};
  const std::string request = "GET / HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"t\"\r\n\r\n";
  start();
  exchange(server_->port(), request, milliseconds{300}, milliseconds{300});
  EXPECT_TRUE(last_received().fields.has("If-None-Match"));  // it waited
  server_->stop();
  start({.stalled_head_wait = milliseconds{100}});
  exchange(server_->port(), request, milliseconds{300}, milliseconds{300});
  EXPECT_TRUE(last_received().fields.has("Host"));
  EXPECT_FALSE(last_received().fields.has("If-None-Match"));  // answered before it came
}

// A client that keeps its connection open after an answer (a cache
// pooling its connections to the origin) does not hold stop() for the
// keep-alive timeout (5 s): its connection is ended at once, also behind the
// stalling front.
TEST_F(Http1ServerTest, StopEndsConnectionsKeptAliveAtOnce) {
  reply_ = {.status = 200, .fields = {{"Content-Length", "2"}}, .content = "ok"};
  for (bool behind_front : {false, true}) {
    Http1Options options;
    if (behind_front) options.stalled_head_wait = milliseconds{1000};
    start(options);
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(server_->port()));
    ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    const std::string request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    std::string received;
    char chunk[4096];
    while (received.find("\r\n\r\nok") == std::string::npos) {
      pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
      if (::poll(&p, 1, 3000) <= 0) break;
      auto n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) break;
      received.append(chunk, static_cast<size_t>(n));
    }
    ASSERT_NE(received.find("\r\n\r\nok"), std::string::npos) << received;
    // Long enough for the worker to be waiting for a next request (stopped
    // before, it would not wait at all).
    std::this_thread::sleep_for(milliseconds{200});
    const auto start = std::chrono::steady_clock::now();
    server_->stop();
    EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds{1000})
        << "behind the front: " << behind_front;
    pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
    EXPECT_EQ(::poll(&p, 1, 1000), 1);
    EXPECT_EQ(::recv(fd, chunk, sizeof chunk, 0), 0) << "the connection was ended";
    ::close(fd);
  }
}

TEST(Http1ServerStartTest, ReportsAPortThatCannotBeBound) {
  Http1Handlers handlers{.respond = [](const Incoming&) { return Reply{}; },
                         .transport_error = [](int status) { return Reply{.status = status}; }};
  auto first = Http1Server::start({}, handlers);
  ASSERT_TRUE(first.ok()) << first.error().message;
  int taken = (*first)->port();
  auto second = Http1Server::start({.port = taken}, handlers);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().message, "cannot listen on 127.0.0.1:" + std::to_string(taken));
  (*first)->stop();
  (*first)->stop();  // idempotent
}

// The accept queue the kernel keeps for the origin's port: Linux reports a
// listening socket's backlog in TCP_INFO (tcpi_sacked). Found among this
// process's own descriptors: the listening TCP socket bound to `port`.
std::optional<unsigned> listen_backlog_of_port(int port) {
  for (int fd = 0; fd < 1024; ++fd) {
    int listening = 0;
    socklen_t size = sizeof(listening);
    if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) != 0 || !listening) continue;
    sockaddr_in address{};
    socklen_t length = sizeof(address);
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0 ||
        address.sin_family != AF_INET || ntohs(address.sin_port) != port)
      continue;
    tcp_info info{};
    socklen_t info_size = sizeof(info);
    if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &info_size) != 0) return std::nullopt;
    return info.tcpi_sacked;
  }
  return std::nullopt;
}

// A burst of new connections (a run at --jobs 8 opens that many at once)
// must not overflow the accept queue: cpp-httplib's own backlog of 5 did,
// and every dropped connection cost its client a second.
TEST(Http1ServerStartTest, ListensWithABacklogForABurstOfConnections) {
  Http1Handlers handlers{.respond = [](const Incoming&) { return Reply{}; },
                         .transport_error = [](int status) { return Reply{.status = status}; }};
  auto server = Http1Server::start({}, handlers);
  ASSERT_TRUE(server.ok()) << server.error().message;
  const auto backlog = listen_backlog_of_port((*server)->port());
  ASSERT_TRUE(backlog.has_value());
  EXPECT_GE(*backlog, 128u);
  (*server)->stop();
}

}  // namespace
}  // namespace condspec
