#pragma once
// Kept-alive connections shared by the scenarios of a run, so that a
// scenario need not pay a new connection (one round trip, two with TLS)
// when another one just left a clean one to the same origin. It also bounds
// the connections open to one origin at once: in use and idle together, at
// most `per_origin` (--jobs), as a browser limits itself to six. Each
// scenario or discovery in flight holds at most one connection per origin
// and a run has --jobs of them in flight, so the connections in use never
// exceed it; the pool closes idle ones to make room for new ones.
//
// A connection goes back to the pool only when its transport says it is
// clean (Transport::release: kept alive, framed by length or chunks,
// nothing after it), and a scenario that judges the connection itself asks
// for a fresh one (executor.h). Idle connections are handed out last in,
// first out, so the most recently used, least likely timed out, goes first;
// a server that closed one meanwhile costs only a retry (wire_client.h).

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "src/http/transport.h"
#include "src/http/url.h"

namespace condspec {

class ConnectionPool {
 public:
  explicit ConnectionPool(size_t per_origin);
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // A transport to `url`'s origin spoken with `options`: an idle kept-alive
  // one unless `fresh`, else a new one (which connects on its first send).
  std::unique_ptr<Transport> take(const Url& url, const ClientOptions& options, bool fresh);

  // Done with a transport from take(): kept for the next taker when it is
  // clean, closed otherwise. Returns the stray bytes of its last response,
  // for the caller to attach (Transport::Released::stray).
  StrayBytes give_back(std::unique_ptr<Transport> transport, const ClientOptions& options);

  // How many connections were handed out idle, in all (for tests).
  size_t reused() const;

 private:
  struct Idle {
    std::string key;  // origin and options
    std::unique_ptr<Transport> transport;
  };
  struct PerOrigin {
    size_t in_use = 0;
    std::vector<Idle> idle;  // the most recent last
  };

  const size_t per_origin_;
  mutable std::mutex mutex_;
  std::map<std::string, PerOrigin> origins_;
  size_t reused_ = 0;
};

}  // namespace condspec
