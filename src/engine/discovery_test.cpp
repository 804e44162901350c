#include "src/engine/discovery.h"

#include <gtest/gtest.h>

#include "src/http/scripted_server_for_tests.h"

namespace condspec {
namespace {

using namespace std::chrono_literals;
using wire_testing::Peer;
using wire_testing::ScriptedServer;

// A probe that fails after the one before it succeeded (here the gzip probe,
// which the server drops; an interruption does the same to any probe) is a
// missing fact, never a crash: found when SIGTERM came during discovery.
TEST(Discovery, AProbeThatFailsAfterItsPartnerSucceededIsAMissingFact) {
  ScriptedServer server([](Peer& peer, int) {
    const std::string request = peer.read_request();
    if (request.find("Accept-Encoding: gzip") != std::string::npos) return;  // dropped
    peer.write(
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nETag: \"x\"\r\nConnection: close\r\n\r\n"
        "hello");
  });
  TargetConfig target{server.url("/r"), std::nullopt, {}, {}};
  target.client.connect_timeout = 1000ms;
  target.client.deadline = 1000ms;
  Discovery d = discover(target, Seconds{std::chrono::seconds{1'800'000'000}});
  EXPECT_FALSE(d.unusable);
  EXPECT_TRUE(d.facts.contains("etag"));
  EXPECT_FALSE(d.facts.contains("gzip"));
}

}  // namespace
}  // namespace condspec
