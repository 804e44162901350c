#include "src/http/http2_client.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "src/core/cancel_later_for_tests.h"
#include "src/core/cancellation.h"
#include "src/http/exchange_evidence.h"
#include "src/http/frame_record.h"
#include "src/http/http2_peer_for_tests.h"
#include "src/http/nghttpd_for_tests.h"
#include "src/http/scripted_server_for_tests.h"
#include "src/http/tls_for_tests.h"

namespace condspec {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;
using wire_testing::Peer;
using wire_testing::ScriptedServer;
using namespace h2_testing;

ClientOptions h2c_options(milliseconds deadline = 2000ms) {
  ClientOptions options;
  options.protocol = Protocol::h2c;
  options.deadline = deadline;
  options.connect_timeout = 1000ms;
  return options;
}

Request get(std::string target = "/") {
  Request request;
  request.target = std::move(target);
  return request;
}

// The frames of an exchange as lines, for assertions and failure messages.
std::vector<std::string> frame_lines(const Exchange& exchange) {
  std::vector<std::string> lines;
  for (const auto& f : exchange.frames) lines.push_back(describe(f));
  return lines;
}

bool has_frame(const Exchange& exchange, bool sent, uint8_t type, uint32_t stream) {
  return std::any_of(exchange.frames.begin(), exchange.frames.end(), [&](const FrameRecord& f) {
    return f.sent == sent && f.type == type && f.stream == stream;
  });
}

std::string all_frames(const Exchange& exchange) {
  std::string out;
  for (const auto& line : frame_lines(exchange)) out += line + "\n";
  return out;
}

// "timed out after N ms<rest>": N is the time it really took, at least the
// deadline; returns <rest>, or the whole message when it is not a timeout.
std::string timed_out_rest(const Exchange& exchange, milliseconds deadline) {
  const std::string lead = "timed out after ";
  const std::string& message = exchange.error;
  if (!message.starts_with(lead)) return message;
  size_t digits = lead.size();
  while (digits < message.size() && std::isdigit(static_cast<unsigned char>(message[digits])))
    ++digits;
  const long long ms = std::stoll(message.substr(lead.size(), digits - lead.size()));
  EXPECT_GE(ms, deadline.count());
  EXPECT_LE(ms, std::chrono::duration_cast<milliseconds>(exchange.elapsed).count());
  return message.substr(digits);
}

// A server that answers every request on a connection with `respond`.
ScriptedServer serving(std::function<void(H2Peer&, const ReceivedRequest&)> respond) {
  return ScriptedServer([respond](Peer& raw, int) {
    H2Peer peer(raw);
    peer.write(settings());
    while (auto request = peer.read_request()) respond(peer, *request);
  });
}

TEST(Http2Client, AnExchangeOverCleartextRecordsFieldsContentAndFrames) {
  ReceivedRequest seen;
  auto server = serving([&](H2Peer& peer, const ReceivedRequest& request) {
    seen = request;
    if (request.stream == 1) peer.write(settings_ack());
    peer.write(peer.headers(request.stream, {{":status", "200"}, {"etag", "\"v1\""}}));
    peer.write(data(request.stream, "hello", END_STREAM));
  });
  Http2Client client(server.url("/a"), h2c_options());
  Request request = get("/a");
  request.fields.add("If-None-Match", "\"x\"");
  request.fields.add("If-None-Match", "\"y\"");
  Sent sent = client.send(request);
  const Exchange& exchange = sent.exchange;
  ASSERT_TRUE(exchange.ok()) << exchange.error << "\n" << all_frames(exchange);
  const Response& response = *exchange.response;
  EXPECT_EQ(response.version, "HTTP/2");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.fields, (Fields{{"etag", "\"v1\""}}));
  EXPECT_EQ(response.head, "HTTP/2 200\r\n:status: 200\r\netag: \"v1\"\r\n\r\n");
  EXPECT_EQ(response.content, "hello");
  EXPECT_EQ(response.framing, Framing::end_stream);
  EXPECT_TRUE(exchange.stray_checked);
  EXPECT_EQ(exchange.stray_bytes, "");
  EXPECT_EQ(exchange.received, "");  // kept for errors only
  const std::string authority = "127.0.0.1:" + std::to_string(server.port());
  EXPECT_EQ(exchange.request_bytes,
            "GET /a HTTP/2\r\n:method: GET\r\n:scheme: http\r\n:authority: " + authority +
                "\r\n:path: /a\r\nif-none-match: \"x\"\r\nif-none-match: "
                "\"y\"\r\n\r\n");
  // Two field lines went as two header fields, in order.
  EXPECT_EQ(seen.fields, (Fields{{":method", "GET"},
                                 {":scheme", "http"},
                                 {":authority", authority},
                                 {":path", "/a"},
                                 {"if-none-match", "\"x\""},
                                 {"if-none-match", "\"y\""}}));
  // The connection's frames and the stream's, in wire order.
  EXPECT_EQ(frame_lines(exchange)[0], "sent SETTINGS stream 0, 18 bytes");
  EXPECT_TRUE(has_frame(exchange, true, HEADERS, 1));
  EXPECT_TRUE(has_frame(exchange, false, SETTINGS, 0));
  EXPECT_TRUE(has_frame(exchange, false, HEADERS, 1));
  const auto lines = frame_lines(exchange);
  EXPECT_NE(std::find(lines.begin(), lines.end(), "received DATA stream 1, 5 bytes, END_STREAM"),
            lines.end())
      << all_frames(exchange);
  // Nothing can follow the end of a stream.
  EXPECT_EQ(sent.stray_of_previous.bytes, "");
  EXPECT_FALSE(sent.stray_of_previous.checked);

