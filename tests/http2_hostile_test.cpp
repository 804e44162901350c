// condspec against HTTP/2 peers that misbehave at the frame level (issue 17:
// GOAWAY, RST_STREAM, a bad frame, a SETTINGS flood, a flow-control window
// that never opens), end to end: the real program with --protocol h2c must
// end on its own, judge nothing rather than pass anything, and report the
// error with the frames it saw. The HTTP/2 client's own tests
// (src/http/http2_client_test.cpp) pin each message; these pin what a user
// sees of it.

#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "src/http/http2_peer_for_tests.h"
#include "src/http/scripted_server_for_tests.h"
#include "tests/process.h"

namespace condspec::test {
namespace {

using namespace std::chrono_literals;
using namespace h2_testing;
using wire_testing::Peer;
using wire_testing::ScriptedServer;

constexpr int kTimeoutSeconds = 2;

struct Misbehaviour {
  std::string name;
  // What the server does once it has read a request and the client has
  // acknowledged its SETTINGS.
  std::function<void(H2Peer&, const ReceivedRequest&)> act;
  std::string error;       // the exchange's error, as the client words it
  std::string frame_seen;  // a frame type the evidence must show as received
};

void PrintTo(const Misbehaviour& m, std::ostream* out) {
  *out << m.name;
}

std::vector<Misbehaviour> misbehaviours() {
  return {
      {"goaway",
       [](H2Peer& peer, const ReceivedRequest&) {
         peer.write(goaway(0, 0x1, "go away"));
         peer.raw().close();
       },
       "the server sent GOAWAY (PROTOCOL_ERROR, last stream 0: 'go away') without processing "
       "the request",
       "GOAWAY"},
      {"rst_stream",
       [](H2Peer& peer, const ReceivedRequest& request) {
         peer.write(peer.headers(request.stream, {{":status", "200"}}));
         peer.write(data(request.stream, "par"));
         peer.write(rst_stream(request.stream, 0x2));
       },
       "the server reset the stream (RST_STREAM INTERNAL_ERROR) after the response HEADERS and 3 "
       "bytes of DATA",
       "RST_STREAM"},
      {"bad_frame",
       [](H2Peer& peer, const ReceivedRequest&) {
         peer.write(data(0, "on the connection"));  // DATA on stream 0 (RFC 9113 6.1)
       },
       "HTTP/2 protocol error: DATA: stream_id == 0; condspec ended the connection with GOAWAY "
       "(PROTOCOL_ERROR)",
       "DATA"},
      {"settings_flood",
       [](H2Peer& peer, const ReceivedRequest&) {
         std::string flood;
         for (int i = 0; i < 2000; ++i) flood += settings({{0x3, 100}});
         peer.write(flood);
       },
       "the server sent more than 1000 frames that carry no content in one exchange (1001 "
       "SETTINGS): a flood, not a response",
       "SETTINGS"},
  };
}

// Every connection: the server's SETTINGS, the request read, the client's
// SETTINGS acknowledged, then the misbehaviour; kept until the client leaves.
ScriptedServer misbehaving(const Misbehaviour& m) {
  return ScriptedServer([act = m.act](Peer& raw, int) {
    H2Peer peer(raw);
    peer.write(settings());
    auto request = peer.read_request();
    if (!request) return;
    peer.await_frame(SETTINGS, ACK);
    act(peer, *request);
    raw.wait_for_close(5000ms);
  });
}

class Http2Hostile : public ::testing::TestWithParam<Misbehaviour> {};

TEST_P(Http2Hostile, EndsOnItsOwnWithTheErrorAndTheFramesSeenAndJudgesNothing) {
  const Misbehaviour& m = GetParam();
  auto server = misbehaving(m);
  const std::string url = server.url("/a").str();
  auto [r, report] = run_with_json_report(
      {"--protocol", "h2c", "--timeout", std::to_string(kTimeoutSeconds), url});

  EXPECT_LT(r.elapsed.count(), (2 * kTimeoutSeconds + 3) * 1000) << r.out;
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.out.find("not judged: 1 target could not be used"), std::string::npos) << r.out;

