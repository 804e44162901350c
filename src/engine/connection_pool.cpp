#include "src/engine/connection_pool.h"

#include <fmt/format.h>

#include <utility>

namespace condspec {
namespace {

// Transports may be shared only between users that would speak the same:
// the protocol and every client option.
std::string pool_key(const Url& url, const ClientOptions& o) {
  return fmt::format("{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}", url.origin(), to_string(o.protocol),
                     o.connect_timeout.count(), o.deadline.count(), o.max_head_bytes,
                     o.max_content_bytes, o.verify_tls, o.ca_file);
}

}  // namespace

ConnectionPool::ConnectionPool(size_t per_origin) : per_origin_(std::max<size_t>(1, per_origin)) {}

ConnectionPool::~ConnectionPool() {
  for (auto& [origin, state] : origins_)
    for (auto& idle : state.idle) idle.transport->close();
}

std::unique_ptr<Transport> ConnectionPool::take(const Url& url, const ClientOptions& options,
                                                bool fresh) {
  const std::string key = pool_key(url, options);
  std::unique_ptr<Transport> evicted;
  std::unique_ptr<Transport> taken;
  {
    std::lock_guard lock(mutex_);
    PerOrigin& state = origins_[url.origin()];
    ++state.in_use;
    if (!fresh) {
      for (auto it = state.idle.rbegin(); it != state.idle.rend(); ++it) {
        if (it->key != key) continue;
        taken = std::move(it->transport);
        state.idle.erase(std::next(it).base());
        ++reused_;
        return taken;
      }
    }
    // A new connection: make room by closing the oldest idle one.
    if (state.in_use + state.idle.size() > per_origin_ && !state.idle.empty()) {
      evicted = std::move(state.idle.front().transport);
      state.idle.erase(state.idle.begin());
    }
  }
  // Its stray bytes belong to a finished scenario that already saw the
  // connection clean; closing it without waiting finds nothing conclusive.
  if (evicted) evicted->close();
  return make_transport(url, options);
}

StrayBytes ConnectionPool::give_back(std::unique_ptr<Transport> transport,
                                     const ClientOptions& options) {
  Transport::Released released = transport->release();
  const Url& url = transport->origin();
  std::lock_guard lock(mutex_);
  PerOrigin& state = origins_[url.origin()];
  if (state.in_use > 0) --state.in_use;
  if (released.kept_open && state.in_use + state.idle.size() < per_origin_)
    state.idle.push_back({pool_key(url, options), std::move(transport)});
  else if (released.kept_open)
    transport->close();
  return std::move(released.stray);
}

size_t ConnectionPool::reused() const {
  std::lock_guard lock(mutex_);
  return reused_;
}

}  // namespace condspec
