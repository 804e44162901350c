// The relay that answers stalled header sections: see stalling_front.h.

#include "src/origin/stalling_front.h"

#include <fmt/format.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <string_view>

#include "src/core/text.h"

namespace condspec {
namespace {

bool send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t sent = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(sent));
  }
  return true;
}

// The Content-Length of a header section (CRLF CRLF included), 0 if none.
size_t content_length_of(std::string_view head) {
  for (auto line : split(head, '\n')) {
    auto colon = line.find(':');
    if (colon == std::string_view::npos || !iequals(trim(line.substr(0, colon)), "Content-Length"))
      continue;
    auto value = trim(line.substr(colon + 1));
    size_t length = 0;
    std::from_chars(value.data(), value.data() + value.size(), length);
    return length;
  }
  return 0;
}

// Relays one connection between the client and cpp-httplib's end of a
// socket pair, passing the request bytes on one header section (and the
// content its Content-Length announces) at a time. A header section that
// stops arriving after its request line, for `wait`, is ended with
// an empty line and passed on, so cpp-httplib answers what has come; the
// rest of it, once it arrives, and its content are dropped. Responses pass
// through unchanged. Returns when cpp-httplib closes its end.
void relay_completing_stalled_heads(int client, int inner, std::chrono::milliseconds wait) {
  int yes = 1;
  ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  std::string head;         // the header section arriving, not passed on yet
  size_t content_left = 0;  // content of the last header section still to come
  bool drop_content = false;
  bool answered = false;  // the arriving header section was answered already: drop it
  bool client_open = true;
  char buffer[16 * 1024];
  auto take_from_client = [&](std::string_view bytes) {
    std::string pending(bytes);
    std::string_view rest = pending;
    while (!rest.empty()) {
      if (content_left > 0) {
        size_t n = std::min(content_left, rest.size());
        if (!drop_content) send_all(inner, rest.substr(0, n));
        content_left -= n;
        rest.remove_prefix(n);
        continue;
      }
      size_t searched_from = head.size() < 3 ? 0 : head.size() - 3;
      head.append(rest);
      size_t end = head.find("\r\n\r\n", searched_from);
      if (end == std::string::npos) break;
      pending = head.substr(end + 4);
      rest = pending;
      head.resize(end + 4);
      content_left = content_length_of(head);
      drop_content = answered;
      if (!answered) send_all(inner, head);
      answered = false;
      head.clear();
    }
  };
  while (true) {
    pollfd fds[2] = {{inner, POLLIN, 0}, {client, static_cast<short>(client_open ? POLLIN : 0), 0}};
    const bool head_may_stall =
        client_open && !answered && content_left == 0 && head.find("\r\n") != std::string::npos;
    int ready = ::poll(fds, 2, head_may_stall ? static_cast<int>(wait.count()) : -1);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) break;
    if (ready == 0) {
      // What has come of the header section is answered as if it were all;
      // the CRLF already passed on begins the empty line the rest ends with.
      send_all(inner, head + "\r\n");
      head = "\r\n";
      answered = true;
      continue;
    }
    if (fds[0].revents != 0) {
      ssize_t n = ::recv(inner, buffer, sizeof buffer, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0 || !send_all(client, std::string_view(buffer, static_cast<size_t>(n)))) break;
    }
    if (client_open && fds[1].revents != 0) {
      ssize_t n = ::recv(client, buffer, sizeof buffer, 0);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n <= 0) {
        client_open = false;
        ::shutdown(inner, SHUT_WR);
        continue;
      }
      take_from_client(std::string_view(buffer, static_cast<size_t>(n)));
    }
  }
  ::close(client);
  ::close(inner);
}

// A socket bound to host:port and listening, or connected to it; -1 on failure.
int open_socket(const std::string& host, int port, bool listening) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | (listening ? AI_PASSIVE : 0);
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) return -1;
  int fd = ::socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  bool ok = fd >= 0;
  if (ok && listening) {
    int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    ok = ::bind(fd, found->ai_addr, found->ai_addrlen) == 0 && ::listen(fd, 64) == 0;
  } else if (ok) {
    ok = ::connect(fd, found->ai_addr, found->ai_addrlen) == 0;
  }
  ::freeaddrinfo(found);
  if (!ok && fd >= 0) ::close(fd);
  return ok ? fd : -1;
}

}  // namespace

Result<int> StallingFront::listen(const std::string& host, int port, int inner_port) {
  host_ = host;
  inner_port_ = inner_port;
  listener_ = open_socket(host, port, /*listening=*/true);
  if (listener_ < 0) return Error{fmt::format("cannot listen on {}:{}", host, port)};
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
  acceptor_ = std::thread([this] { accept_connections(); });
  return address.ss_family == AF_INET6
             ? ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port)
             : ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
}

void StallingFront::stop_accepting() {
  if (listener_ >= 0) ::shutdown(listener_, SHUT_RDWR);  // wakes accept()
  if (acceptor_.joinable()) acceptor_.join();
  if (listener_ >= 0) ::close(listener_);
  listener_ = -1;
}

void StallingFront::wait_for_relays() {
  std::lock_guard lock(mutex_);
  for (auto& relay : relays_) relay.join();
  relays_.clear();
}

void StallingFront::accept_connections() {
  while (true) {
    int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0 && errno == EINTR) continue;
    if (client < 0) return;  // stop() shut the listener down
    int inner = open_socket(host_, inner_port_, /*listening=*/false);
    if (inner < 0) {
      ::close(client);
      continue;
    }
    std::lock_guard lock(mutex_);
    relays_.emplace_back([client, inner, wait = stalled_head_wait_] {
      relay_completing_stalled_heads(client, inner, wait);
    });
  }
}

}  // namespace condspec
