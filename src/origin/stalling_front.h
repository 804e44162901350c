#pragma once
// A TCP relay in front of an HTTP/1.1 server that answers a header section
// which stops arriving halfway (RFC 9110 5.3 says a server must wait for the
// whole of it): the transport side of the reference origin's fault
// answers-before-header-ends.
//
// cpp-httplib reads a request's whole header section before any handler
// runs, and keeps its socket handling private, so the deviation is done in
// front of it: the origin's port is served by this relay, which connects each
// client to cpp-httplib listening on another port of the same host. A header
// section that stops arriving after its request line, for `stalled_head_wait`,
// is ended with an empty line and passed on, so cpp-httplib answers what has
// come; the rest of it, once it arrives, and its content are dropped.
// Responses pass through unchanged.

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "src/core/result.h"

namespace condspec {

class StallingFront {
 public:
  explicit StallingFront(std::chrono::milliseconds stalled_head_wait)
      : stalled_head_wait_(stalled_head_wait) {}
  ~StallingFront() { stop(); }
  StallingFront(const StallingFront&) = delete;
  StallingFront& operator=(const StallingFront&) = delete;

  // Listens on host:port (0: an ephemeral port) and relays every connection
  // to host:inner_port; returns the port listened on.
  Result<int> listen(const std::string& host, int port, int inner_port);

  // Stops accepting and waits for the relays. They end when the inner server
  // closes its side of their connections, so stop it in between.
  void stop() {
    stop_accepting();
    wait_for_relays();
  }
  void stop_accepting();
  void wait_for_relays();

 private:
  void accept_connections();

  std::chrono::milliseconds stalled_head_wait_;
  std::string host_;
  int inner_port_ = 0;
  int listener_ = -1;
  std::thread acceptor_;
  std::mutex mutex_;
  std::vector<std::thread> relays_;
};

}  // namespace condspec
