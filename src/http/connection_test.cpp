#include "src/http/connection.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <thread>

#include "src/http/scripted_server_for_tests.h"
#include "src/http/tls_for_tests.h"

namespace condspec {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;
using wire_testing::Peer;
using wire_testing::ScriptedServer;
using Clock = std::chrono::steady_clock;

// A plain TCP connection to `server`, opened within a second.
std::unique_ptr<Connection> connect_to(const ScriptedServer& server) {
  auto connection = std::make_unique<Connection>();
  auto error =
      connection->open(server.url(), nullptr, false, {Clock::now(), 1000ms, Clock::now() + 1000ms});
  EXPECT_FALSE(error) << *error;
  return connection;
}

TEST(Connection, WritesAndReadsUntilTheServerCloses) {
  std::promise<std::string> seen;
  ScriptedServer server([&](Peer& peer, int) {
    seen.set_value(peer.read_for(200ms));
    peer.write("pong");
  });
  auto connection = connect_to(server);
  EXPECT_EQ(connection->write_all("ping", Clock::now() + 1000ms).io, Io::ok);
  std::string out;
  EXPECT_EQ(connection->read_some(out, Clock::now() + 1000ms).io, Io::ok);
  EXPECT_EQ(out, "pong");
  EXPECT_EQ(connection->read_some(out, Clock::now() + 1000ms).io, Io::eof);
  EXPECT_EQ(seen.get_future().get(), "ping");
}

TEST(Connection, AResetIsNotACleanEnd) {
  ScriptedServer server([](Peer& peer, int) {
    peer.write("partial");
    std::this_thread::sleep_for(20ms);
    peer.reset();
  });
  auto connection = connect_to(server);
  std::string out;
  Connection::Outcome read;
  for (int i = 0; i < 10 && (read = connection->read_some(out, Clock::now() + 1000ms)).io == Io::ok;
       ++i) {
  }
  EXPECT_EQ(out, "partial");
  EXPECT_EQ(read.io, Io::reset);
  EXPECT_EQ(read.error, "connection reset by peer");
  EXPECT_TRUE(ended(read.io));
}

TEST(Connection, WaitsForBytesUntilTheDeadlineAndNoLonger) {
  ScriptedServer server([](Peer& peer, int) { peer.wait_for_close(); });
  auto connection = connect_to(server);
  std::string out;
  auto start = Clock::now();
  EXPECT_EQ(connection->read_some(out, start + 150ms).io, Io::timeout);
  EXPECT_GE(Clock::now() - start, 150ms);
  EXPECT_LT(Clock::now() - start, 650ms);
  EXPECT_EQ(out, "");
}

TEST(Connection, NothingIsReadOnceTheDeadlineHasPassedEvenWithBytesWaiting) {
  // A server that keeps sending always has bytes waiting: if they were read
  // past the deadline, it could hold the client for as long as it likes.
  ScriptedServer server([](Peer& peer, int) {
    peer.write("hello");
    peer.wait_for_close();
  });
  auto connection = connect_to(server);
  std::this_thread::sleep_for(50ms);  // "hello" is waiting
  std::string out;
  auto read = connection->read_some(out, Clock::now() - 1ms);
  EXPECT_EQ(read.io, Io::timeout);
  EXPECT_EQ(out, "");
  // The bytes were there (or came soon after) for a read within its deadline.
  EXPECT_EQ(connection->read_some(out, Clock::now() + 1000ms).io, Io::ok);
  EXPECT_EQ(out, "hello");
}

TEST(Connection, NothingIsReadOnceCancelledEvenWithBytesWaiting) {
  // Likewise for the run's cancellation: a server whose bytes never stop
  // leaves no wait to wake from, so it is looked at before every read.
  ScriptedServer server([](Peer& peer, int) {
    peer.write("hello");
    peer.wait_for_close();
  });
  Cancellation cancellation;
  Connection connection;
  auto error = connection.open(server.url(), nullptr, false,
                               {Clock::now(), 1000ms, Clock::now() + 1000ms, &cancellation});
  ASSERT_FALSE(error) << *error;
  std::this_thread::sleep_for(50ms);  // "hello" is waiting
  std::string out;
  cancellation.cancel();
  EXPECT_EQ(connection.read_some(out, Clock::now() + 1000ms).io, Io::cancelled);
  EXPECT_EQ(out, "");
}

TEST(Connection, AWaitThatIsOverStillTakesWhatHasArrived) {
  // How stray bytes are collected "up to now": no waiting, but what is
  // there is read, within the deadline.
  ScriptedServer server([](Peer& peer, int) {
    peer.write("hello");
    peer.wait_for_close();
  });
  auto connection = connect_to(server);
  std::string out;
  // Asks again until "hello" has arrived (on a busy machine it may take a
  // while); no call waits.
  for (int i = 0; i < 200 && out.empty(); ++i) {
    auto now = Clock::now();
    Io io = connection->read_some(out, now, now + 1000ms).io;
    EXPECT_LT(Clock::now() - now, 100ms);
    EXPECT_EQ(io, out.empty() ? Io::timeout : Io::ok);
    if (out.empty()) std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(out, "hello");
}

TEST(Connection, RefusedConnectionIsNamed) {
  int probe = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length);
  int port = ntohs(address.sin_port);
  ::close(probe);  // bound, never listened: nothing accepts on this port

  Connection connection;
  auto error = connection.open(Url{"http", "127.0.0.1", port, "/"}, nullptr, false,
                               {Clock::now(), 1000ms, Clock::now() + 1000ms});
  ASSERT_TRUE(error);
  EXPECT_EQ(*error, "connect to 127.0.0.1:" + std::to_string(port) + ": connection refused");
}

TEST(TlsContext, AnUnreadableCaFileIsAnError) {
  auto context = make_tls_context(true, "/nonexistent/ca.pem");
  ASSERT_FALSE(context);
  EXPECT_EQ(context.error().message,
            "cannot load CA file '/nonexistent/ca.pem': no such file or directory");
  EXPECT_TRUE(make_tls_context(false, "/nonexistent/ca.pem"));  // not verifying: not read
  EXPECT_TRUE(make_tls_context(true, ""));                      // the system's trust store
}

TEST(TlsContext, MadeOncePerSettingsAndCaFileContents) {
  auto first = make_tls_context(true, "", {"h2"});
  auto again = make_tls_context(true, "", {"h2"});
  ASSERT_TRUE(first && again);
  EXPECT_EQ(first->get(), again->get());  // shared, not made again
  EXPECT_NE(make_tls_context(true, "", {"http/1.1"})->get(), first->get());
  EXPECT_NE(make_tls_context(false, "", {"h2"})->get(), first->get());

  // The same CA file path with other contents is another context.
  const auto one = tls_testing::make_self_signed("ctx-one", "DNS:localhost");
  const auto two = tls_testing::make_self_signed("ctx-two", "DNS:localhost");
  const std::string ca = testing::TempDir() + "condspec-ctx-" + std::to_string(::getpid()) + ".pem";
  std::filesystem::copy_file(one.cert_file, ca, std::filesystem::copy_options::overwrite_existing);
  auto with_one = make_tls_context(true, ca);
  std::filesystem::copy_file(two.cert_file, ca, std::filesystem::copy_options::overwrite_existing);
  auto with_two = make_tls_context(true, ca);
  ASSERT_TRUE(with_one && with_two);
  EXPECT_NE(with_one->get(), with_two->get());
  std::filesystem::remove(ca);
  tls_testing::remove_files(one);
  tls_testing::remove_files(two);
}

// --cacert is checked before any request: a file that cannot be read, or
// that holds no PEM certificate (garbage, a private key alone), is named
// with what is wrong with it.
TEST(TlsContext, ACaFileMustHoldAtLeastOnePemCertificate) {
  EXPECT_EQ(check_ca_file("/nonexistent/ca.pem").error().message,
            "cannot read it: no such file or directory");
  const std::string dir = ::testing::TempDir();
  const std::string garbage = dir + "condspec-ca-garbage-" + std::to_string(::getpid()) + ".pem";
  const std::string key_only = dir + "condspec-ca-key-" + std::to_string(::getpid()) + ".pem";
  std::FILE* out = std::fopen(garbage.c_str(), "w");
  std::fputs("not a certificate\n", out);
  std::fclose(out);
  out = std::fopen(key_only.c_str(), "w");
  std::fputs(
      "-----BEGIN PRIVATE "
      "KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n"
      "-----END PRIVATE KEY-----\n",
      out);
  std::fclose(out);
  const std::string none =
      "it holds no PEM certificate (a block beginning -----BEGIN CERTIFICATE-----)";
  EXPECT_EQ(check_ca_file(garbage).error().message, none);
  EXPECT_EQ(check_ca_file(key_only).error().message, none);
  EXPECT_EQ(check_ca_file(dir).error().message, "cannot read it: it is a directory");
  std::remove(garbage.c_str());
  std::remove(key_only.c_str());
  const char* system_bundle = "/etc/ssl/certs/ca-certificates.crt";
  if (::access(system_bundle, R_OK) == 0) {
    EXPECT_TRUE(check_ca_file(system_bundle).ok());
  }
}

TEST(TlsContext, AnInvalidAlpnNameIsAnError) {
  auto context = make_tls_context(false, "", {"h2", ""});
  ASSERT_FALSE(context);
  EXPECT_EQ(context.error().message, "invalid ALPN protocol name ''");
}

// The protocol the server chose in ALPN, among those offered.
std::string negotiated(const tls_testing::Credentials& files,
                       const std::vector<std::string>& server_choices,
                       const std::vector<std::string>& offered) {
  tls_testing::OneConnectionTlsServer server(files, server_choices, [](SSL*) {});
  auto context = make_tls_context(false, "", offered);
  EXPECT_TRUE(context);
  if (!context) return "?";
  Connection connection;
  auto error = connection.open(Url{"https", "127.0.0.1", server.port(), "/"}, context->get(), false,
                               {Clock::now(), 1000ms, Clock::now() + 2000ms});
  EXPECT_FALSE(error) << *error;
  return connection.alpn();
}

TEST(Connection, OffersAlpnProtocolsAndSaysWhichTheServerChose) {
  auto files = tls_testing::make_self_signed("alpn", "IP:127.0.0.1");
  EXPECT_EQ(negotiated(files, {"h2", "http/1.1"}, {"h2", "http/1.1"}), "h2");
  EXPECT_EQ(negotiated(files, {"h2", "http/1.1"}, {"http/1.1"}), "http/1.1");
  EXPECT_EQ(negotiated(files, {"http/1.1"}, {"h2", "http/1.1"}), "http/1.1");
  EXPECT_EQ(negotiated(files, {}, {"h2", "http/1.1"}), "");  // the server chose none
  tls_testing::remove_files(files);

  Connection plain;
  EXPECT_EQ(plain.alpn(), "");  // no TLS, no ALPN
}

TEST(Endpoint, ShowsThePortAndBracketsIpv6) {
  EXPECT_EQ(endpoint(Url{"https", "example.test", 443, "/"}), "example.test:443");
  EXPECT_EQ(endpoint(Url{"http", "::1", 8080, "/"}), "[::1]:8080");
}

}  // namespace
}  // namespace condspec
