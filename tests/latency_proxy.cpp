// A TCP proxy that adds network latency, for scripts/benchmark.sh's latency
// mode (the kernel here has no netem). Built as build/tests/latency-proxy,
// not installed.
//
//   latency-proxy --to HOST:PORT [--rtt-ms N] [--port P] [--max-connections N]
//
// It listens on 127.0.0.1 (an ephemeral port unless --port is given), prints
// "listening on 127.0.0.1:PORT", and forwards every connection to HOST:PORT
// (a numeric IPv4 address), adding
//   * RTT/2 to every chunk of bytes, in each direction: chunks keep their
//     order and overlap in flight, as on a real link (bandwidth is not
//     limited);
//   * one RTT to each new connection (the TCP handshake): nothing the client
//     sends is delivered before one RTT after the accept.
// So an exchange costs one RTT, plus one on a new connection. The end of a
// stream (FIN) and a reset travel the same way, after the last bytes.
//
// It counts the connections opened and the peak open at once and prints
// "connections opened N, peak concurrent M" on SIGUSR1 (and keeps running)
// and at exit: SIGTERM or SIGINT close everything and exit 0.
//
// Bounded: at most --max-connections (default 1024) open at once, more are
// closed at once and counted as refused; at most 1 MiB waiting in each
// direction of a connection, beyond which it stops reading from the sender.
// One thread, epoll; a timer heap holds the chunks' delivery times.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <queue>
#include <string>
#include <string_view>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t kQueueLimit = 1 << 20;
constexpr size_t kReadSize = 64 * 1024;

enum class Mark { data, end, reset };  // bytes, a FIN, a reset or error

struct Chunk {
  Clock::time_point deliver_at;
  Mark mark;
  std::string bytes;
};

// Bytes from one socket (the source) to the other (the sink).
struct Direction {
  Clock::time_point not_before;  // the handshake: nothing delivered earlier
  std::deque<Chunk> queue;       // not yet due
  std::string unwritten;         // due, but the sink would block
  size_t queued_bytes = 0;       // in queue and unwritten
  bool source_done = false;      // FIN or error read from the source
  bool end_delivered = false;
};

struct Connection {
  uint64_t id = 0;
  int client = -1;
  int upstream = -1;
  bool connecting = true;  // upstream's non-blocking connect not finished
  Direction to_upstream, to_client;
  uint32_t client_events = 0, upstream_events = 0;  // registered with epoll (0: not)
};

struct Options {
  sockaddr_in to{};
  std::chrono::microseconds half_rtt{0};
  std::chrono::microseconds rtt{0};
  int port = 0;
  size_t max_connections = 1024;
};

struct Stats {
  uint64_t opened = 0, peak = 0, refused = 0;
};

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "latency-proxy: %s: %s\n", what.c_str(), std::strerror(errno));
  std::exit(1);
}

[[noreturn]] void usage(const std::string& problem) {
  std::fprintf(stderr,
               "latency-proxy: %s\nusage: latency-proxy --to HOST:PORT [--rtt-ms N] [--port P] "
               "[--max-connections N]\n",
               problem.c_str());
  std::exit(2);
}

Options parse_options(int argc, char** argv) {
  Options o;
  bool have_to = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (i + 1 >= argc) usage("missing value for " + std::string(arg));
    const std::string value = argv[++i];
    if (arg == "--to") {
      const size_t colon = value.rfind(':');
      o.to.sin_family = AF_INET;
      if (colon == std::string::npos ||
          inet_pton(AF_INET, value.substr(0, colon).c_str(), &o.to.sin_addr) != 1)
        usage("--to must be IPv4-ADDRESS:PORT, got " + value);
      o.to.sin_port = htons(static_cast<uint16_t>(std::atoi(value.c_str() + colon + 1)));
      have_to = true;
    } else if (arg == "--rtt-ms") {
      const double ms = std::atof(value.c_str());
      if (ms < 0) usage("--rtt-ms must not be negative");
      o.rtt = std::chrono::microseconds(static_cast<long>(ms * 1000));
      o.half_rtt = o.rtt / 2;
    } else if (arg == "--port") {
      o.port = std::atoi(value.c_str());
    } else if (arg == "--max-connections") {
      o.max_connections = static_cast<size_t>(std::atol(value.c_str()));
    } else {
      usage("unknown option " + std::string(arg));
    }
  }
  if (!have_to) usage("--to is required");
  return o;
}

class Proxy {
 public:
  explicit Proxy(Options options) : o_(options) {}

