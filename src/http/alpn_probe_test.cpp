#include "src/http/alpn_probe.h"

#include <gtest/gtest.h>

#include "src/http/scripted_server_for_tests.h"
#include "src/http/tls_for_tests.h"

namespace condspec {
namespace {

using namespace std::chrono_literals;

class AlpnProbe : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    files_ = new tls_testing::Credentials(tls_testing::make_self_signed("probe", "IP:127.0.0.1"));
  }
  static void TearDownTestSuite() {
    tls_testing::remove_files(*files_);
    delete files_;
  }
  static ClientOptions options() {
    ClientOptions options;
    options.ca_file = files_->cert_file;
    options.deadline = 2000ms;
    return options;
  }
  static tls_testing::Credentials* files_;
};
tls_testing::Credentials* AlpnProbe::files_ = nullptr;

TEST_F(AlpnProbe, SaysWhichOfTheOfferedProtocolsTheServerChose) {
  const std::vector<std::string> offers = {"h2", "http/1.1"};
  {
    tls_testing::OneConnectionTlsServer server(*files_, {"h2", "http/1.1"}, [](SSL*) {});
    auto chosen = negotiate_alpn(Url{"https", "127.0.0.1", server.port(), "/"}, options(), offers);
    ASSERT_TRUE(chosen) << chosen.error().message;
    EXPECT_EQ(*chosen, "h2");
  }
  {
    tls_testing::OneConnectionTlsServer server(*files_, {"http/1.1"}, [](SSL*) {});
    auto chosen = negotiate_alpn(Url{"https", "127.0.0.1", server.port(), "/"}, options(), offers);
    ASSERT_TRUE(chosen) << chosen.error().message;
    EXPECT_EQ(*chosen, "http/1.1");
  }
  {
    tls_testing::OneConnectionTlsServer server(*files_, {}, [](SSL*) {});
    auto chosen = negotiate_alpn(Url{"https", "127.0.0.1", server.port(), "/"}, options(), offers);
    ASSERT_TRUE(chosen) << chosen.error().message;
    EXPECT_EQ(*chosen, "");
  }
}

TEST_F(AlpnProbe, AFailedHandshakeIsAnError) {
  wire_testing::ScriptedServer silent([](wire_testing::Peer& peer, int) { peer.wait_for_close(); });
  ClientOptions quick = options();
  quick.deadline = 300ms;
  auto chosen = negotiate_alpn(Url{"https", "127.0.0.1", silent.port(), "/"}, quick, {"h2"});
  ASSERT_FALSE(chosen);
  EXPECT_TRUE(chosen.error().message.starts_with(
      "TLS handshake with 127.0.0.1:" + std::to_string(silent.port()) +
      " failed: timed out after "))
      << chosen.error().message;

  auto plain = negotiate_alpn(Url{"http", "127.0.0.1", 80, "/"}, quick, {"h2"});
  ASSERT_FALSE(plain);
  EXPECT_EQ(plain.error().message, "ALPN needs an https URL: http://127.0.0.1/");
}

}  // namespace
}  // namespace condspec
