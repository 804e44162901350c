#include "src/http/transport.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <thread>

#include "src/http/http2_peer_for_tests.h"

namespace condspec {
namespace {

using namespace std::chrono_literals;

// A plain HTTP/1.1 server on 127.0.0.1 (cpp-httplib) that keeps
// connections alive.
class LocalServer {
 public:
  LocalServer() {
    server_.Get("/", [](const httplib::Request&, httplib::Response& response) {
      response.set_content("hello", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 200 && !server_.is_running(); ++i) std::this_thread::sleep_for(5ms);
  }
  ~LocalServer() {
    server_.stop();
    thread_.join();
  }
  Url url() const { return Url{"http", "127.0.0.1", port_, "/"}; }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

TEST(Transport, ARequestGoesInAndARecordedExchangeComesOut) {
  LocalServer server;
  ClientOptions options;
  options.deadline = 3000ms;
  std::unique_ptr<Transport> transport = make_transport(server.url(), options);
  EXPECT_EQ(transport->origin(), server.url());

  Request request;
  Sent first = transport->send(request);
  ASSERT_TRUE(first.exchange.ok()) << first.exchange.error;
  EXPECT_EQ(first.exchange.response->version, "HTTP/1.1");
  EXPECT_EQ(first.exchange.response->content, "hello");
  EXPECT_TRUE(first.exchange.request_bytes.starts_with("GET / HTTP/1.1\r\n"));
  // HTTP/1.1 framing evidence is bytes, not frames.
  EXPECT_TRUE(first.exchange.frames.empty());
  // Nothing came before it on this transport.
  EXPECT_EQ(first.stray_of_previous.bytes, "");
  EXPECT_FALSE(first.stray_of_previous.checked);

  // The next exchange reuses the connection, and so proves that nothing
  // followed the first response: evidence about the first, returned here.
  Sent second = transport->send(request);
  ASSERT_TRUE(second.exchange.ok()) << second.exchange.error;
  EXPECT_TRUE(second.stray_of_previous.checked);
  EXPECT_EQ(second.stray_of_previous.bytes, "");
  // No record was written into behind the caller's back.
  EXPECT_FALSE(first.exchange.stray_checked);
  EXPECT_FALSE(second.exchange.stray_checked);

  StrayBytes after_last = transport->close();
  EXPECT_EQ(after_last.bytes, "");
  EXPECT_FALSE(after_last.checked);  // a quiet kept-alive connection proves nothing
}

TEST(Transport, TheProtocolOfTheOptionsIsTheOneSpoken) {
  using namespace h2_testing;
  wire_testing::ScriptedServer server([](wire_testing::Peer& raw, int) {
    H2Peer peer(raw);
    peer.write(settings());
    while (auto request = peer.read_request())
      peer.write(peer.headers(request->stream, {{":status", "200"}}) +
                 data(request->stream, "hello", END_STREAM));
  });
  ClientOptions options;
  options.deadline = 3000ms;
  options.protocol = Protocol::h2c;
  std::unique_ptr<Transport> transport = make_transport(server.url(), options);
  Sent sent = transport->send(Request{});
  ASSERT_TRUE(sent.exchange.ok()) << sent.exchange.error;
  EXPECT_EQ(sent.exchange.response->version, "HTTP/2");
  EXPECT_EQ(sent.exchange.response->content, "hello");
  // HTTP/2 framing evidence is frames, and complete within the exchange.
  EXPECT_FALSE(sent.exchange.frames.empty());
  EXPECT_TRUE(sent.exchange.stray_checked);
  EXPECT_FALSE(sent.stray_of_previous.checked);
}

}  // namespace
}  // namespace condspec
