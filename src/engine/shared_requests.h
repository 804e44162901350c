#pragma once
// A request sent once per target: most scenarios begin with the same plain
// GET, and over a real network each repeat costs a round trip. Within one
// target of `condspec run`, a step whose request is byte for byte one that
// discovery or another scenario already sent (or is sending) uses that
// exchange instead of sending again: its response is what the server
// answers those bytes, and the step judges it as its own. The report shows
// it in every scenario that uses it, saying which one sent it
// (StepRecord::first_sent_by).
//
// Only where the verdict cannot depend on who sent it (shares_requests,
// step_may_share): safe methods on the target or the missing resource, in a
// scenario that does not judge the connection, pause or touch the writable
// URL; never a step judged on what follows its response on the connection
// or on its time; never twice the same request within one scenario (a
// scenario that repeats a request compares two answers). Never in
// `condspec cache` (a cache's state depends on the order of requests).
// Only an exchange that ended cleanly is shared; after one that did not,
// every step sends its own, as without sharing.

#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "src/cases/model.h"
#include "src/core/cancellation.h"
#include "src/http/message.h"
#include "src/http/protocol.h"
#include "src/http/url.h"

namespace condspec {

// What reports name as the sender of an exchange of discovery's.
inline constexpr std::string_view kSentByDiscovery = "discovery";

// Whether any step of the scenario may use another's exchange (or share its
// own); the reason it may not, if not.
std::optional<std::string_view> why_not_shared(const Scenario& scenario);
inline bool shares_requests(const Scenario& scenario) {
  return !why_not_shared(scenario);
}

// Whether this step of a scenario that shares may; the reason, if not.
std::optional<std::string_view> why_step_not_shared(const Step& step, const Request& request);
inline bool step_may_share(const Step& step, const Request& request) {
  return !why_step_not_shared(step, request);
}

// Whether an exchange ended cleanly enough to stand for another's: a whole
// response, framed by length, chunks, the end of its stream or none, with
// all its content.
bool shareable_exchange(const Exchange& exchange);

// The identity of a request: its origin and the exact bytes sent over
// `protocol` (over HTTP/2 the readable text of its HEADERS and DATA).
// None when the request cannot be said over it.
std::optional<std::string> request_identity(const Url& url, const Request& request,
                                            Protocol protocol);
// The same for an exchange already sent to `url`.
std::string request_identity(const Url& url, const Exchange& exchange);

class SharedRequests {
 public:
  struct Shared {
    std::string first_sent_by;  // scenario id, or kSentByDiscovery
    Exchange exchange;
  };
  // What a step does with its request.
  struct Claim {
    // Set: use this exchange. Unset: send the request; when `sender`, the
    // step must then call sent() (others wait on it).
    std::optional<Shared> shared;
    bool sender = false;
  };

  // A request with `identity` that `scenario` is about to send. Waits while
  // another sends it; gives up waiting when `cancel` is set.
  Claim claim(const std::string& identity, std::string_view scenario,
              const Cancellation* cancel = nullptr);
  // The sender's exchange: shared when it ended cleanly, else never shared.
  void sent(const std::string& identity, const Exchange& exchange);
  // An exchange sent before any scenario (discovery's), offered as is.
  void offer(const std::string& identity, std::string_view sent_by, const Exchange& exchange);

  // How many steps used another's exchange (for tests).
  size_t reused() const;

 private:
  enum class State { in_flight, shared, own };
  struct Entry {
    State state = State::in_flight;
    Shared shared;
  };

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, Entry, std::less<>> entries_;
  size_t reused_ = 0;
};

}  // namespace condspec