  ASSERT_FALSE(report.empty()) << r.err;
  const auto json = nlohmann::json::parse(report);
  EXPECT_EQ(json["totals"]["pass"], 0);
  EXPECT_EQ(json["totals"]["fail"], 0);
  const auto& target = json["targets"][0];
  EXPECT_EQ(target["protocol"], "h2c");
  EXPECT_TRUE(target["results"].empty());
  EXPECT_EQ(target["unusable"], "the first request to " + url + " failed: " + m.error);
  // The evidence: the frames of the exchange, the misbehaving one among them.
  const auto& first = target["discovery"][0];
  EXPECT_EQ(first["error"], m.error) << first.dump(2);
  bool seen = false;
  for (const auto& frame : first["frames"])
    seen = seen || (frame["sent"] == false && frame["type"] == m.frame_seen);
  EXPECT_TRUE(seen) << first.dump(2);
}

INSTANTIATE_TEST_SUITE_P(EveryMisbehaviour, Http2Hostile, ::testing::ValuesIn(misbehaviours()),
                         [](const auto& info) { return info.param.name; });

// A server that announces a flow-control window of 0 (SETTINGS_INITIAL_
// WINDOW_SIZE) and never opens it. Requests without content are answered
// (the writable /w: DELETE 204, then GET 404); a PUT's content can never be
// sent once the client knows the SETTINGS, as on the connection a scenario
// keeps for its steps (a new connection may send up to 65535 bytes before
// the SETTINGS arrive, RFC 9113 6.9.2). One connection at a time (--jobs 1),
// kept until the client leaves.
ScriptedServer window_never_opens() {
  return ScriptedServer([](Peer& raw, int) {
    H2Peer peer(raw);
    peer.write(settings({{0x4, 0}}));
    while (auto request = peer.read_request(/*whole=*/false, 5000ms)) {
      const std::string method = *request->fields.find(":method");
      const bool writable = *request->fields.find(":path") == "/w";
      if (method == "PUT") {
        raw.wait_for_close(10'000ms);
        return;
      }
      if (method == "DELETE" || (writable && method == "GET")) {
        peer.write(peer.headers(request->stream, {{":status", method == "DELETE" ? "204" : "404"}},
                                END_STREAM));
        continue;
      }
      const std::string content = "hello\n";
      const bool head = method == "HEAD";
      peer.write(peer.headers(request->stream,
                              {{":status", "200"},
                               {"etag", "\"v1\""},
                               {"last-modified", "Thu, 02 Jan 2020 03:04:05 GMT"},
                               {"content-type", "text/plain"},
                               {"content-length", std::to_string(content.size())}},
                              head ? END_STREAM : NONE));
      if (!head) peer.write(data(request->stream, content, END_STREAM));
    }
  });
}

TEST(Http2HostileWindow, APutWhoseContentTheWindowNeverLetsOutEndsInErrorNotInAVerdict) {
  auto server = window_never_opens();
  const std::string url = server.url("/a").str();
  auto [r, report] = run_with_json_report(
      {"--protocol", "h2c", "--timeout", std::to_string(kTimeoutSeconds), "--jobs", "1",
       "--unsafe-url", server.url("/w").str(), "--select", "put-creating-resource-gets-201", url});

  EXPECT_LT(r.elapsed.count(), 4 * kTimeoutSeconds * 1000) << r.out;
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  ASSERT_FALSE(report.empty()) << r.err;
  const auto json = nlohmann::json::parse(report);
  EXPECT_EQ(json["totals"]["pass"], 0);
  EXPECT_EQ(json["totals"]["fail"], 0);
  const auto& target = json["targets"][0];
  ASSERT_TRUE(target["unusable"].is_null()) << target["unusable"];
  ASSERT_EQ(target["results"].size(), 1u) << report.substr(0, 2000);
  const auto& result = target["results"][0];
  EXPECT_EQ(result["outcome"], "error") << result.dump(2);
  ASSERT_FALSE(result["exchanges"].empty()) << result.dump(2);
  const auto& put = result["exchanges"].back();
  // "timed out after N ms waiting for ...": N is the real time waited, at
  // least the --timeout. The connection's SETTINGS came before this exchange.
  const std::string error = put["error"];
  const std::string lead = "timed out after ";
  ASSERT_TRUE(error.starts_with(lead)) << error;
  EXPECT_GE(std::stoi(error.substr(lead.size())), kTimeoutSeconds * 1000) << error;
  EXPECT_TRUE(
      error.ends_with(" ms waiting for the server's flow-control window to open (0 frames "
                      "received, 0 of 28 content bytes sent)"))
      << error;
  bool headers_sent = false, data_sent = false;
  for (const auto& frame : put["frames"]) {
    headers_sent = headers_sent || (frame["sent"] == true && frame["type"] == "HEADERS");
    data_sent = data_sent || (frame["sent"] == true && frame["type"] == "DATA");
  }
  EXPECT_TRUE(headers_sent) << put.dump(2);
  EXPECT_FALSE(data_sent) << put.dump(2);
}

}  // namespace
}  // namespace condspec::test