  // The next exchange is the next stream on the same connection.
  Sent second = client.send(get("/a"));
  ASSERT_TRUE(second.exchange.ok()) << second.exchange.error;
  EXPECT_TRUE(has_frame(second.exchange, true, HEADERS, 3)) << all_frames(second.exchange);
  EXPECT_FALSE(has_frame(second.exchange, true, SETTINGS, 0));  // no new connection
  EXPECT_EQ(server.connections(), 1);
  StrayBytes closing = client.close();
  EXPECT_EQ(closing.bytes, "");
  EXPECT_FALSE(closing.checked);
}

// An exchange with a hostile peer: it must end with an error, within the
// bound, with the frames seen.
struct Hostile {
  Exchange exchange;
  milliseconds took;
};

Hostile against(ScriptedServer& server, ClientOptions options, Request request = get()) {
  Http2Client client(server.url(), options);
  const auto start = std::chrono::steady_clock::now();
  Exchange exchange = client.send(request).exchange;
  auto took = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start);
  EXPECT_FALSE(exchange.ok()) << "status " << (exchange.ok() ? exchange.response->status : 0);
  EXPECT_FALSE(exchange.frames.empty()) << "the frames seen are the evidence";
  return {std::move(exchange), took};
}

// Reads the request, then runs `hostile`; keeps the connection until the
// client leaves.
ScriptedServer hostile(std::function<void(H2Peer&, const ReceivedRequest&)> act,
                       bool whole_request = true) {
  return ScriptedServer([act, whole_request](Peer& raw, int) {
    H2Peer peer(raw);
    peer.write(settings());
    auto request = peer.read_request(whole_request);
    if (!request) return;
    // Once the client has acknowledged the SETTINGS it sends nothing more
    // unasked, so a close by `act` is a clean one (no unread bytes, no reset).
    peer.await_frame(SETTINGS, ACK);
    act(peer, *request);
    raw.wait_for_close(5000ms);
  });
}

TEST(Http2ClientHostile, GoawayBeforeTheRequestIsProcessed) {
  auto server = hostile([](H2Peer& peer, const ReceivedRequest&) {
    peer.write(goaway(0, 0x1, "go away"));
    peer.raw().close();
  });
  Hostile h = against(server, h2c_options());
  EXPECT_EQ(h.exchange.error,
            "the server sent GOAWAY (PROTOCOL_ERROR, last stream 0: 'go away') without processing "
            "the request");
  EXPECT_TRUE(h.exchange.closed_without_response);
  EXPECT_TRUE(has_frame(h.exchange, false, GOAWAY, 0)) << all_frames(h.exchange);
  EXPECT_LT(h.took, 1000ms);
}

TEST(Http2ClientHostile, ResetStream) {
  auto server = hostile([](H2Peer& peer, const ReceivedRequest& request) {
    peer.write(peer.headers(request.stream, {{":status", "200"}}));
    peer.write(data(request.stream, "par"));
    peer.write(rst_stream(request.stream, 0x2));
  });
  Hostile h = against(server, h2c_options());
  EXPECT_EQ(h.exchange.error,
            "the server reset the stream (RST_STREAM INTERNAL_ERROR) after the response HEADERS "
            "and 3 bytes of DATA");
  EXPECT_FALSE(h.exchange.closed_without_response);
  EXPECT_TRUE(has_frame(h.exchange, false, RST_STREAM, 1)) << all_frames(h.exchange);
  EXPECT_LT(h.took, 1000ms);
}

