#include "tests/hostile_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

namespace condspec::test {

namespace {

using namespace std::chrono_literals;

// Sends everything, giving up when the peer goes away (MSG_NOSIGNAL: no
// SIGPIPE) or the server is stopping.
bool send_all(int fd, std::string_view data, const std::atomic<bool>& stopping) {
  while (!data.empty() && !stopping) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return data.empty();
}

// Reads the request head (or whatever comes) so the client is not reset for
// unread input; bounded by a short wait.
std::string read_request(int fd) {
  char buffer[4096];
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, 1000) <= 0) return {};
  ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
  return n > 0 ? std::string(buffer, static_cast<size_t>(n)) : std::string();
}

// Waits until the peer closes or the server stops; used by modes that keep
// the connection open without sending.
void linger_until_closed(int fd, const std::atomic<bool>& stopping) {
  char buffer[512];
  while (!stopping) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 50) > 0 && ::recv(fd, buffer, sizeof buffer, 0) <= 0) return;
  }
}

}  // namespace

std::string to_string(Hostility mode) {
  switch (mode) {
    case Hostility::not_http:
      return "not_http";
    case Hostility::control_bytes:
      return "control_bytes";
    case Hostility::http09:
      return "http09";
    case Hostility::drip:
      return "drip";
    case Hostility::huge_head:
      return "huge_head";
    case Hostility::many_fields:
      return "many_fields";
    case Hostility::endless_chunked:
      return "endless_chunked";
    case Hostility::reset_mid_head:
      return "reset_mid_head";
    case Hostility::invalid_chunk_size:
      return "invalid_chunk_size";
    case Hostility::short_content:
      return "short_content";
    case Hostility::silent:
      return "silent";
    case Hostility::not_tls:
      return "not_tls";
    case Hostility::redirect_loop:
      return "redirect_loop";
    case Hostility::interim_flood:
      return "interim_flood";
    case Hostility::endless_chunk_extensions:
      return "endless_chunk_extensions";
    case Hostility::te_in_304:
      return "te_in_304";
    case Hostility::unknown_unit_cut_short_416:
      return "unknown_unit_cut_short_416";
    case Hostility::unknown_unit_cut_short_200:
      return "unknown_unit_cut_short_200";
    case Hostility::unsafe_text:
      return "unsafe_text";
    case Hostility::hangs_later:
      return "hangs_later";
    case Hostility::secret_past_caps:
      return "secret_past_caps";
  }
  return "?";
}

std::vector<Hostility> all_hostilities() {
  return {Hostility::not_http,
          Hostility::control_bytes,
          Hostility::http09,
          Hostility::drip,
          Hostility::huge_head,
          Hostility::many_fields,
          Hostility::endless_chunked,
          Hostility::reset_mid_head,
          Hostility::invalid_chunk_size,
          Hostility::short_content,
          Hostility::silent,
          Hostility::not_tls,
          Hostility::redirect_loop,
          Hostility::interim_flood,
          Hostility::endless_chunk_extensions};
}

HostileServer::HostileServer(Hostility mode) : mode_(mode) {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int yes = 1;
  ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listener_, 16) != 0)
    throw std::runtime_error("hostile server: cannot listen");
  socklen_t length = sizeof address;
  ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] {
    while (!stopping_) {
      pollfd p{listener_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) continue;
      ++accepted_;
      connections_.emplace_back([this, client] { serve(client); });
    }
  });
}

HostileServer::~HostileServer() {
  stopping_ = true;
  acceptor_.join();
  for (auto& t : connections_) t.join();
  ::close(listener_);
}

