#pragma once
// A raw TCP server on 127.0.0.1 for the tests of the HTTP/1.1 client and its
// connection: it runs a script for each connection, so tests control every
// byte and every close.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include "src/http/url.h"

namespace condspec::wire_testing {

using std::chrono::milliseconds;
using namespace std::chrono_literals;

// One accepted connection of the scripted test server.
class Peer {
 public:
  explicit Peer(int fd) : fd_(fd) {}
  ~Peer() { close(); }

  // Reads one request (head and Content-Length body); empty if the client
  // closed the connection or nothing came within the timeout.
  std::string read_request(milliseconds timeout = 3000ms) {
    auto until = std::chrono::steady_clock::now() + timeout;
    while (true) {
      size_t end = buffer_.find("\r\n\r\n");
      if (end != std::string::npos) {
        size_t length = 0;
        size_t at = buffer_.find("Content-Length: ");
        if (at != std::string::npos && at < end) length = std::stoul(buffer_.substr(at + 16));
        if (buffer_.size() >= end + 4 + length) {
          std::string request = buffer_.substr(0, end + 4 + length);
          buffer_.erase(0, request.size());
          return request;
        }
      }
      if (!read_more(until)) return {};
    }
  }

  // Everything that arrives within `window`, whether or not it ends a request.
  std::string read_for(milliseconds window) {
    auto until = std::chrono::steady_clock::now() + window;
    while (read_more(until)) {
    }
    return std::exchange(buffer_, {});
  }

  // Reads until `done` holds for the bytes buffered (which stay buffered),
  // the client is gone or the timeout passes; returns whether `done` held.
  bool read_until(const std::function<bool(std::string_view)>& done,
                  milliseconds timeout = 3000ms) {
    auto until = std::chrono::steady_clock::now() + timeout;
    while (!done(buffer_)) {
      if (!read_more(until)) return false;
    }
    return true;
  }
  // The bytes buffered so far; they are no longer buffered.
  std::string take_buffered() { return std::exchange(buffer_, {}); }

  // Returns false once the client is gone.
  bool write(std::string_view bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(bytes.size());
  }

  // Ends the connection with a reset (RST) instead of a FIN.
  void reset() {
    if (fd_ < 0) return;
    linger abort{1, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
    close();
  }

  // Waits until the client closes the connection (or the timeout passes).
  void wait_for_close(milliseconds timeout = 3000ms) {
    auto until = std::chrono::steady_clock::now() + timeout;
    while (read_more(until)) {
    }
  }

  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  bool read_more(std::chrono::steady_clock::time_point until) {
    if (fd_ < 0) return false;
    auto left = std::chrono::duration_cast<milliseconds>(until - std::chrono::steady_clock::now());
    pollfd entry{fd_, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&entry, 1, static_cast<int>(left.count())) <= 0) return false;
    char chunk[4096];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  int fd_;
  std::string buffer_;
};

// A raw TCP server on 127.0.0.1 that runs a script for each connection, one
// connection after the other, so tests control every byte and every close.
class ScriptedServer {
 public:
  using Script = std::function<void(Peer&, int connection)>;

  explicit ScriptedServer(Script script) : script_(std::move(script)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int on = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(listener_, 8);
    socklen_t length = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { run(); });
  }

  ~ScriptedServer() {
    stop_ = true;
    thread_.join();
    ::close(listener_);
  }

  int port() const { return port_; }
  Url url(std::string target = "/") const { return Url{"http", "127.0.0.1", port_, target}; }
  int connections() const { return connections_; }

 private:
  void run() {
    while (!stop_) {
      pollfd entry{listener_, POLLIN, 0};
      if (::poll(&entry, 1, 20) <= 0) continue;
      int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      Peer peer(fd);
      script_(peer, connections_++);
    }
  }

  Script script_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::thread thread_;
};

}  // namespace condspec::wire_testing
