#include "src/origin/http2_server.h"

#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

#include "src/http/http2_client.h"

namespace condspec {
namespace {

using namespace std::chrono_literals;

// The server with a scripted reply, judged by condspec's own HTTP/2 client.
class Http2ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto started = Http2Server::start({}, [this](const Incoming& request) {
      std::lock_guard lock(mutex_);
      received_.push_back(request);
      return reply_;
    });
    ASSERT_TRUE(started.ok()) << started.error().message;
    server_ = std::move(*started);
  }

  Exchange send(Request request) {
    ClientOptions options;
    options.protocol = Protocol::h2c;
    options.deadline = 2000ms;
    options.connect_timeout = 1000ms;
    auto url = parse_url("http://127.0.0.1:" + std::to_string(server_->port()) + "/");
    Http2Client client(*url, options);
    return client.send(request).exchange;
  }

  Incoming last_received() {
    std::lock_guard lock(mutex_);
    return received_.empty() ? Incoming{} : received_.back();
  }

  std::mutex mutex_;
  std::vector<Incoming> received_;
  Reply reply_;
  std::unique_ptr<Http2Server> server_;
};

Request request(std::string method, std::string target) {
  Request r;
  r.method = std::move(method);
  r.target = std::move(target);
  return r;
}

TEST_F(Http2ServerTest, TheRequestArrivesAsAnIncomingAndTheReplyGoesOutAsGiven) {
  reply_.status = 200;
  reply_.fields.add("ETag", "\"a\"");
  reply_.fields.add("Content-Length", "5");
  reply_.content = "hello";
  Request r = request("PUT", "/writable?x=1");
  r.fields.add("If-Match", "\"a\"");
  r.fields.add("If-Match", "\"b\"");  // two field lines stay two fields
  r.body = "new content";
  Exchange e = send(r);
  ASSERT_TRUE(e.response) << e.error;
  EXPECT_EQ(e.response->version, "HTTP/2");
  EXPECT_EQ(e.response->status, 200);
  EXPECT_EQ(e.response->content, "hello");
  EXPECT_EQ(e.response->head,
            "HTTP/2 200\r\n:status: 200\r\netag: \"a\"\r\ncontent-length: 5\r\n\r\n");

  Incoming in = last_received();
  EXPECT_EQ(in.method, "PUT");
  EXPECT_EQ(in.path, "/writable?x=1");
  EXPECT_EQ(in.version, "HTTP/2");
  EXPECT_EQ(in.body, "new content");
  EXPECT_EQ(in.fields.all("If-Match"), (std::vector<std::string>{"\"a\"", "\"b\""}));
  ASSERT_TRUE(in.fields.find("Host"));
  EXPECT_EQ(*in.fields.find("Host"), "127.0.0.1:" + std::to_string(server_->port()));
}

TEST_F(Http2ServerTest, ABodilessReplyEndsTheStreamWithItsHeaders) {
  reply_.status = 304;
  reply_.fields.add("ETag", "\"a\"");
  reply_.content = "dropped";  // a 304 has no content
  Exchange e = send(request("GET", "/strong"));
  ASSERT_TRUE(e.response) << e.error;
  EXPECT_EQ(e.response->status, 304);
  EXPECT_TRUE(e.stray_checked);
  EXPECT_EQ(e.stray_bytes, "");
  // The response's frames on its stream: one HEADERS with END_STREAM.
  std::vector<FrameRecord> response_frames;
  for (const auto& frame : e.frames)
    if (!frame.sent && frame.stream != 0) response_frames.push_back(frame);
  ASSERT_EQ(response_frames.size(), 1u);
  EXPECT_EQ(response_frames[0].type, 0x1);
  EXPECT_EQ(response_frames[0].flags & 0x1, 0x1);
}

TEST_F(Http2ServerTest, ContentAfterABodilessReplyGoesOutInDataFramesWhenAFaultAsks) {
  reply_.status = 200;
  reply_.content = "hello";
  reply_.framing.content_after_bodiless = true;
  Exchange e = send(request("HEAD", "/strong"));
  ASSERT_TRUE(e.response) << e.error;
  EXPECT_EQ(e.stray_bytes, "hello");
  EXPECT_TRUE(e.stray_checked);
}

TEST_F(Http2ServerTest, ClosingWithoutAResponseResetsTheStream) {
  reply_.framing.close_without_response = true;
  Exchange e = send(request("GET", "/strong"));
  EXPECT_FALSE(e.response);
  EXPECT_NE(e.error.find("RST_STREAM"), std::string::npos) << e.error;
}

TEST_F(Http2ServerTest, StopEndsOpenConnections) {
  reply_.content = "x";
  ClientOptions options;
  options.protocol = Protocol::h2c;
  options.deadline = 2000ms;
  auto url = parse_url("http://127.0.0.1:" + std::to_string(server_->port()) + "/");
  Http2Client client(*url, options);
  ASSERT_TRUE(client.send(request("GET", "/")).exchange.response);
  server_->stop();  // with the client's connection still open: returns, bounded
  Exchange after = client.send(request("GET", "/")).exchange;
  EXPECT_FALSE(after.response);
}

}  // namespace
}  // namespace condspec

namespace condspec {
namespace {

TEST(Http2ServerOverTls, ServesH2ChosenInAlpnAndRefusesAClientWithoutIt) {
  auto identity = make_self_signed_identity();
  ASSERT_TRUE(identity.ok());
  auto started = Http2Server::start({.tls = *identity}, [](const Incoming& request) {
    return Reply{.status = 200, .content = "over TLS: " + request.path};
  });
  ASSERT_TRUE(started.ok()) << started.error().message;
  auto url = parse_url("https://127.0.0.1:" + std::to_string((*started)->port()) + "/a");
  ClientOptions options;
  options.protocol = Protocol::h2;
  options.verify_tls = false;
  options.deadline = 3000ms;
  Http2Client client(*url, options);
  Request r;
  r.target = "/a";
  Exchange e = client.send(r).exchange;
  ASSERT_TRUE(e.response) << e.error;
  EXPECT_EQ(e.response->content, "over TLS: /a");

  options.protocol = Protocol::http1_1;  // offers http/1.1 only in ALPN
  Exchange refused = make_transport(*url, options)->send(r).exchange;
  EXPECT_FALSE(refused.response);
  EXPECT_NE(refused.error.find("TLS handshake"), std::string::npos) << refused.error;
}

}  // namespace
}  // namespace condspec