TEST(Http2ClientHostile, ResetStreamBeforeAnyResponse) {
  auto server = hostile([](H2Peer& peer, const ReceivedRequest& request) {
    peer.write(rst_stream(request.stream, 0x7));
  });
  Hostile h = against(server, h2c_options());
  EXPECT_EQ(h.exchange.error,
            "the server reset the stream (RST_STREAM REFUSED_STREAM) before the response HEADERS");
  EXPECT_TRUE(h.exchange.closed_without_response);
}

TEST(Http2ClientHostile, BadFrame) {
  auto server = hostile([](H2Peer& peer, const ReceivedRequest&) {
    peer.write(data(0, "on the connection"));  // DATA on stream 0 (RFC 9113 6.1)
  });
  Hostile h = against(server, h2c_options());
  EXPECT_EQ(h.exchange.error,
            "HTTP/2 protocol error: DATA: stream_id == 0; condspec ended the connection with "
            "GOAWAY (PROTOCOL_ERROR)");
  EXPECT_TRUE(has_frame(h.exchange, false, DATA, 0)) << all_frames(h.exchange);
  EXPECT_TRUE(has_frame(h.exchange, true, GOAWAY, 0)) << all_frames(h.exchange);
  EXPECT_LT(h.took, 1000ms);
}

TEST(Http2ClientHostile, SettingsFlood) {
  auto server = hostile([](H2Peer& peer, const ReceivedRequest&) {
    std::string flood;
    for (int i = 0; i < 2000; ++i) flood += settings({{0x3, 100}});
    peer.write(flood);
  });
  Hostile h = against(server, h2c_options(5000ms));
  EXPECT_EQ(h.exchange.error,
            "the server sent more than 1000 frames that carry no content in one exchange (1001 "
            "SETTINGS): a flood, not a response");
  EXPECT_LT(h.took, 2000ms);
}

TEST(Http2ClientHostile, PingFlood) {
  auto server = hostile([](H2Peer& peer, const ReceivedRequest&) {
    std::string flood;
    for (int i = 0; i < 2000; ++i) flood += ping();
    peer.write(flood);
  });
  Hostile h = against(server, h2c_options(5000ms));
  EXPECT_EQ(h.exchange.error,
            "the server sent more than 1000 frames that carry no content in one exchange (1000 "
            "PING, 1 SETTINGS): a flood, not a response");
  EXPECT_LT(h.took, 2000ms);
}

TEST(Http2ClientHostile, AWindowThatNeverOpens) {
  auto server = ScriptedServer([](Peer& raw, int) {
    H2Peer peer(raw);
    peer.write(settings({{0x4, 0}}));  // SETTINGS_INITIAL_WINDOW_SIZE 0
    peer.read_request(/*whole=*/false);
    raw.wait_for_close(5000ms);
  });
  Request put = get();
  put.method = "PUT";
  // More than the 65535 bytes the client may send before the server's
  // SETTINGS arrive (RFC 9113 6.9.2); after them, the window stays shut.
  put.body = std::string(100000, 'x');
  Hostile h = against(server, h2c_options(500ms), put);
  EXPECT_EQ(timed_out_rest(h.exchange, 500ms),
            " ms waiting for the server's flow-control window to open (1 frame received, 65535 of "
            "100000 content bytes sent)");
  EXPECT_GE(h.took, 500ms);
  EXPECT_LT(h.took, 1500ms);
}

TEST(Http2ClientHostile, AStreamThatNeverEnds) {
  auto server = hostile([](H2Peer& peer, const ReceivedRequest& request) {
    peer.write(peer.headers(request.stream, {{":status", "200"}}));
    peer.write(data(request.stream, "abc"));
  });
  Hostile h = against(server, h2c_options(500ms));
  EXPECT_EQ(timed_out_rest(h.exchange, 500ms),
            " ms waiting for the end of the stream (3 frames received, 3 bytes of DATA)");
  EXPECT_GE(h.took, 500ms);
  EXPECT_LT(h.took, 1500ms);
}

TEST(Http2ClientHostile, ASilentServer) {
  auto server = ScriptedServer([](Peer& raw, int) { raw.wait_for_close(5000ms); });
  Hostile h = against(server, h2c_options(500ms));
  EXPECT_EQ(timed_out_rest(h.exchange, 500ms),
            " ms waiting for the response HEADERS (0 frames received)");
  EXPECT_LT(h.took, 1500ms);
}

