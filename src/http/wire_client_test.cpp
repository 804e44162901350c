#include "src/http/wire_client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cstdio>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "src/core/cancel_later_for_tests.h"
#include "src/core/cancellation.h"
#include "src/http/fields.h"
#include "src/http/scripted_server_for_tests.h"
#include "src/http/tls_for_tests.h"

namespace condspec {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;
using wire_testing::Peer;
using wire_testing::ScriptedServer;

constexpr std::string_view kOk = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

Request get(std::string target = "/") {
  Request request;
  request.target = std::move(target);
  return request;
}

// Sends `request` and attaches the stray bytes it found to `previous`, as
// the engine does with the record of the response before.
Exchange send_after(WireClient& client, const Request& request, Exchange& previous) {
  Sent sent = client.send(request);
  attach_stray(previous, sent.stray_of_previous);
  return std::move(sent.exchange);
}

// Closes the connection and attaches the stray bytes found to `last`.
void close_after(WireClient& client, Exchange& last, milliseconds grace) {
  attach_stray(last, client.close(grace));
}

ClientOptions quick() {
  ClientOptions options;
  options.connect_timeout = 2000ms;
  options.deadline = 3000ms;
  return options;
}

TEST(WireClient, SerializesTheRequestExactly) {
  std::mutex mutex;
  std::vector<std::string> seen;
  ScriptedServer server([&](Peer& peer, int) {
    for (std::string request; !(request = peer.read_request()).empty();) {
      std::lock_guard lock(mutex);
      seen.push_back(request);
      peer.write(kOk);
    }
  });
  WireClient client(server.url(), quick());
  Request request = get("/a?b=c");
  request.fields.add("If-None-Match", "\"x\"");
  request.fields.add("Accept", "*/*");
  Exchange first = client.send(request).exchange;
  ASSERT_TRUE(first.ok()) << first.error;
  std::string host = "127.0.0.1:" + std::to_string(server.port());
  EXPECT_EQ(first.request_bytes, "GET /a?b=c HTTP/1.1\r\nHost: " + host +
                                     "\r\nIf-None-Match: \"x\"\r\nAccept: */*\r\n\r\n");

  Request put;
  put.method = "PUT";
  put.target = "/r";
  put.fields.add("host", "example.test");
  put.body = "data";
  Exchange second = client.send(put).exchange;
  ASSERT_TRUE(second.ok()) << second.error;
  EXPECT_EQ(second.request_bytes,
            "PUT /r HTTP/1.1\r\nhost: example.test\r\nContent-Length: 4\r\n\r\ndata");

  Request given;
  given.method = "POST";
  given.fields.add("Content-Length", "3");
  given.body = "abc";
  Exchange third = client.send(given).exchange;
  ASSERT_TRUE(third.ok()) << third.error;
  EXPECT_EQ(third.request_bytes,
            "POST / HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: 3\r\n\r\nabc");

  std::lock_guard lock(mutex);
  EXPECT_EQ(seen, (std::vector<std::string>{first.request_bytes, second.request_bytes,
                                            third.request_bytes}));
}

Request split_before_if_none_match() {
  Request request = get("/r");
  request.fields.add("Accept", "*/*");
  request.fields.add("If-None-Match", "\"x\"");
  request.split_before = "if-none-match";  // the name is compared without regard to case
  request.split_pause = 300ms;
  return request;
}

TEST(WireClient, SplitRequestGoesOutInTwoWritesThePauseApart) {
  std::mutex mutex;
  std::string first_part, second_part;
  ScriptedServer server([&](Peer& peer, int) {
    std::string first = peer.read_for(150ms);
    std::string second = peer.read_request();
    {
      // Recorded before answering: once the answer is out, the test reads them.
      std::lock_guard lock(mutex);
      first_part = first;
      second_part = second;
    }
    peer.write(kOk);
  });
  WireClient client(server.url(), quick());
  Exchange exchange = client.send(split_before_if_none_match()).exchange;
  ASSERT_TRUE(exchange.ok()) << exchange.error;
  std::string head =
      "GET /r HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(server.port()) + "\r\nAccept: */*\r\n";
  EXPECT_EQ(exchange.request_bytes, head + "If-None-Match: \"x\"\r\n\r\n");
  EXPECT_EQ(exchange.first_write_bytes, head.size());
  EXPECT_FALSE(exchange.answered_before_request_end);
  EXPECT_GE(exchange.elapsed, 300ms);
  std::lock_guard lock(mutex);
  EXPECT_EQ(first_part, head);
  EXPECT_EQ(second_part, "If-None-Match: \"x\"\r\n\r\n");
}

TEST(WireClient, SplitRequestWithoutTheNamedFieldGoesOutWhole) {
  ScriptedServer server([](Peer& peer, int) {
    peer.read_request();
    peer.write(kOk);
  });
  WireClient client(server.url(), quick());
  Request request = split_before_if_none_match();
  request.split_before = "If-Match";
  Exchange exchange = client.send(request).exchange;
  ASSERT_TRUE(exchange.ok()) << exchange.error;
  EXPECT_EQ(exchange.first_write_bytes, 0u);
  EXPECT_LT(exchange.elapsed, 300ms);
}

TEST(WireClient, AnswerBeforeTheSecondWriteLeavesTheRestUnsentAndTheConnectionUnused) {
  // What reached the server after its early answer, handed over once the
  // server has stopped reading that connection.
  std::promise<std::string> after_answer;
  auto after_answer_seen = after_answer.get_future();
  ScriptedServer server([&](Peer& peer, int connection) {
    if (connection == 0) {
      peer.read_for(100ms);
      peer.write(kOk);  // answered from the first write alone
      after_answer.set_value(peer.read_for(600ms));
      return;
    }
    peer.read_request();
    peer.write(kOk);
  });
  WireClient client(server.url(), quick());
  Exchange early = client.send(split_before_if_none_match()).exchange;
  ASSERT_TRUE(early.ok()) << early.error;
  EXPECT_EQ(early.response->status, 200);
  EXPECT_TRUE(early.answered_before_request_end);
  std::string head =
      "GET /r HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(server.port()) + "\r\nAccept: */*\r\n";
  EXPECT_EQ(early.request_bytes, head);  // only what was sent
  EXPECT_EQ(early.first_write_bytes, head.size());
  EXPECT_LT(early.elapsed, 300ms);

  Exchange next = send_after(client, get(), early);
  ASSERT_TRUE(next.ok()) << next.error;
  EXPECT_EQ(server.connections(), 2);
  ASSERT_EQ(after_answer_seen.wait_for(2s), std::future_status::ready);
  EXPECT_EQ(after_answer_seen.get(), "");
}

TEST(WireClient, KeepAliveReusesTheConnection) {
  ScriptedServer server([](Peer& peer, int) {
    while (!peer.read_request().empty()) peer.write(kOk);
  });
  WireClient client(server.url(), quick());
  Exchange first = client.send(get()).exchange;
  ASSERT_TRUE(first.ok()) << first.error;
  Exchange second = send_after(client, get(), first);
  ASSERT_TRUE(second.ok()) << second.error;
  EXPECT_EQ(second.response->content, "ok");
  EXPECT_EQ(second.response->framing, Framing::content_length);
  EXPECT_EQ(second.received, "");  // evidence is kept for errors only
  EXPECT_TRUE(first.stray_checked);
  EXPECT_EQ(first.stray_bytes, "");
  EXPECT_GT(first.elapsed.count(), 0);
  client.close();
  EXPECT_EQ(server.connections(), 1);
}

TEST(WireClient, ReleaseKeepsACleanConnectionForTheNextSend) {
  ScriptedServer server([](Peer& peer, int) {
    while (!peer.read_request().empty()) peer.write(kOk);
  });
  WireClient client(server.url(), quick());
  ASSERT_TRUE(client.send(get()).exchange.ok());
  Transport::Released released = client.release();
  EXPECT_TRUE(released.kept_open);
  EXPECT_EQ(released.stray.bytes, "");
  EXPECT_FALSE(released.stray.checked);  // what close() without grace finds
  ASSERT_TRUE(client.send(get()).exchange.ok());
  client.close();
  EXPECT_EQ(server.connections(), 1);
}

// Each of these responses ends the connection, or may hide bytes after it:
// the connection is closed, never handed to another user.
TEST(WireClient, ReleaseClosesAConnectionThatIsNotClean) {
  struct Case {
    std::string_view name;
    std::string_view response;
    std::string method = "GET";
    std::string field;  // a request field "Name: value"
  };
  const std::vector<Case> cases = {
      {"not modified", "HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n"},
      {"no content", "HTTP/1.1 204 No Content\r\n\r\n"},
      {"connection close", "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"},
      {"bytes after it", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokSTRAY"},
      {"head", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n", "HEAD"},
      {"request connection field", kOk, "GET", "Connection: keep-alive"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string response(c.response);
    ScriptedServer server([&](Peer& peer, int) {
      while (!peer.read_request().empty()) peer.write(response);
    });
    WireClient client(server.url(), quick());
    Request request = get();
    request.method = c.method;
    if (!c.field.empty()) request.fields.add("Connection", "keep-alive");
    ASSERT_TRUE(client.send(request).exchange.ok());
    std::this_thread::sleep_for(20ms);  // the stray bytes have arrived
    Transport::Released released = client.release();
    EXPECT_FALSE(released.kept_open);
    if (c.name == "bytes after it") {
      EXPECT_EQ(released.stray.bytes, "STRAY");
    }
    ASSERT_TRUE(client.send(request).exchange.ok());
    EXPECT_EQ(server.connections(), 2);
  }
}

TEST(WireClient, ContentAfterNotModifiedIsStrayForThePreviousExchange) {
  ScriptedServer server([](Peer& peer, int) {
    peer.read_request();
    peer.write("HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\nstray content");
    peer.read_request();
    peer.write(kOk);
    peer.wait_for_close();
  });
  WireClient client(server.url(), quick());
  Exchange not_modified = client.send(get()).exchange;
  ASSERT_TRUE(not_modified.ok()) << not_modified.error;
  EXPECT_EQ(not_modified.response->status, 304);
  EXPECT_EQ(not_modified.response->head, "HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n");
  EXPECT_FALSE(not_modified.stray_checked);

  Exchange next = send_after(client, get(), not_modified);
  ASSERT_TRUE(next.ok()) << next.error;
  EXPECT_EQ(next.response->content, "ok");
  EXPECT_TRUE(not_modified.stray_checked);
  EXPECT_EQ(not_modified.stray_bytes, "stray content");
  EXPECT_EQ(server.connections(), 1);
}

TEST(WireClient, StrayBytesAreReturnedForTheCallerToAttach) {
  ScriptedServer server([](Peer& peer, int) {
    peer.read_request();
    peer.write("HTTP/1.1 304 Not Modified\r\n\r\nstray");
    peer.read_request();
    peer.write(kOk);
    peer.wait_for_close();
  });
  WireClient client(server.url(), quick());
  Sent not_modified = client.send(get());
  ASSERT_TRUE(not_modified.exchange.ok()) << not_modified.exchange.error;
  Sent next = client.send(get());
  ASSERT_TRUE(next.exchange.ok()) << next.exchange.error;
  EXPECT_EQ(next.stray_of_previous.bytes, "stray");
  EXPECT_EQ(next.stray_of_previous.dropped, 0u);
  EXPECT_TRUE(next.stray_of_previous.checked);
  // Neither record is written into: attaching is the caller's move.
  EXPECT_EQ(not_modified.exchange.stray_bytes, "");
  EXPECT_FALSE(not_modified.exchange.stray_checked);
  EXPECT_EQ(next.exchange.stray_bytes, "");

  StrayBytes after_last = client.close(100ms);
  EXPECT_EQ(after_last.bytes, "");
  EXPECT_FALSE(after_last.checked);              // kept alive and quiet: more could come
  StrayBytes after_close = client.close(100ms);  // no connection left
  EXPECT_EQ(after_close.bytes, "");
  EXPECT_FALSE(after_close.checked);
}

TEST(WireClient, StrayBytesArrivingLateAreFoundBeforeTheNextStatusLine) {
  ScriptedServer server([](Peer& peer, int) {
    peer.read_request();
    peer.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
    peer.read_request();
    peer.write("hel");
    std::this_thread::sleep_for(20ms);
    peer.write("loHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    peer.wait_for_close();
  });
  WireClient client(server.url(), quick());
  Request head = get();
  head.method = "HEAD";
  Exchange first = client.send(head).exchange;
  ASSERT_TRUE(first.ok()) << first.error;
  EXPECT_EQ(first.response->framing, Framing::no_content);
  Exchange second = send_after(client, get(), first);
  ASSERT_TRUE(second.ok()) << second.error;
  EXPECT_EQ(second.response->content, "ok");
  EXPECT_EQ(first.stray_bytes, "hello");
  EXPECT_TRUE(first.stray_checked);
}

TEST(WireClient, CloseCollectsStrayBytesUntilTheServerCloses) {
  ScriptedServer server([](Peer& peer, int) {
    peer.read_request();
    peer.write("HTTP/1.1 304 Not Modified\r\n\r\n");
    std::this_thread::sleep_for(30ms);
    peer.write("late");
  });
  WireClient client(server.url(), quick());
  Exchange not_modified = client.send(get()).exchange;
  ASSERT_TRUE(not_modified.ok()) << not_modified.error;
  auto start = std::chrono::steady_clock::now();
  close_after(client, not_modified, 3000ms);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2000ms);  // ended at the server's close
  EXPECT_EQ(not_modified.stray_bytes, "late");
  EXPECT_TRUE(not_modified.stray_checked);
}

TEST(WireClient, Chunked) {
  ScriptedServer server([](Peer& peer, int) {
    peer.read_request();
    peer.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n");
    std::this_thread::sleep_for(10ms);
    peer.write("2;x=y\r\nef\r\n0\r\nDigest: z\r\n\r\n");
    peer.wait_for_close();
  });
  WireClient client(server.url(), quick());
  Exchange exchange = client.send(get()).exchange;
  ASSERT_TRUE(exchange.ok()) << exchange.error;
  EXPECT_EQ(exchange.response->framing, Framing::chunked);
  EXPECT_EQ(exchange.response->content, "abcdef");
  EXPECT_EQ(exchange.response->trailers, (Fields{{"Digest", "z"}}));
}

TEST(WireClient, CloseDelimitedHttp10OpensANewConnectionNextTime) {
  ScriptedServer server([](Peer& peer, int) {
    peer.read_request();
    peer.write("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall of ");
    std::this_thread::sleep_for(10ms);
    peer.write("it");
  });
  WireClient client(server.url(), quick());
  Exchange first = client.send(get()).exchange;
  ASSERT_TRUE(first.ok()) << first.error;
  EXPECT_EQ(first.response->framing, Framing::close_delimited);
  EXPECT_EQ(first.response->content, "all of it");
  EXPECT_TRUE(first.response->connection_close);
  Exchange second = send_after(client, get(), first);
  ASSERT_TRUE(second.ok()) << second.error;
  EXPECT_EQ(server.connections(), 2);
  EXPECT_TRUE(first.stray_checked);
  EXPECT_EQ(first.stray_bytes, "");
}

TEST(WireClient, InterimResponsesAreSkipped) {
  ScriptedServer server([](Peer& peer, int) {
    peer.read_request();
    peer.write("HTTP/1.1 100 Continue\r\n\r\n");
    std::this_thread::sleep_for(10ms);
    peer.write(kOk);
    peer.wait_for_close();
  });
  WireClient client(server.url(), quick());
  Exchange exchange = client.send(get()).exchange;
  ASSERT_TRUE(exchange.ok()) << exchange.error;
  EXPECT_EQ(exchange.response->status, 200);
}

TEST(WireClient, ConnectionRefused) {
  int probe = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length);
  int port = ntohs(address.sin_port);
  ::close(probe);  // bound, never listened: nothing accepts on this port

  WireClient client(Url{"http", "127.0.0.1", port, "/"}, quick());
  Exchange exchange = client.send(get()).exchange;
  EXPECT_FALSE(exchange.ok());
  EXPECT_EQ(exchange.error,
            "connect to 127.0.0.1:" + std::to_string(port) + ": connection refused");
  EXPECT_EQ(exchange.request_bytes,
            "GET / HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\n\r\n");
}

TEST(WireClient, UnresolvableHost) {
  WireClient client(Url{"http", "no-such-host.invalid", 80, "/"}, quick());
  Exchange exchange = client.send(get()).exchange;
  EXPECT_FALSE(exchange.ok());
  EXPECT_TRUE(exchange.error.starts_with("cannot resolve host 'no-such-host.invalid': "))
      << exchange.error;
}

// A message "<prefix>timed out after N ms<rest>", read back.
struct TimedOut {
  long long ms = -1;
  std::string rest;
};

std::optional<TimedOut> read_timed_out(std::string_view message, std::string_view prefix) {
  std::string_view lead = "timed out after ";
  if (!message.starts_with(prefix)) return std::nullopt;
  message.remove_prefix(prefix.size());
  if (!message.starts_with(lead)) return std::nullopt;
  message.remove_prefix(lead.size());
  size_t digits = 0;
  while (digits < message.size() && std::isdigit(static_cast<unsigned char>(message[digits])))
    ++digits;
  if (digits == 0 || !message.substr(digits).starts_with(" ms")) return std::nullopt;
  return TimedOut{std::stoll(std::string(message.substr(0, digits))),
                  std::string(message.substr(digits + 3))};
}

long long elapsed_ms(const Exchange& exchange) {
  return std::chrono::duration_cast<milliseconds>(exchange.elapsed).count();
}

// The time a "timed out" message names is the time it really took: at
// least the deadline, and no more than the exchange's elapsed time.
void expect_real_time(const TimedOut& timed_out, milliseconds deadline, const Exchange& exchange) {
  EXPECT_GE(timed_out.ms, deadline.count());
  EXPECT_LE(timed_out.ms, elapsed_ms(exchange));
}

// Writes `block` again and again, as fast as the client reads, until it
// goes away or `bound` has passed (so that a client that never stops
// reading fails its test instead of hanging it).
void flood(Peer& peer, const std::string& block, milliseconds bound = 5000ms) {
  auto until = std::chrono::steady_clock::now() + bound;
  while (std::chrono::steady_clock::now() < until && peer.write(block)) {
  }
}

TEST(WireClient, EndlessInterimResponsesEndAtTheirCap) {
  const std::string interim = "HTTP/1.1 100 Continue\r\n\r\n";
  std::string block;
  for (int i = 0; i < 1000; ++i) block += interim;
  ScriptedServer server([&](Peer& peer, int) {
    peer.read_request();
    flood(peer, block);
  });
  ClientOptions options = quick();
  options.deadline = 300ms;
  WireClient client(server.url(), options);
  Exchange exchange = client.send(get()).exchange;
  EXPECT_FALSE(exchange.ok());
  EXPECT_EQ(exchange.error, "more than 32 interim (1xx) responses");
  EXPECT_LT(exchange.elapsed, options.deadline + 500ms);
  EXPECT_TRUE(exchange.received.starts_with(interim + interim));
  EXPECT_LE(exchange.received.size(), 64u * 1024);
}

TEST(WireClient, InterimResponsesAreCappedInTotalSize) {
  // Four 103 responses of 20 KiB each: fine one by one, too much together.
  const std::string hints =
      "HTTP/1.1 103 Early Hints\r\nLink: <" + std::string(20 * 1024, 'a') + ">\r\n\r\n";
  ScriptedServer server([&](Peer& peer, int) {
    peer.read_request();
    peer.write(hints + hints + hints + hints + std::string(kOk));
    peer.wait_for_close();
  });
  WireClient client(server.url(), quick());
  Exchange exchange = client.send(get()).exchange;
  EXPECT_FALSE(exchange.ok());
  EXPECT_EQ(exchange.error, "interim (1xx) responses exceed 65536 bytes");
  EXPECT_EQ(exchange.received.size(), 64u * 1024);  // the evidence, capped

  // Three of them, and the final response, are within the caps.
  ScriptedServer fewer([&](Peer& peer, int) {
    peer.read_request();
    peer.write(hints + hints + hints + std::string(kOk));
    peer.wait_for_close();
  });
  WireClient fewer_client(fewer.url(), quick());
  Exchange answered = fewer_client.send(get()).exchange;
  ASSERT_TRUE(answered.ok()) << answered.error;
  EXPECT_EQ(answered.response->content, "ok");
}

TEST(WireClient, BytesThatKeepArrivingCannotStretchTheDeadline) {
  // One-byte chunks behind 4000 bytes of chunk extension, sent faster than
  // they are read: there is always more waiting, and the 8 MiB content
  // limit would take 32 GB to reach.
  const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::string chunk = "1;" + std::string(4000, 'e') + "\r\nz\r\n";
  std::string block;
  for (int i = 0; i < 64; ++i) block += chunk;
  ScriptedServer server([&](Peer& peer, int) {
    peer.read_request();
    peer.write(head);
    flood(peer, block);
  });
  ClientOptions options = quick();
  options.deadline = 300ms;
  WireClient client(server.url(), options);
  Exchange exchange = client.send(get()).exchange;
  EXPECT_FALSE(exchange.ok());
  EXPECT_LT(exchange.elapsed, options.deadline + 500ms);
  auto timed_out = read_timed_out(exchange.error, "");
  ASSERT_TRUE(timed_out) << exchange.error;
  EXPECT_TRUE(timed_out->rest.starts_with(" waiting for the content (")) << exchange.error;
  expect_real_time(*timed_out, options.deadline, exchange);
  EXPECT_TRUE(exchange.received.starts_with(head + chunk));
  EXPECT_EQ(exchange.received.size(), 64u * 1024);
}

TEST(WireClient, InterimResponsesDrippedSlowlyEndAtTheDeadline) {
  ScriptedServer server([](Peer& peer, int) {
    peer.read_request();
    auto until = std::chrono::steady_clock::now() + 5000ms;
    while (std::chrono::steady_clock::now() < until &&
           peer.write("HTTP/1.1 102 Processing\r\n\r\n"))
      std::this_thread::sleep_for(50ms);
  });
  ClientOptions options = quick();
  options.deadline = 300ms;
  WireClient client(server.url(), options);
  Exchange exchange = client.send(get()).exchange;
  EXPECT_FALSE(exchange.ok());
  EXPECT_LT(exchange.elapsed, options.deadline + 500ms);
  auto timed_out = read_timed_out(exchange.error, "");
  ASSERT_TRUE(timed_out) << exchange.error;
  EXPECT_TRUE(timed_out->rest.starts_with(" waiting for the response head (")) << exchange.error;
  expect_real_time(*timed_out, options.deadline, exchange);
  EXPECT_TRUE(exchange.received.starts_with("HTTP/1.1 102 Processing\r\n\r\n"));
}

TEST(WireClient, ServerThatNeverAnswersCannotExceedTheDeadline) {
  ScriptedServer server([](Peer& peer, int) {
    peer.read_request();
    peer.wait_for_close();
  });
  ClientOptions options = quick();
  options.deadline = 300ms;
  WireClient client(server.url(), options);
  Exchange exchange = client.send(get()).exchange;
  EXPECT_FALSE(exchange.ok());
  auto timed_out = read_timed_out(exchange.error, "");
  ASSERT_TRUE(timed_out) << exchange.error;
  EXPECT_EQ(timed_out->rest, " waiting for the response head (0 bytes received)");
  expect_real_time(*timed_out, options.deadline, exchange);
  EXPECT_GE(exchange.elapsed, 300ms);
  EXPECT_LT(exchange.elapsed, 800ms);
}

TEST(WireClient, DrippingServerCannotStretchTheDeadline) {
  ScriptedServer server([](Peer& peer, int) {
    peer.read_request();
    peer.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");
    for (int i = 0; i < 40; ++i) {
      std::this_thread::sleep_for(25ms);
      peer.write("x");
    }
    peer.wait_for_close();
  });
  ClientOptions options = quick();
  options.deadline = 300ms;
  WireClient client(server.url(), options);
  Exchange exchange = client.send(get()).exchange;
  EXPECT_FALSE(exchange.ok());
  auto timed_out = read_timed_out(exchange.error, "");
  ASSERT_TRUE(timed_out) << exchange.error;
  EXPECT_TRUE(timed_out->rest.starts_with(" waiting for the content (")) << exchange.error;
  expect_real_time(*timed_out, options.deadline, exchange);
  EXPECT_TRUE(exchange.received.starts_with("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nxx"))
      << exchange.received;
  EXPECT_LT(exchange.elapsed, 800ms);
}

TEST(WireClient, OversizedHead) {
  ScriptedServer server([](Peer& peer, int) {
    peer.read_request();
    peer.write("HTTP/1.1 200 OK\r\nX-Big: " + std::string(200, 'a') + "\r\n\r\n");
    peer.wait_for_close();
  });
  ClientOptions options = quick();
  options.max_head_bytes = 100;
  WireClient client(server.url(), options);
  Exchange exchange = client.send(get()).exchange;
  EXPECT_FALSE(exchange.ok());
  EXPECT_EQ(exchange.error, "response head exceeds 100 bytes");
  EXPECT_TRUE(exchange.received.starts_with("HTTP/1.1 200 OK\r\nX-Big: aaa"));
}

TEST(WireClient, OversizedContent) {
  ScriptedServer server([](Peer& peer, int) {
    peer.read_request();
    peer.write("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world");
    peer.wait_for_close();
  });
  ClientOptions options = quick();
  options.max_content_bytes = 10;
  WireClient client(server.url(), options);
  Exchange exchange = client.send(get()).exchange;
  EXPECT_EQ(exchange.error, "content exceeds 10 bytes (Content-Length: 11)");
}

TEST(WireClient, MalformedResponseKeepsTheBytesAsEvidence) {
  ScriptedServer server([](Peer& peer, int) {
    peer.read_request();
    peer.write("SSH-2.0-OpenSSH\r\n");
  });
  WireClient client(server.url(), quick());
  Exchange exchange = client.send(get()).exchange;
  EXPECT_EQ(exchange.error, "not an HTTP response: status line 'SSH-2.0-OpenSSH'");
  EXPECT_EQ(exchange.received, "SSH-2.0-OpenSSH\r\n");
}

TEST(WireClient, AnHttp2OnlyServerIsNamedAtOnceNotAfterTheDeadline) {
  // What a cleartext HTTP/2 server (nghttpd --no-tls) answers to HTTP/1.1:
  // its SETTINGS frame; this one then keeps the connection open.
  const std::string settings("\x00\x00\x06\x04\x00\x00\x00\x00\x00\x00\x03\x00\x00\x00\x64", 15);
  ScriptedServer server([&](Peer& peer, int) {
    peer.read_request();
    peer.write(settings);
    peer.wait_for_close();
  });
  ClientOptions options = quick();
  options.deadline = 3000ms;
  WireClient client(server.url(), options);
  Exchange exchange = client.send(get()).exchange;
  EXPECT_EQ(exchange.error,
            "not an HTTP/1.1 response: the server answered with an HTTP/2 SETTINGS frame, so it "
            "speaks HTTP/2 over cleartext with prior knowledge (h2c) on this port; judge it with "
            "--protocol h2c");
  EXPECT_EQ(exchange.received, settings);
  EXPECT_LT(exchange.elapsed, 1000ms);
}

TEST(WireClient, ClosedBeforeTheEndOfTheContent) {
  ScriptedServer server([](Peer& peer, int) {
    peer.read_request();
    peer.write("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n" + std::string(120, 'x'));
  });
  WireClient client(server.url(), quick());
  Exchange exchange = client.send(get()).exchange;
  EXPECT_EQ(exchange.error, "connection closed after 120 of 500 content bytes");
  EXPECT_FALSE(exchange.closed_without_response);  // it did answer, if badly
  // The head came whole: it is kept, with what came of the content.
  ASSERT_TRUE(exchange.cut_short);
  EXPECT_EQ(exchange.cut_short->status, 200);
  EXPECT_EQ(exchange.cut_short->head, "HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n");
  EXPECT_EQ(exchange.cut_short->content, std::string(120, 'x'));
  EXPECT_FALSE(exchange.ok());
}

TEST(WireClient, ClosedBeforeTheEndOfTheHeadKeepsNoHead) {
  ScriptedServer server([](Peer& peer, int) {
    peer.read_request();
    peer.write("HTTP/1.1 200 OK\r\nContent-Le");
  });
  WireClient client(server.url(), quick());
  Exchange exchange = client.send(get()).exchange;
  EXPECT_EQ(exchange.error,
            "connection closed before the end of the response head (27 bytes "
            "received)");
  EXPECT_FALSE(exchange.cut_short);
}

TEST(WireClient, AChunkedContentCutShortKeepsTheHead) {
  ScriptedServer server([](Peer& peer, int) {
    peer.read_request();
    peer.write(
        "HTTP/1.1 416 Range Not Satisfiable\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
  });
  WireClient client(server.url(), quick());
  Exchange exchange = client.send(get()).exchange;
  EXPECT_EQ(exchange.error,
            "connection closed in the middle of chunked content (3 content bytes received)");
  ASSERT_TRUE(exchange.cut_short);
  EXPECT_EQ(exchange.cut_short->status, 416);
  EXPECT_EQ(exchange.cut_short->content, "abc");
}

// Apache httpd's mod_cache after a 304 carrying Transfer-Encoding: chunked
// (real-cache disagreement D14): the content unchunked under that field.
TEST(WireClient, ContentThatIsNotChunksUnderChunkedKeepsTheHead) {
  ScriptedServer server([](Peer& peer, int) {
    peer.read_request();
    peer.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nversion 1\n");
    peer.read_request();  // keeps the connection, as Apache does
  });
  WireClient client(server.url(), quick());
  Exchange exchange = client.send(get()).exchange;
  EXPECT_FALSE(exchange.ok());
  EXPECT_EQ(exchange.error, "invalid chunk size 'version 1'");
  EXPECT_FALSE(exchange.cut_short);
  ASSERT_TRUE(exchange.undecodable);
  EXPECT_EQ(exchange.undecodable->status, 200);
  EXPECT_EQ(exchange.undecodable->head, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
  EXPECT_EQ(exchange.undecodable->framing, Framing::chunked);
  // The bytes themselves are the evidence.
  EXPECT_EQ(exchange.received, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nversion 1\n");
}

TEST(WireClient, ContentBeyondTheCapKeepsNoHead) {
  ScriptedServer server([](Peer& peer, int) {
    peer.read_request();
    peer.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffff\r\n");
  });
  WireClient client(server.url(), quick());
  Exchange exchange = client.send(get()).exchange;
  EXPECT_EQ(exchange.error, "content exceeds 8388608 bytes");
  EXPECT_FALSE(exchange.undecodable);
  EXPECT_FALSE(exchange.cut_short);
}

TEST(WireClient, RequestDroppedWithoutAnyResponseIsMarked) {
  ScriptedServer server([](Peer& peer, int) {
    peer.read_request();  // then closes without a byte
  });
  WireClient client(server.url(), quick());
  Exchange exchange = client.send(get()).exchange;
  EXPECT_EQ(exchange.error, "connection closed without a response");
  EXPECT_TRUE(exchange.closed_without_response);
}

TEST(WireClient, ReconnectsWhenTheServerClosedTheIdleConnection) {
  ScriptedServer server([](Peer& peer, int) {
    peer.read_request();
    peer.write(kOk);
    // Closes the kept-alive connection right away.
  });
  WireClient client(server.url(), quick());
  Exchange first = client.send(get()).exchange;
  ASSERT_TRUE(first.ok()) << first.error;
  std::this_thread::sleep_for(20ms);  // lets the server's close arrive
  Exchange second = send_after(client, get(), first);
  ASSERT_TRUE(second.ok()) << second.error;
  EXPECT_EQ(server.connections(), 2);
  EXPECT_TRUE(first.stray_checked);
  EXPECT_EQ(first.stray_bytes, "");
}

TEST(WireClient, ResendsAnIdempotentRequestWhenTheReusedConnectionClosesUnanswered) {
  ScriptedServer server([](Peer& peer, int connection) {
    peer.read_request();
    if (connection == 0) {
      peer.write("HTTP/1.1 304 Not Modified\r\n\r\n");
      peer.read_request();
      peer.write("junk");  // closes after stray bytes, without answering
      return;
    }
    peer.write(kOk);
    peer.wait_for_close();
  });
  WireClient client(server.url(), quick());
  Exchange first = client.send(get()).exchange;
  ASSERT_TRUE(first.ok()) << first.error;
  Exchange second = send_after(client, get(), first);
  ASSERT_TRUE(second.ok()) << second.error;
  EXPECT_EQ(second.response->content, "ok");
  EXPECT_EQ(server.connections(), 2);
  EXPECT_TRUE(first.stray_checked);
  EXPECT_EQ(first.stray_bytes, "junk");
}

TEST(WireClient, DoesNotResendPost) {
  ScriptedServer server([](Peer& peer, int connection) {
    peer.read_request();
    if (connection == 0) {
      peer.write(kOk);
      peer.read_request();  // then closes without answering
    }
  });
  WireClient client(server.url(), quick());
  Exchange first = client.send(get()).exchange;
  ASSERT_TRUE(first.ok()) << first.error;
  Request post = get();
  post.method = "POST";
  Exchange second = send_after(client, post, first);
  EXPECT_EQ(second.error, "connection closed without a response");
  EXPECT_TRUE(second.closed_without_response);
  EXPECT_EQ(server.connections(), 1);
}

TEST(WireClient, ResponseQueuedBehindANotModifiedIsStrayNotTheNextResponse) {
  // Bytes received before the follow-up is written cannot answer it, even
  // when they look like a response: here a 200 sent in the 304's write.
  constexpr std::string_view kQueued = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
  ScriptedServer server([&](Peer& peer, int) {
    peer.read_request();
    peer.write("HTTP/1.1 304 Not Modified\r\n\r\n" + std::string(kQueued));
    peer.read_request();
    peer.write("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nreal");
    peer.wait_for_close();
  });
  WireClient client(server.url(), quick());
  Exchange not_modified = client.send(get()).exchange;
  ASSERT_TRUE(not_modified.ok()) << not_modified.error;
  Exchange next = send_after(client, get(), not_modified);
  ASSERT_TRUE(next.ok()) << next.error;
  EXPECT_EQ(next.response->content, "real");
  EXPECT_EQ(not_modified.stray_bytes, kQueued);
  EXPECT_EQ(not_modified.stray_bytes_dropped, 0u);
  EXPECT_TRUE(not_modified.stray_checked);
  EXPECT_EQ(server.connections(), 1);
}

TEST(WireClient, BytesReadableBeforeTheFollowUpIsWrittenAreStray) {
  constexpr std::string_view kLate = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
  ScriptedServer server([&](Peer& peer, int) {
    peer.read_request();
    peer.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
    std::this_thread::sleep_for(10ms);
    peer.write(kLate);  // before the follow-up is sent
    peer.read_request();
    peer.write("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nreal");
    peer.wait_for_close();
  });
  WireClient client(server.url(), quick());
  Request head = get();
  head.method = "HEAD";
  Exchange first = client.send(head).exchange;
  ASSERT_TRUE(first.ok()) << first.error;
  std::this_thread::sleep_for(100ms);  // the late bytes have arrived
  Exchange next = send_after(client, get(), first);
  ASSERT_TRUE(next.ok()) << next.error;
  EXPECT_EQ(next.response->content, "real");
  EXPECT_EQ(first.stray_bytes, kLate);
  EXPECT_TRUE(first.stray_checked);
}

TEST(WireClient, StrayBytesAreCappedAndTheRestCounted) {
  const std::string flood(100 * 1024, 'x');
  ScriptedServer server([&](Peer& peer, int connection) {
    peer.read_request();
    if (connection == 0) {
      peer.write("HTTP/1.1 304 Not Modified\r\n\r\n" + flood);
      // The client may drop this connection rather than read all of it.
      if (peer.read_request().empty()) return;
    }
    peer.write(kOk);
    peer.wait_for_close();
  });
  WireClient client(server.url(), quick());
  Exchange not_modified = client.send(get()).exchange;
  ASSERT_TRUE(not_modified.ok()) << not_modified.error;
  std::this_thread::sleep_for(50ms);
  Exchange next = send_after(client, get(), not_modified);
  ASSERT_TRUE(next.ok()) << next.error;
  EXPECT_EQ(next.response->content, "ok");
  EXPECT_EQ(not_modified.stray_bytes, std::string(64 * 1024, 'x'));
  EXPECT_GT(not_modified.stray_bytes_dropped, 0u);
  EXPECT_LE(not_modified.stray_bytes_dropped, flood.size() - 64 * 1024);
}

// Sends after a 304 until the client goes away (or 64 MiB), then stays open.
void flood_after_not_modified(Peer& peer) {
  peer.read_request();
  peer.write("HTTP/1.1 304 Not Modified\r\n\r\n");
  const std::string chunk(16 * 1024, 'x');
  for (int i = 0; i < 4096 && peer.write(chunk); ++i) {
  }
  peer.wait_for_close();
}

TEST(WireClient, CloseStopsAtTheByteBudgetWhenTheServerNeverStopsSending) {
  ScriptedServer server([](Peer& peer, int) { flood_after_not_modified(peer); });
  WireClient client(server.url(), quick());
  Exchange not_modified = client.send(get()).exchange;
  ASSERT_TRUE(not_modified.ok()) << not_modified.error;
  auto start = std::chrono::steady_clock::now();
  close_after(client, not_modified, 2000ms);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1000ms);
  EXPECT_EQ(not_modified.stray_bytes.size(), 64u * 1024);
  EXPECT_GT(not_modified.stray_bytes_dropped, 0u);
  EXPECT_FALSE(not_modified.stray_checked);  // it was still sending
}

TEST(WireClient, FloodAfterTheRequestIsNotTakenAsAResponse) {
  ScriptedServer server([](Peer& peer, int) {
    peer.read_request();
    peer.write("HTTP/1.1 304 Not Modified\r\n\r\n");
    peer.read_request();
    const std::string chunk(16 * 1024, 'x');
    for (int i = 0; i < 4096 && peer.write(chunk); ++i) {
    }
    peer.wait_for_close();
  });
  WireClient client(server.url(), quick());
  Exchange not_modified = client.send(get()).exchange;
  ASSERT_TRUE(not_modified.ok()) << not_modified.error;
  Exchange next = send_after(client, get(), not_modified);
  EXPECT_EQ(next.error, "no status line within 65536 bytes after the request");
  EXPECT_LT(next.elapsed, 1000ms);
  EXPECT_EQ(not_modified.stray_bytes.size(), 64u * 1024);
  EXPECT_GT(not_modified.stray_bytes_dropped, 0u);
  EXPECT_FALSE(not_modified.stray_checked);
}

TEST(WireClient, CloseWithoutGraceOnAnOpenConnectionIsNotConclusive) {
  ScriptedServer server([](Peer& peer, int) {
    peer.read_request();
    peer.write("HTTP/1.1 304 Not Modified\r\n\r\n");
    peer.wait_for_close();
  });
  WireClient client(server.url(), quick());
  Exchange not_modified = client.send(get()).exchange;
  ASSERT_TRUE(not_modified.ok()) << not_modified.error;
  close_after(client, not_modified, 0ms);
  EXPECT_FALSE(not_modified.stray_checked);
  EXPECT_EQ(not_modified.stray_bytes, "");
}

TEST(WireClient, QuietKeptAliveConnectionIsNotConclusive) {
  ScriptedServer server([](Peer& peer, int) {
    peer.read_request();
    peer.write("HTTP/1.1 304 Not Modified\r\n\r\n");
    peer.wait_for_close();
  });
  WireClient client(server.url(), quick());
  Exchange not_modified = client.send(get()).exchange;
  ASSERT_TRUE(not_modified.ok()) << not_modified.error;
  close_after(client, not_modified, 100ms);
  EXPECT_FALSE(not_modified.stray_checked);  // the server never said it was done
}

TEST(WireClient, SilenceForTheGraceAfterConnectionCloseIsConclusive) {
  ScriptedServer server([](Peer& peer, int) {
    peer.read_request();
    peer.write("HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n");
    peer.wait_for_close();  // but does not close
  });
  WireClient client(server.url(), quick());
  Exchange not_modified = client.send(get()).exchange;
  ASSERT_TRUE(not_modified.ok()) << not_modified.error;
  EXPECT_TRUE(not_modified.response->connection_close);
  auto start = std::chrono::steady_clock::now();
  close_after(client, not_modified, 150ms);
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, 150ms);
  EXPECT_LT(waited, 1000ms);
  EXPECT_TRUE(not_modified.stray_checked);
  EXPECT_EQ(not_modified.stray_bytes, "");
}

TEST(WireClient, ResetAfterAResponseIsNotConclusive) {
  ScriptedServer server([](Peer& peer, int) {
    peer.read_request();
    peer.write("HTTP/1.1 304 Not Modified\r\n\r\n");
    std::this_thread::sleep_for(30ms);
    peer.reset();
  });
  WireClient client(server.url(), quick());
  Exchange not_modified = client.send(get()).exchange;
  ASSERT_TRUE(not_modified.ok()) << not_modified.error;
  close_after(client, not_modified, 2000ms);
  EXPECT_FALSE(not_modified.stray_checked);  // a reset may have lost bytes
}

TEST(WireClient, UnansweredFollowUpLeavesThePreviousUnchecked) {
  ScriptedServer server([](Peer& peer, int) {
    peer.read_request();
    peer.write("HTTP/1.1 304 Not Modified\r\n\r\n");
    peer.read_request();
    peer.wait_for_close();  // never answers
  });
  ClientOptions options = quick();
  options.deadline = 200ms;
  WireClient client(server.url(), options);
  Exchange not_modified = client.send(get()).exchange;
  ASSERT_TRUE(not_modified.ok()) << not_modified.error;
  Exchange next = send_after(client, get(), not_modified);
  auto timed_out = read_timed_out(next.error, "");
  ASSERT_TRUE(timed_out) << next.error;
  EXPECT_EQ(timed_out->rest, " waiting for the response head (0 bytes received)");
  expect_real_time(*timed_out, options.deadline, next);
  EXPECT_FALSE(not_modified.stray_checked);
}

TEST(WireClient, ResetEndingCloseDelimitedContentIsAnError) {
  ScriptedServer server([](Peer& peer, int) {
    peer.read_request();
    peer.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\npartial");
    std::this_thread::sleep_for(30ms);
    peer.reset();
  });
  WireClient client(server.url(), quick());
  Exchange exchange = client.send(get()).exchange;
  EXPECT_FALSE(exchange.ok());
  EXPECT_EQ(exchange.error, "connection reset after 7 content bytes; the content may be truncated");
  EXPECT_FALSE(exchange.cut_short);  // how much is missing cannot be told
  EXPECT_EQ(exchange.received, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\npartial");
}

TEST(WireClient, ConnectTimeoutWhenNothingAccepts) {
  // A listener whose accept queue is full drops further connection attempts.
  int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::listen(listener, 0);
  socklen_t length = sizeof address;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
  int port = ntohs(address.sin_port);
  std::vector<int> fillers;
  for (int i = 0; i < 2; ++i) {
    int filler = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    ::connect(filler, reinterpret_cast<sockaddr*>(&address), sizeof address);
    fillers.push_back(filler);
  }
  std::this_thread::sleep_for(20ms);

  ClientOptions options = quick();
  options.connect_timeout = 200ms;
  WireClient client(Url{"http", "127.0.0.1", port, "/"}, options);
  Exchange exchange = client.send(get()).exchange;
  auto timed_out =
      read_timed_out(exchange.error, "connect to 127.0.0.1:" + std::to_string(port) + ": ");
  ASSERT_TRUE(timed_out) << exchange.error;
  EXPECT_EQ(timed_out->rest, "");
  expect_real_time(*timed_out, options.connect_timeout, exchange);
  EXPECT_GE(exchange.elapsed, 200ms);
  EXPECT_LT(exchange.elapsed, 800ms);
  for (int filler : fillers) ::close(filler);
  ::close(listener);
}

TEST(WireClient, IsMovable) {
  ScriptedServer server([](Peer& peer, int) {
    while (!peer.read_request().empty()) peer.write(kOk);
  });
  WireClient original(server.url(), quick());
  WireClient moved(std::move(original));
  EXPECT_EQ(moved.origin(), server.url());
  EXPECT_TRUE(moved.send(get()).exchange.ok());
}

// TLS: a self-signed certificate made here, served by cpp-httplib.

using tls_testing::Credentials;
using tls_testing::make_self_signed;
using tls_testing::OneConnectionTlsServer;

class TlsServer {
 public:
  explicit TlsServer(const Credentials& files)
      : server_(files.cert_file.c_str(), files.key_file.c_str()) {
    server_.Get("/", [](const httplib::Request&, httplib::Response& response) {
      response.set_content("hello", "text/plain");
    });
    EXPECT_TRUE(server_.is_valid()) << "cannot load " << files.cert_file;
    port_ = server_.bind_to_any_port("127.0.0.1");
    EXPECT_GT(port_, 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 200 && !server_.is_running(); ++i) std::this_thread::sleep_for(5ms);
  }
  ~TlsServer() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }

 private:
  httplib::SSLServer server_;
  int port_ = 0;
  std::thread thread_;
};

class WireClientTls : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    localhost_ = new Credentials(make_self_signed("localhost", "DNS:localhost,IP:127.0.0.1"));
    elsewhere_ = new Credentials(make_self_signed("elsewhere", "DNS:elsewhere.example"));
  }
  static void TearDownTestSuite() {
    for (Credentials* files : {localhost_, elsewhere_}) {
      std::remove(files->cert_file.c_str());
      std::remove(files->key_file.c_str());
    }
    delete localhost_;
    delete elsewhere_;
  }
  static Credentials* localhost_;
  static Credentials* elsewhere_;
};
Credentials* WireClientTls::localhost_ = nullptr;
Credentials* WireClientTls::elsewhere_ = nullptr;

TEST_F(WireClientTls, VerificationFailsByDefaultForASelfSignedCertificate) {
  TlsServer server(*localhost_);
  WireClient client(Url{"https", "localhost", server.port(), "/"}, quick());
  Exchange exchange = client.send(get()).exchange;
  EXPECT_FALSE(exchange.ok());
  EXPECT_EQ(exchange.error, "TLS handshake with localhost:" + std::to_string(server.port()) +
                                " failed: certificate verify failed (self-signed certificate)");
}

TEST_F(WireClientTls, CaFileMakesItTrusted) {
  TlsServer server(*localhost_);
  ClientOptions options = quick();
  options.ca_file = localhost_->cert_file;
  for (std::string host : {"localhost", "127.0.0.1"}) {
    WireClient client(Url{"https", host, server.port(), "/"}, options);
    Exchange first = client.send(get()).exchange;
    ASSERT_TRUE(first.ok()) << host << ": " << first.error;
    EXPECT_EQ(first.response->content, "hello");
    Exchange second = send_after(client, get(), first);  // over the same TLS connection
    ASSERT_TRUE(second.ok()) << host << ": " << second.error;
    EXPECT_EQ(second.response->content, "hello");
    EXPECT_TRUE(first.stray_checked);
    EXPECT_EQ(first.stray_bytes, "");
  }
}

TEST_F(WireClientTls, NameMismatchFails) {
  TlsServer server(*elsewhere_);
  ClientOptions options = quick();
  options.ca_file = elsewhere_->cert_file;
  WireClient by_ip(Url{"https", "127.0.0.1", server.port(), "/"}, options);
  EXPECT_EQ(by_ip.send(get()).exchange.error,
            "TLS handshake with 127.0.0.1:" + std::to_string(server.port()) +
                " failed: certificate verify failed (IP address mismatch)");
  WireClient by_name(Url{"https", "localhost", server.port(), "/"}, options);
  EXPECT_EQ(by_name.send(get()).exchange.error,
            "TLS handshake with localhost:" + std::to_string(server.port()) +
                " failed: certificate verify failed (hostname mismatch)");
}

TEST_F(WireClientTls, VerificationCanBeTurnedOff) {
  TlsServer server(*elsewhere_);
  ClientOptions options = quick();
  options.verify_tls = false;
  WireClient client(Url{"https", "localhost", server.port(), "/"}, options);
  Exchange exchange = client.send(get()).exchange;
  ASSERT_TRUE(exchange.ok()) << exchange.error;
  EXPECT_EQ(exchange.response->content, "hello");
}

TEST_F(WireClientTls, MissingCaFile) {
  ClientOptions options = quick();
  options.ca_file = "/nonexistent/ca.pem";
  WireClient client(Url{"https", "localhost", 1, "/"}, options);
  Exchange exchange = client.send(get()).exchange;
  EXPECT_EQ(exchange.error, "cannot load CA file '/nonexistent/ca.pem': no such file or directory");

  std::string garbage =
      testing::TempDir() + "condspec-" + std::to_string(::getpid()) + "-garbage.pem";
  FILE* out = std::fopen(garbage.c_str(), "w");
  std::fputs("not a certificate\n", out);
  std::fclose(out);
  options.ca_file = garbage;
  WireClient with_garbage(Url{"https", "localhost", 1, "/"}, options);
  EXPECT_EQ(with_garbage.send(get()).exchange.error,
            "cannot load CA file '" + garbage + "': no certificate or crl found");
  std::remove(garbage.c_str());
}

// What a TLS server says on its one connection: reads one request head,
// answers with `response`, then ends with or without close_notify.
OneConnectionTlsServer::Script answer_once(std::string response, bool close_notify) {
  return [response = std::move(response), close_notify](SSL* ssl) {
    std::string request;
    char buffer[4096];
    while (request.find("\r\n\r\n") == std::string::npos) {
      int n = SSL_read(ssl, buffer, sizeof buffer);
      if (n <= 0) break;
      request.append(buffer, static_cast<size_t>(n));
    }
    SSL_write(ssl, response.data(), static_cast<int>(response.size()));
    if (close_notify) SSL_shutdown(ssl);
  };
}

TEST_F(WireClientTls, CloseDelimitedContentEndsOnlyAtCloseNotify) {
  const std::string response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\npartial";
  ClientOptions options = quick();
  options.ca_file = localhost_->cert_file;
  {
    OneConnectionTlsServer server(*localhost_, {}, answer_once(response, /*close_notify=*/true));
    WireClient client(Url{"https", "127.0.0.1", server.port(), "/"}, options);
    Exchange exchange = client.send(get()).exchange;
    ASSERT_TRUE(exchange.ok()) << exchange.error;
    EXPECT_EQ(exchange.response->framing, Framing::close_delimited);
    EXPECT_EQ(exchange.response->content, "partial");
  }
  {
    OneConnectionTlsServer server(*localhost_, {}, answer_once(response, /*close_notify=*/false));
    WireClient client(Url{"https", "127.0.0.1", server.port(), "/"}, options);
    Exchange exchange = client.send(get()).exchange;
    EXPECT_FALSE(exchange.ok());
    EXPECT_EQ(exchange.error,
              "connection closed without TLS close_notify after 7 content bytes; the content may "
              "be truncated");
    EXPECT_EQ(exchange.received, response);
  }
}

TEST_F(WireClientTls, HandshakeTimeoutSaysHowLongItTook) {
  ScriptedServer server([](Peer& peer, int) { peer.wait_for_close(); });  // never answers
  ClientOptions options = quick();
  // Loading the system's trust store may take a good part of a short
  // deadline on a busy machine: leave the connection time to be made.
  options.deadline = 1000ms;
  WireClient client(Url{"https", "127.0.0.1", server.port(), "/"}, options);
  Exchange exchange = client.send(get()).exchange;
  auto timed_out =
      read_timed_out(exchange.error,
                     "TLS handshake with 127.0.0.1:" + std::to_string(server.port()) + " failed: ");
  ASSERT_TRUE(timed_out) << exchange.error;
  EXPECT_EQ(timed_out->rest, "");
  expect_real_time(*timed_out, options.deadline, exchange);
  EXPECT_LT(exchange.elapsed, 1500ms);
}

TEST_F(WireClientTls, PlainHttpClientMeetingATlsServer) {
  TlsServer server(*localhost_);
  WireClient client(Url{"http", "127.0.0.1", server.port(), "/"}, quick());
  Exchange exchange = client.send(get()).exchange;
  EXPECT_EQ(exchange.error, "connection closed without a response");
}

}  // namespace
}  // namespace condspec