// One case per mode, so that the modes read as a table of behaviours; that
// is why this function is long.
void HostileServer::serve(int fd) const {
  const std::string request = read_request(fd);
  const std::string ok_head = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nETag: \"x\"\r\n\r\n";
  switch (mode_) {
    case Hostility::te_in_304: {
      const bool head = request.starts_with("HEAD ");
      const bool matches = request.find("\r\nIf-None-Match: \"x\"\r\n") != std::string::npos;
      const std::string common =
          "ETag: \"x\"\r\nCache-Control: max-age=60\r\nConnection: close\r\n";
      if (matches) {
        send_all(fd,
                 "HTTP/1.1 304 Not Modified\r\n" + common + "Transfer-Encoding: chunked\r\n\r\n",
                 stopping_);
      } else {
        send_all(
            fd,
            "HTTP/1.1 200 OK\r\n" + common + "Content-Length: 5\r\n\r\n" + (head ? "" : "hello"),
            stopping_);
      }
      break;
    }
    case Hostility::unknown_unit_cut_short_416:
    case Hostility::unknown_unit_cut_short_200: {
      if (request.find("\r\nRange: foo=") == std::string::npos) {
        const bool head = request.starts_with("HEAD ");
        send_all(fd,
                 std::string("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\n") +
                     (head ? "" : "hello"),
                 stopping_);
        break;
      }
      const std::string status = mode_ == Hostility::unknown_unit_cut_short_416
                                     ? "416 Range Not Satisfiable\r\nContent-Range: bytes */5"
                                     : "200 OK";
      send_all(fd, "HTTP/1.1 " + status + "\r\nContent-Length: 4096\r\n\r\n", stopping_);
      break;  // and close: the content never comes
    }
    case Hostility::unsafe_text:
      send_all(fd,
               "HTTP/1.1 404 Not\x9b"
               "31m\xc2\x9b"
               "32m\xe2\x80\xae"
               "txt.exe\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
               stopping_);
      break;
    case Hostility::hangs_later:
      if (served_++ < kAnsweredBeforeHanging)
        send_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nETag: \"x\"\r\n\r\nhello", stopping_);
      else
        linger_until_closed(fd, stopping_);
      break;
    case Hostility::secret_past_caps: {
      constexpr size_t kCap = 64 * 1024;
      const std::string secret = kSecretPastCaps;
      send_all(fd,
               "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nETag: \"" + secret + "\"\r\n\r\nhello" +
                   std::string(kCap - 5, 's') + secret + std::string(1000, 't'),
               stopping_);
      break;
    }
    case Hostility::not_http:
      send_all(fd, "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", stopping_);
      break;
    case Hostility::control_bytes:
      send_all(fd, "HTTP/1.1 200 O\x01K\r\nContent-Length: 0\r\n\r\n", stopping_);
      linger_until_closed(fd, stopping_);
      break;
    case Hostility::http09:
      send_all(fd, "<html><body>hello from 1991</body></html>\n", stopping_);
      break;
    case Hostility::drip:
      for (char c : ok_head) {
        if (stopping_ || !send_all(fd, std::string(1, c), stopping_)) break;
        std::this_thread::sleep_for(50ms);
      }
      linger_until_closed(fd, stopping_);
      break;
    case Hostility::huge_head: {
      send_all(fd, "HTTP/1.1 200 OK\r\n", stopping_);
      const std::string line = "X-Padding: " + std::string(1000, 'a') + "\r\n";
      std::string block;
      for (int i = 0; i < 64; ++i) block += line;
      for (int i = 0; i < 512 && !stopping_; ++i)  // 32 MiB
        if (!send_all(fd, block, stopping_)) break;
      break;
    }
    case Hostility::many_fields: {
      std::string head = "HTTP/1.1 200 OK\r\n";
      for (int i = 0; i < 50000; ++i) head += "X-" + std::to_string(i) + ": v\r\n";
      send_all(fd, head + "Content-Length: 0\r\n\r\n", stopping_);
      linger_until_closed(fd, stopping_);
      break;
    }
    case Hostility::endless_chunked: {
      send_all(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", stopping_);
      const std::string chunk = "400\r\n" + std::string(1024, 'z') + "\r\n";
      std::string block;
      for (int i = 0; i < 64; ++i) block += chunk;
      while (!stopping_ && send_all(fd, block, stopping_)) {
      }
      break;
    }
    case Hostility::reset_mid_head: {
      send_all(fd, "HTTP/1.1 200 OK\r\nContent-", stopping_);
      linger zero{1, 0};  // close with RST instead of FIN
      ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &zero, sizeof zero);
      break;
    }
    case Hostility::invalid_chunk_size:
      send_all(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
               stopping_);
      linger_until_closed(fd, stopping_);
      break;
    case Hostility::short_content:
      send_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789", stopping_);
      linger_until_closed(fd, stopping_);
      break;
    case Hostility::silent:
      linger_until_closed(fd, stopping_);
      break;
    case Hostility::not_tls:
      send_all(fd, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", stopping_);
      break;
    case Hostility::interim_flood: {
      // Each head is well under the head limit, but they never end.
      std::string interim = "HTTP/1.1 100 Continue\r\n";
      for (int i = 0; i < 1000; ++i) interim += "X-" + std::to_string(i) + ": v\r\n";
      interim += "\r\n";
      std::string block;
      for (int i = 0; i < 16; ++i) block += interim;
      while (!stopping_ && send_all(fd, block, stopping_)) {
      }
      break;
    }
    case Hostility::endless_chunk_extensions: {
      send_all(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", stopping_);
      const std::string chunk = "1;" + std::string(4000, 'e') + "\r\nz\r\n";
      std::string block;
      for (int i = 0; i < 64; ++i) block += chunk;
      while (!stopping_ && send_all(fd, block, stopping_)) {
      }
      break;
    }
    case Hostility::redirect_loop:
      send_all(fd,
               "HTTP/1.1 301 Moved Permanently\r\nLocation: /\r\nContent-Length: 0\r\n"
               "Connection: close\r\n\r\n",
               stopping_);
      break;
  }
  ::close(fd);
}

}  // namespace condspec::test