  void run() {
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_ < 0) die("epoll_create1");
    listen_on_loopback();
    watch_signals();
    std::vector<epoll_event> events(256);
    while (!stopping_) {
      const int n = wait_for_events(events);
      if (n < 0 && errno != EINTR) die("epoll_wait");
      for (int i = 0; i < n; ++i) dispatch(events[i]);
      run_due_timers();
    }
    while (!connections_.empty()) close_connection(connections_.begin()->second.get());
    print_stats();
  }

 private:
  // epoll's data: the connection id shifted left, and which socket.
  enum Role : uint64_t { kListener = 0, kSignals = 1, kClient = 2, kUpstream = 3 };

  void listen_on_loopback() {
    listener_ = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (listener_ < 0) die("socket");
    const int one = 1;
    setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(o_.port));
    if (bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0) die("bind");
    if (listen(listener_, 1024) < 0) die("listen");
    socklen_t len = sizeof addr;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    std::printf("listening on 127.0.0.1:%d\n", ntohs(addr.sin_port));
    std::fflush(stdout);
    add(listener_, EPOLLIN, kListener);
  }

  void watch_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, nullptr);
    signals_ = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (signals_ < 0) die("signalfd");
    add(signals_, EPOLLIN, kSignals);
  }

  void add(int fd, uint32_t events, uint64_t data) {
    epoll_event e{};
    e.events = events;
    e.data.u64 = data;
    if (epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &e) < 0) die("epoll_ctl add");
  }

  void dispatch(const epoll_event& e) {
    const uint64_t role = e.data.u64 & 3;
    if (role == kListener) return accept_all();
    if (role == kSignals) return read_signals();
    auto it = connections_.find(e.data.u64 >> 2);
    if (it == connections_.end()) return;  // closed earlier in this batch
    Connection* c = it->second.get();
    if (role == kUpstream && c->connecting) {
      if (!finish_connect(c)) return;
    }
    const bool is_client = role == kClient;
    if (e.events & EPOLLOUT) {
      Direction& out = is_client ? c->to_client : c->to_upstream;
      if (!write_out(c, out, is_client ? c->client : c->upstream)) return;
    }
    if (e.events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
      Direction& in = is_client ? c->to_upstream : c->to_client;
      if (!in.source_done) read_from(c, in, is_client ? c->client : c->upstream);
    }
    if (connections_.count(c->id)) update_interest(c);
  }

  void accept_all() {
    for (;;) {
      const int fd = accept4(listener_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) return;  // EAGAIN, or an aborted connection: nothing to do
      if (connections_.size() >= o_.max_connections) {
        ++stats_.refused;
        close(fd);
        continue;
      }
      const int up = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      if (up < 0) {
        close(fd);
        continue;
      }
      const int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      setsockopt(up, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      auto c = std::make_unique<Connection>();
      c->id = next_id_++;
      c->client = fd;
      c->upstream = up;
      c->to_upstream.not_before = Clock::now() + o_.rtt;
      if (connect(up, reinterpret_cast<const sockaddr*>(&o_.to), sizeof o_.to) < 0 &&
          errno != EINPROGRESS) {
        close(fd);
        close(up);
        continue;  // the client sees its connection closed, as if refused
      }
      c->client_events = EPOLLIN;
      c->upstream_events = EPOLLOUT;  // the connect's completion
      add(fd, c->client_events, c->id << 2 | kClient);
      add(up, c->upstream_events, c->id << 2 | kUpstream);
      ++stats_.opened;
      connections_.emplace(c->id, std::move(c));
      stats_.peak = std::max<uint64_t>(stats_.peak, connections_.size());
    }
  }

  bool finish_connect(Connection* c) {
    int error = 0;
    socklen_t len = sizeof error;
    getsockopt(c->upstream, SOL_SOCKET, SO_ERROR, &error, &len);
    if (error != 0) {
      close_connection(c);
      return false;
    }
    c->connecting = false;
    return flush(c, c->to_upstream, c->upstream);
  }

  // Reads what the source has now into `d`'s queue, due RTT/2 from now.
  void read_from(Connection* c, Direction& d, int fd) {
    char buffer[kReadSize];
    while (d.queued_bytes <= kQueueLimit) {
      const ssize_t n = read(fd, buffer, sizeof buffer);
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
      const auto at = std::max(Clock::now(), d.not_before) + o_.half_rtt;
      if (n <= 0) {
        d.source_done = true;
        d.queue.push_back({at, n == 0 ? Mark::end : Mark::reset, {}});
      } else {
        d.queue.push_back({at, Mark::data, std::string(buffer, static_cast<size_t>(n))});
        d.queued_bytes += static_cast<size_t>(n);
      }
      schedule(c, d, at);
      if (d.source_done) return;
    }
  }

  void schedule(Connection* c, Direction& d, Clock::time_point at) {
    const bool to_client = &d == &c->to_client;
    timers_.push({at, c->id << 1 | (to_client ? 1u : 0u)});
  }

  // Delivers every due chunk of `d` to `fd`. False when the connection closed.
  bool flush(Connection* c, Direction& d, int fd) {
    if (&d == &c->to_upstream && c->connecting) return true;
    const auto now = Clock::now();
    while (!d.queue.empty() && d.queue.front().deliver_at <= now && d.unwritten.empty()) {
      Chunk chunk = std::move(d.queue.front());
      d.queue.pop_front();
      if (chunk.mark == Mark::reset) {
        close_connection(c);
        return false;
      }
      if (chunk.mark == Mark::end) {
        shutdown(fd, SHUT_WR);
        d.end_delivered = true;
        if (c->to_client.end_delivered && c->to_upstream.end_delivered) {
          close_connection(c);
          return false;
        }
        continue;
      }
      d.unwritten = std::move(chunk.bytes);
      if (!write_out(c, d, fd)) return false;
    }
    return true;
  }

  // Writes d.unwritten, then what else is due. False when the connection closed.
  bool write_out(Connection* c, Direction& d, int fd) {
    while (!d.unwritten.empty()) {
      const ssize_t n = send(fd, d.unwritten.data(), d.unwritten.size(), MSG_NOSIGNAL);
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) return true;  // EPOLLOUT later
      if (n < 0) {
        close_connection(c);
        return false;
      }
      d.queued_bytes -= static_cast<size_t>(n);
      d.unwritten.erase(0, static_cast<size_t>(n));
    }
    return flush(c, d, fd);
  }

  // Reads while the direction has room and its source has not ended; writes
  // while something is due and the sink would block.
  void update_interest(Connection* c) {
    auto wanted = [](const Direction& in, const Direction& out) {
      uint32_t e = 0;
      if (!in.source_done && in.queued_bytes <= kQueueLimit) e |= EPOLLIN;
      if (!out.unwritten.empty()) e |= EPOLLOUT;
      return e;
    };
    const uint32_t client = wanted(c->to_upstream, c->to_client);
    const uint32_t upstream = c->connecting ? EPOLLOUT : wanted(c->to_client, c->to_upstream);
    modify(c->client, c->client_events, client, c->id << 2 | kClient);
    modify(c->upstream, c->upstream_events, upstream, c->id << 2 | kUpstream);
  }

  // A socket that wants nothing leaves epoll: it would otherwise report a
  // hang-up (EPOLLHUP) over and over, whatever it is registered for.
  void modify(int fd, uint32_t& registered, uint32_t wanted, uint64_t data) {
    if (registered == wanted) return;
    epoll_event e{};
    e.events = wanted;
    e.data.u64 = data;
    const int op = wanted == 0 ? EPOLL_CTL_DEL : registered == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
    epoll_ctl(epoll_, op, fd, &e);
    registered = wanted;
  }

  void run_due_timers() {
    const auto now = Clock::now();
    while (!timers_.empty() && timers_.top().at <= now) {
      const Timer t = timers_.top();
      timers_.pop();
      auto it = connections_.find(t.key >> 1);
      if (it == connections_.end()) continue;
      Connection* c = it->second.get();
      const bool to_client = t.key & 1;
      if (flush(c, to_client ? c->to_client : c->to_upstream, to_client ? c->client : c->upstream))
        update_interest(c);
    }
  }

  // Waits for events until the next chunk is due, to the microsecond
  // (epoll_pwait2; epoll_wait's milliseconds would add up to 1 ms per chunk).
  int wait_for_events(std::vector<epoll_event>& events) {
    const int size = static_cast<int>(events.size());
    if (timers_.empty()) return epoll_wait(epoll_, events.data(), size, -1);
    const auto wait = std::max(timers_.top().at - Clock::now(), Clock::duration::zero());
    if (have_pwait2_) {
      const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(wait).count();
      timespec timeout{static_cast<time_t>(ns / 1'000'000'000),
                       static_cast<long>(ns % 1'000'000'000)};
      const int n = epoll_pwait2(epoll_, events.data(), size, &timeout, nullptr);
      if (n >= 0 || errno != ENOSYS) return n;
      have_pwait2_ = false;
    }
    // Round up: waking early would only spin.
    return epoll_wait(epoll_, events.data(), size,
                      static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(wait).count()));
  }

  void close_connection(Connection* c) {
    close(c->client);
    close(c->upstream);
    connections_.erase(c->id);
  }

  void read_signals() {
    signalfd_siginfo info;
    while (read(signals_, &info, sizeof info) == sizeof info) {
      if (info.ssi_signo == SIGUSR1)
        print_stats();
      else
        stopping_ = true;
    }
  }

  void print_stats() const {
    std::printf("connections opened %llu, peak concurrent %llu", (unsigned long long)stats_.opened,
                (unsigned long long)stats_.peak);
    if (stats_.refused) std::printf(", refused %llu", (unsigned long long)stats_.refused);
    std::printf("\n");
    std::fflush(stdout);
  }

  struct Timer {
    Clock::time_point at;
    uint64_t key;  // connection id << 1 | (1: towards the client)
    bool operator>(const Timer& other) const { return at > other.at; }
  };

  Options o_;
  Stats stats_;
  int epoll_ = -1, listener_ = -1, signals_ = -1;
  bool stopping_ = false;
  bool have_pwait2_ = true;
  uint64_t next_id_ = 1;
  std::map<uint64_t, std::unique_ptr<Connection>> connections_;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<Timer>> timers_;
};

}  // namespace

int main(int argc, char** argv) {
  Proxy(parse_options(argc, argv)).run();
  return 0;
}