// What an error keeps of the bytes received is capped as over HTTP/1.1,
// and what the cap dropped is counted, so redaction knows where it cut.
TEST(Http2ClientHostile, EvidenceBeyondTheCapIsCounted) {
  const std::string payload(16'000, 'x');
  auto server = hostile([&payload](H2Peer& peer, const ReceivedRequest& request) {
    peer.write(peer.headers(request.stream, {{":status", "200"}}));
    for (int i = 0; i < 8; ++i) peer.write(data(request.stream, payload));
  });
  Hostile h = against(server, h2c_options(500ms));
  EXPECT_EQ(timed_out_rest(h.exchange, 500ms),
            " ms waiting for the end of the stream (10 frames received, 128000 bytes of DATA)");
  EXPECT_EQ(h.exchange.received.size(), kMaxEvidenceBytes);
  EXPECT_GT(h.exchange.received_dropped, 128'000 - kMaxEvidenceBytes);
}

TEST(Http2ClientHostile, AHugeHeaderSection) {
  auto server = hostile([](H2Peer& peer, const ReceivedRequest& request) {
    peer.write(
        peer.headers(request.stream, {{":status", "200"}, {"x-big", std::string(2000, 'x')}}));
  });
  ClientOptions options = h2c_options();
  options.max_head_bytes = 1000;
  Hostile h = against(server, options);
  EXPECT_EQ(h.exchange.error, "response header section exceeds 1000 bytes");
}

TEST(Http2ClientHostile, TooMuchContent) {
  auto server = hostile([](H2Peer& peer, const ReceivedRequest& request) {
    peer.write(peer.headers(request.stream, {{":status", "200"}}));
    peer.write(data(request.stream, std::string(100, 'x')));
  });
  ClientOptions options = h2c_options();
  options.max_content_bytes = 50;
  Hostile h = against(server, options);
  EXPECT_EQ(h.exchange.error, "content exceeds 50 bytes");
}

TEST(Http2ClientHostile, ClosedInTheMiddleOfTheStream) {
  auto server = hostile([](H2Peer& peer, const ReceivedRequest& request) {
    peer.write(peer.headers(request.stream, {{":status", "200"}}));
    peer.write(data(request.stream, "abc"));
    peer.raw().close();
  });
  Hostile h = against(server, h2c_options());
  EXPECT_EQ(h.exchange.error,
            "connection closed before the end of the stream (3 bytes of DATA received)");
  EXPECT_FALSE(h.exchange.closed_without_response);
}

TEST(Http2ClientHostile, NoStatus) {
  auto server = hostile([](H2Peer& peer, const ReceivedRequest& request) {
    peer.write(peer.headers(request.stream, {{"etag", "\"x\""}}, END_STREAM));
  });
  Hostile h = against(server, h2c_options());
  EXPECT_EQ(h.exchange.error, "the response HEADERS carried no :status (RFC 9113 8.3.2)");
}

TEST(Http2ClientHostile, AnHttp1ServerAnsweringThePreface) {
  auto server = ScriptedServer([](Peer& raw, int) {
    raw.read_for(100ms);
    raw.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    raw.wait_for_close(5000ms);
  });
  Http2Client client(server.url(), h2c_options());
  Exchange exchange = client.send(get()).exchange;
  EXPECT_EQ(exchange.error,
            "the server answered the HTTP/2 connection preface with HTTP/1 ('HTTP/1.1 400 Bad "
            "Request'): it does not speak HTTP/2 over cleartext with prior knowledge (h2c) on this "
            "port");
  EXPECT_EQ(exchange.received, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
}

// Violations are judged, not refused by the library: DATA on a 304 or a
// HEAD response, a content-length that does not match, a connection-specific
// field are evidence in a successful exchange.
TEST(Http2Client, DataOnAResponseThatCannotHaveContentIsStrayEvidence) {
  auto server = serving([](H2Peer& peer, const ReceivedRequest& request) {
    const bool head = *request.fields.find(":method") == "HEAD";
    peer.write(peer.headers(request.stream, {{":status", head ? "200" : "304"},
                                             {"content-length", "4"},
                                             {"connection", "keep-alive"}}));
    peer.write(data(request.stream, "body", END_STREAM));
  });
  Http2Client client(server.url(), h2c_options());
  for (const char* method : {"GET", "HEAD"}) {
    Request request = get();
    request.method = method;
    Exchange exchange = client.send(request).exchange;
    ASSERT_TRUE(exchange.ok()) << method << ": " << exchange.error << "\n" << all_frames(exchange);
    EXPECT_EQ(exchange.response->content, "");
    EXPECT_EQ(exchange.response->framing, Framing::no_content);
    EXPECT_EQ(exchange.stray_bytes, "body");
    EXPECT_TRUE(exchange.stray_checked);
    EXPECT_EQ(exchange.response->framing_notes,
              std::vector<std::string>{
                  "connection-specific field 'connection' in an HTTP/2 response (RFC 9113 8.2.2)"});
    EXPECT_TRUE(std::any_of(exchange.frames.begin(), exchange.frames.end(),
                            [](const FrameRecord& f) {
                              return !f.sent && f.type == DATA && f.length == 4 &&
                                     f.flags == END_STREAM;
                            }))
        << all_frames(exchange);
  }
}

TEST(Http2Client, AContentLengthThatDoesNotMatchIsNoted) {
  auto server = serving([](H2Peer& peer, const ReceivedRequest& request) {
    peer.write(peer.headers(request.stream, {{":status", "200"}, {"content-length", "10"}}));
    peer.write(data(request.stream, "short", END_STREAM));
  });
  Http2Client client(server.url(), h2c_options());
  Exchange exchange = client.send(get()).exchange;
  ASSERT_TRUE(exchange.ok()) << exchange.error;
  EXPECT_EQ(exchange.response->content, "short");
  EXPECT_EQ(exchange.response->framing_notes,
            std::vector<std::string>{
                "content-length 10 but the DATA frames carried 5 bytes (RFC 9113 8.1.1)"});
}

TEST(Http2Client, AHeadersFrameThatEndsTheStreamIsAResponseWithoutData) {
  auto server = serving([](H2Peer& peer, const ReceivedRequest& request) {
    peer.write(peer.headers(request.stream, {{":status", "304"}, {"etag", "\"v1\""}}, END_STREAM));
  });
  Http2Client client(server.url(), h2c_options());
  Exchange exchange = client.send(get()).exchange;
  ASSERT_TRUE(exchange.ok()) << exchange.error;
  EXPECT_EQ(exchange.response->status, 304);
  EXPECT_EQ(exchange.stray_bytes, "");
  EXPECT_TRUE(exchange.stray_checked);
  // The HEADERS frame itself ended the stream: no DATA frame at all.
  EXPECT_TRUE(std::any_of(exchange.frames.begin(), exchange.frames.end(), [](const FrameRecord& f) {
    return !f.sent && f.type == HEADERS && f.flags == (END_STREAM | END_HEADERS);
  })) << all_frames(exchange);
  EXPECT_FALSE(has_frame(exchange, false, DATA, 1)) << all_frames(exchange);
}

TEST(Http2Client, InterimResponsesAndTrailers) {
  auto server = serving([](H2Peer& peer, const ReceivedRequest& request) {
    peer.write(peer.headers(request.stream, {{":status", "103"}, {"link", "</s.css>"}}));
    peer.write(peer.headers(request.stream, {{":status", "200"}}));
    peer.write(data(request.stream, "x"));
    peer.write(peer.headers(request.stream, {{"checksum", "1"}}, END_STREAM));
  });
  Http2Client client(server.url(), h2c_options());
  Exchange exchange = client.send(get()).exchange;
  ASSERT_TRUE(exchange.ok()) << exchange.error;
  EXPECT_EQ(exchange.response->status, 200);
  EXPECT_EQ(exchange.response->content, "x");
  EXPECT_EQ(exchange.response->trailers, (Fields{{"checksum", "1"}}));
}

TEST(Http2Client, RequestContentGoesInDataFrames) {
  ReceivedRequest seen;
  auto server = serving([&](H2Peer& peer, const ReceivedRequest& request) {
    seen = request;
    peer.write(peer.headers(request.stream, {{":status", "204"}}, END_STREAM));
  });
  Http2Client client(server.url(), h2c_options());
  Request put = get();
  put.method = "PUT";
  put.body = "new content";
  Exchange exchange = client.send(put).exchange;
  ASSERT_TRUE(exchange.ok()) << exchange.error;
  EXPECT_EQ(seen.content, "new content");
  EXPECT_EQ(*seen.fields.find("content-length"), "11");
  EXPECT_TRUE(exchange.request_bytes.ends_with("\r\n\r\nnew content"));
  EXPECT_TRUE(has_frame(exchange, true, DATA, 1)) << all_frames(exchange);
}

TEST(Http2Client, ManySmallDataFramesAreCountedBeyondTheRecordCap) {
  auto server = serving([](H2Peer& peer, const ReceivedRequest& request) {
    peer.write(peer.headers(request.stream, {{":status", "200"}}));
    std::string frames;
    for (int i = 0; i < 5000; ++i) frames += data(request.stream, "x");
    peer.write(frames + data(request.stream, "", END_STREAM));
  });
  Http2Client client(server.url(), h2c_options(5000ms));
  Exchange exchange = client.send(get()).exchange;
  ASSERT_TRUE(exchange.ok()) << exchange.error;
  EXPECT_EQ(exchange.response->content.size(), 5000u);
  EXPECT_EQ(exchange.frames.size(), 4096u);
  EXPECT_GT(exchange.frames_dropped, 900u);
}

TEST(Http2Client, FramesAfterTheEndOfTheStreamAreRecorded) {
  // A DATA frame on a stream the server already ended: libnghttp2 ignores
  // it, but the record shows it, in this exchange or the next.
  auto server = serving([](H2Peer& peer, const ReceivedRequest& request) {
    peer.write(peer.headers(request.stream, {{":status", "200"}}, END_STREAM) +
               data(request.stream, "late"));
  });
  Http2Client client(server.url(), h2c_options());
  Exchange first = client.send(get()).exchange;
  ASSERT_TRUE(first.ok()) << first.error;
  Exchange second = client.send(get()).exchange;
  auto late = [](const Exchange& e) {
    return std::any_of(e.frames.begin(), e.frames.end(), [](const FrameRecord& f) {
      return !f.sent && f.type == DATA && f.stream == 1 && f.length == 4;
    });
  };
  EXPECT_TRUE(late(first) || late(second)) << all_frames(first) << "--\n" << all_frames(second);
}

TEST(Http2Client, AGoawayBetweenExchangesMeansANewConnection) {
  auto server = ScriptedServer([](Peer& raw, int) {
    H2Peer peer(raw);
    peer.write(settings());
    auto request = peer.read_request();
    if (!request) return;
    peer.write(peer.headers(request->stream, {{":status", "200"}}, END_STREAM));
    peer.write(goaway(request->stream, 0x0));  // graceful: no more streams
    raw.wait_for_close(2000ms);
  });
  Http2Client client(server.url(), h2c_options());
  Exchange first = client.send(get()).exchange;
  ASSERT_TRUE(first.ok()) << first.error;
  std::this_thread::sleep_for(50ms);  // the GOAWAY arrives while no exchange runs
  Exchange second = client.send(get()).exchange;
  ASSERT_TRUE(second.ok()) << second.error;
  EXPECT_EQ(server.connections(), 2);
  // The GOAWAY is evidence in one of the records.
  EXPECT_TRUE(has_frame(first, false, GOAWAY, 0) || has_frame(second, false, GOAWAY, 0))
      << all_frames(first) << "--\n"
      << all_frames(second);
  EXPECT_TRUE(has_frame(second, true, HEADERS, 1)) << all_frames(second);  // stream 1 again
}

TEST(Http2Client, ARequestTheServerRefusedOnAReusedConnectionIsSentAgain) {
  auto server = ScriptedServer([](Peer& raw, int connection) {
    H2Peer peer(raw);
    peer.write(settings());
    auto request = peer.read_request();
    if (!request) return;
    peer.write(peer.headers(request->stream, {{":status", "200"}}, END_STREAM));
    if (connection == 0) {
      auto next = peer.read_request();  // stream 3: not processed
      if (next) peer.write(goaway(request->stream, 0x0));
      raw.close();
      return;
    }
    raw.wait_for_close(2000ms);
  });
  Http2Client client(server.url(), h2c_options());
  ASSERT_TRUE(client.send(get()).exchange.ok());
  Exchange second = client.send(get()).exchange;
  ASSERT_TRUE(second.ok()) << second.error << "\n" << all_frames(second);
  EXPECT_EQ(server.connections(), 2);
  // Both attempts are in the record: the refused stream 3, then stream 1.
  EXPECT_TRUE(has_frame(second, true, HEADERS, 3)) << all_frames(second);
  EXPECT_TRUE(has_frame(second, false, GOAWAY, 0)) << all_frames(second);
  EXPECT_TRUE(has_frame(second, true, HEADERS, 1)) << all_frames(second);
}

TEST(Http2Client, WhatHttp2CannotSendIsAnErrorBeforeConnecting) {
  auto server = serving([](H2Peer&, const ReceivedRequest&) {});
  Http2Client client(server.url(), h2c_options());
  Request old = get();
  old.version = "HTTP/1.0";
  Exchange exchange = client.send(old).exchange;
  EXPECT_EQ(exchange.error,
            "an HTTP/1.0 request cannot be sent over HTTP/2, which has no version of its own to "
            "announce");
  EXPECT_EQ(server.connections(), 0);

  ClientOptions h2 = h2c_options();
  h2.protocol = Protocol::h2;
  Http2Client wrong(server.url(), h2);
  EXPECT_EQ(wrong.send(get()).exchange.error,
            "h2 cannot reach " + server.url().str() + ": h2 is HTTP/2 over TLS; use h2c");
}

// Over TLS: ALPN must choose h2.
class Http2ClientTls : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    files_ = new tls_testing::Credentials(
        tls_testing::make_self_signed("h2", "DNS:localhost,IP:127.0.0.1"));
  }
  static void TearDownTestSuite() {
    tls_testing::remove_files(*files_);
    delete files_;
  }
  static ClientOptions tls_options() {
    ClientOptions options = h2c_options();
    options.protocol = Protocol::h2;
    options.ca_file = files_->cert_file;
    return options;
  }
  static tls_testing::Credentials* files_;
};
tls_testing::Credentials* Http2ClientTls::files_ = nullptr;

TEST_F(Http2ClientTls, AServerThatDoesNotChooseH2) {
  // An HTTP/1.1-only server: h2 is all the client offers, so it chooses none.
  tls_testing::OneConnectionTlsServer server(*files_, {"http/1.1"}, [](SSL*) {});
  Http2Client client(Url{"https", "127.0.0.1", server.port(), "/"}, tls_options());
  Exchange exchange = client.send(get()).exchange;
  EXPECT_EQ(exchange.error, "the server at 127.0.0.1:" + std::to_string(server.port()) +
                                " does not speak HTTP/2 over TLS: offered h2 in ALPN, it chose "
                                "no protocol");
}

// A real server: nghttpd serving a file, over TLS (h2) and cleartext (h2c).
class Http2ClientNghttpd : public testing::Test {
 protected:
  void SetUp() override {
    if (nghttpd_testing::nghttpd_path().empty())
      GTEST_SKIP() << "nghttpd is not installed (Debian package nghttp2-server)";
    htdocs_ = testing::TempDir() + "condspec-nghttpd-" + std::to_string(::getpid());
    std::filesystem::create_directories(htdocs_);
    std::ofstream(htdocs_ + "/a.txt") << "hello over h2\n";
  }
  void TearDown() override {
    if (!htdocs_.empty()) std::filesystem::remove_all(htdocs_);
  }
  void exchanges_with(const Url& url, const ClientOptions& options) {
    Http2Client client(url, options);
    Exchange first = client.send(get("/a.txt")).exchange;
    ASSERT_TRUE(first.ok()) << first.error << "\n" << all_frames(first);
    EXPECT_EQ(first.response->status, 200);
    EXPECT_EQ(first.response->content, "hello over h2\n");
    EXPECT_TRUE(first.stray_checked);
    const std::string* modified = first.response->fields.find("last-modified");
    ASSERT_TRUE(modified) << first.response->head;
    // nghttpd evaluates If-Modified-Since: a 304 without DATA, on stream 3.
    Request conditional = get("/a.txt");
    conditional.fields.add("If-Modified-Since", *modified);
    Exchange second = client.send(conditional).exchange;
    ASSERT_TRUE(second.ok()) << second.error;
    EXPECT_EQ(second.response->status, 304);
    EXPECT_EQ(second.response->content, "");
    EXPECT_EQ(second.stray_bytes, "");
    EXPECT_TRUE(second.stray_checked);
    EXPECT_TRUE(has_frame(second, true, HEADERS, 3)) << all_frames(second);
    Request head = get("/a.txt");
    head.method = "HEAD";
    Exchange third = client.send(head).exchange;
    ASSERT_TRUE(third.ok()) << third.error;
    EXPECT_EQ(third.stray_bytes, "");
    EXPECT_TRUE(third.stray_checked);
    client.close();
  }
  std::string htdocs_;
};

TEST_F(Http2ClientNghttpd, OverCleartext) {
  nghttpd_testing::Nghttpd server(htdocs_);
  ASSERT_GT(server.port(), 0) << "nghttpd did not start";
  exchanges_with(Url{"http", "127.0.0.1", server.port(), "/"}, h2c_options(5000ms));
}

TEST_F(Http2ClientNghttpd, OverTls) {
  auto files = tls_testing::make_self_signed("nghttpd", "DNS:localhost,IP:127.0.0.1");
  nghttpd_testing::Nghttpd server(htdocs_, files.key_file, files.cert_file);
  ASSERT_GT(server.port(), 0) << "nghttpd did not start";
  ClientOptions options = h2c_options(5000ms);
  options.protocol = Protocol::h2;
  options.ca_file = files.cert_file;
  exchanges_with(Url{"https", "localhost", server.port(), "/"}, options);
  // Verification stays on: without the CA, the handshake fails.
  ClientOptions strict = h2c_options();
  strict.protocol = Protocol::h2;
  Http2Client strict_client(Url{"https", "localhost", server.port(), "/"}, strict);
  EXPECT_EQ(strict_client.send(get("/a.txt")).exchange.error,
            "TLS handshake with localhost:" + std::to_string(server.port()) +
                " failed: certificate verify failed (self-signed certificate)");
  tls_testing::remove_files(files);
}

}  // namespace
}  // namespace condspec