// Every wait of an exchange wakes on cancellation (SIGINT, SIGTERM), long
// before its deadline: connect, the read of the head, the split-write pause,
// the grace of close(). A cancelled client sends nothing more.
namespace condspec {
namespace {

using Clock = std::chrono::steady_clock;

using cancel_testing::CancelLater;

ClientOptions patient(const Cancellation& cancellation) {
  ClientOptions options;
  options.connect_timeout = 10'000ms;
  options.deadline = 10'000ms;
  options.cancel = &cancellation;
  return options;
}

TEST(WireClientCancellation, ReadingTheHeadWakes) {
  ScriptedServer server([](Peer& peer, int) {
    peer.read_request();
    peer.wait_for_close(12'000ms);
  });
  Cancellation cancellation;
  WireClient client(server.url(), patient(cancellation));
  const auto start = Clock::now();
  Exchange exchange;
  {
    CancelLater later(cancellation, 200ms);
    exchange = client.send(get()).exchange;
  }
  EXPECT_LT(Clock::now() - start, 1000ms);
  EXPECT_TRUE(exchange.error.starts_with("interrupted after ")) << exchange.error;
  EXPECT_NE(exchange.error.find(" ms waiting for the response head (0 bytes received)"),
            std::string::npos)
      << exchange.error;
}

TEST(WireClientCancellation, TheSplitPauseWakes) {
  ScriptedServer server([](Peer& peer, int) { peer.wait_for_close(12'000ms); });
  Cancellation cancellation;
  WireClient client(server.url(), patient(cancellation));
  Request request = split_before_if_none_match();
  request.split_pause = 8000ms;
  const auto start = Clock::now();
  Exchange exchange;
  {
    CancelLater later(cancellation, 200ms);
    exchange = client.send(request).exchange;
  }
  EXPECT_LT(Clock::now() - start, 1000ms);
  EXPECT_TRUE(exchange.error.starts_with("interrupted after ")) << exchange.error;
}

TEST(WireClientCancellation, TheGraceOfCloseWakes) {
  ScriptedServer server([](Peer& peer, int) {
    peer.read_request();
    peer.write(kOk);
    peer.wait_for_close(12'000ms);
  });
  Cancellation cancellation;
  WireClient client(server.url(), patient(cancellation));
  ASSERT_TRUE(client.send(get()).exchange.ok());
  const auto start = Clock::now();
  {
    CancelLater later(cancellation, 200ms);
    StrayBytes stray = client.close(8000ms);
    EXPECT_FALSE(stray.checked);  // nothing conclusive: the wait was cut short
  }
  EXPECT_LT(Clock::now() - start, 1000ms);
}

// A connect that gets no answer: the listener's queue is full, so the
// kernel drops the SYN and connect() waits.
TEST(WireClientCancellation, ConnectWakes) {
  int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(listener, 0), 0);
  socklen_t length = sizeof address;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
  std::vector<int> fillers;
  for (int i = 0; i < 4; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    fillers.push_back(fd);
  }
  std::this_thread::sleep_for(100ms);
  Cancellation cancellation;
  WireClient client(Url{"http", "127.0.0.1", ntohs(address.sin_port), "/"}, patient(cancellation));
  const auto start = Clock::now();
  Exchange exchange;
  {
    CancelLater later(cancellation, 300ms);
    exchange = client.send(get()).exchange;
  }
  EXPECT_LT(Clock::now() - start, 1000ms) << exchange.error;
  EXPECT_EQ(exchange.error,
            "connect to 127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + ": interrupted");
  for (int fd : fillers) ::close(fd);
  ::close(listener);
}

TEST(WireClientCancellation, NothingIsSentOnceCancelled) {
  ScriptedServer server([](Peer& peer, int) { peer.read_request(); });
  Cancellation cancellation;
  cancellation.cancel();
  WireClient client(server.url(), patient(cancellation));
  Exchange exchange = client.send(get()).exchange;
  EXPECT_EQ(exchange.error, "interrupted before the request was sent");
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(server.connections(), 0);
}

}  // namespace
}  // namespace condspec