// Every wait of an HTTP/2 exchange wakes on the run's cancellation (SIGINT,
// SIGTERM) long before its deadline, as over HTTP/1.1; a cancelled client
// sends nothing.
namespace condspec {
namespace {

using cancel_testing::CancelLater;

ClientOptions patient_h2c(const Cancellation& cancellation) {
  ClientOptions options = h2c_options(10'000ms);
  options.connect_timeout = 10'000ms;
  options.cancel = &cancellation;
  return options;
}

TEST(Http2ClientCancellation, WaitingForTheResponseWakes) {
  auto server = ScriptedServer([](Peer& raw, int) { raw.wait_for_close(12'000ms); });
  Cancellation cancellation;
  Http2Client client(server.url(), patient_h2c(cancellation));
  const auto start = std::chrono::steady_clock::now();
  Exchange exchange;
  {
    CancelLater later(cancellation, 200ms);
    exchange = client.send(get()).exchange;
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1000ms);
  EXPECT_TRUE(exchange.error.starts_with("interrupted after ")) << exchange.error;
  EXPECT_TRUE(exchange.error.ends_with(" ms waiting for the response HEADERS (0 frames received)"))
      << exchange.error;
}

// Frames that never stop give the client no wait to wake from: the
// cancellation is looked at before every read. DATA frames of one byte of
// content and 255 of padding, so no limit (8 MiB of content, 1000 frames
// without content) is reached first.
TEST(Http2ClientCancellation, FramesThatKeepArrivingDoNotHoldItOff) {
  auto server = hostile([](H2Peer& peer, const ReceivedRequest& request) {
    peer.write(peer.headers(request.stream, {{":status", "200"}}));
    const std::string padded = std::string(1, '\xff') + "z" + std::string(255, '\0');
    std::string block;
    for (int i = 0; i < 256; ++i) block += frame(DATA, PADDED, request.stream, padded);
    const auto until = std::chrono::steady_clock::now() + 12'000ms;
    while (std::chrono::steady_clock::now() < until && peer.write(block)) {
    }
  });
  Cancellation cancellation;
  Http2Client client(server.url(), patient_h2c(cancellation));
  const auto start = std::chrono::steady_clock::now();
  Exchange exchange;
  {
    CancelLater later(cancellation, 300ms);
    exchange = client.send(get()).exchange;
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1300ms);
  EXPECT_TRUE(exchange.error.starts_with("interrupted after ")) << exchange.error;
  EXPECT_NE(exchange.error.find(" ms waiting for the end of the stream ("), std::string::npos)
      << exchange.error;
}

TEST(Http2ClientCancellation, ACancelledClientSendsNothing) {
  std::atomic<int> connections{0};
  auto server = ScriptedServer([&connections](Peer&, int) { ++connections; });
  Cancellation cancellation;
  cancellation.cancel();
  Http2Client client(server.url(), patient_h2c(cancellation));
  Exchange exchange = client.send(get()).exchange;
  EXPECT_EQ(exchange.error, "interrupted before the request was sent");
  EXPECT_TRUE(exchange.frames.empty()) << all_frames(exchange);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(connections.load(), 0);
}

}  // namespace
}  // namespace condspec
