#include "src/engine/shared_requests.h"

#include <chrono>
#include <utility>
#include <variant>

#include "src/core/text.h"
#include "src/http/http2_request.h"
#include "src/http/wire_client.h"

namespace condspec {

std::optional<std::string_view> why_not_shared(const Scenario& scenario) {
  if (scenario.cache()) return "a cache scenario: a cache's state depends on the order of requests";
  if (scenario.unsafe()) return "it touches the writable URL or sends an unsafe method";
  for (const auto& step : scenario.steps) {
    if (step.pause_ms > 0) return "it pauses between steps";
    if (!step.request.split_before.empty()) return "it splits a header section";
    if (step.request.version != "HTTP/1.1") return "it sends another HTTP version";
    for (const auto& [name, value] : step.request.fields)
      if (iequals(name, "Connection")) return "it sends a Connection field";
    for (const auto& e : step.expect)
      if (std::holds_alternative<RespondsCheck>(e.check))
        return "it judges whether the server answers at all";
  }
  return std::nullopt;
}

std::optional<std::string_view> why_step_not_shared(const Step& step, const Request& request) {
  if (request.method != "GET" && request.method != "HEAD") return "not a GET or HEAD";
  if (step.request.resource == Resource::unsafe) return "it asks for the writable URL";
  // A response's dates judged against a second other steps set.
  if (step.assume_date || step.assume_last_modified) return "it assumes the response's dates";
  for (const auto& e : step.expect) {
    // What follows the response on its connection is the sender's to see
    // (a follow-up or its close), not a copy's.
    if (judges_bytes_after_response(e.check) ||
        std::holds_alternative<ContentLengthMatchesDataCheck>(e.check))
      return "it judges the bytes after its response";
    // A response sent earlier is older than the step's clock.
    if (std::holds_alternative<DateNearNowCheck>(e.check)) return "it judges Date against now";
  }
  return std::nullopt;
}

bool shareable_exchange(const Exchange& exchange) {
  if (!exchange.ok() || !exchange.error.empty() || exchange.closed_without_response ||
      exchange.first_write_bytes > 0)
    return false;
  const Response& response = *exchange.response;
  // Content that ran until the server closed may have been cut short
  // unseen; content not held cannot be judged again.
  return response.framing != Framing::close_delimited && response.framing_notes.empty() &&
         response.content_dropped == 0;
}

std::optional<std::string> request_identity(const Url& url, const Request& request,
                                            Protocol protocol) {
  if (protocol == Protocol::http1_1) return url.origin() + "\n" + http1_request_bytes(request, url);
  auto h2 = make_http2_request(request, url);
  if (!h2) return std::nullopt;
  return url.origin() + "\n" + h2->text;
}

std::string request_identity(const Url& url, const Exchange& exchange) {
  return url.origin() + "\n" + exchange.request_bytes;
}

SharedRequests::Claim SharedRequests::claim(const std::string& identity, std::string_view scenario,
                                            const Cancellation* cancel) {
  std::unique_lock lock(mutex_);
  auto [it, added] = entries_.try_emplace(identity);
  if (added) {
    it->second.shared.first_sent_by = scenario;
    return Claim{std::nullopt, true};
  }
  Entry& entry = it->second;
  // The sender holds its connection already and its exchange is bounded by
  // --timeout, so this wait ends. A signal sets `cancel` without notifying:
  // look again now and then.
  while (entry.state == State::in_flight && !(cancel && cancel->cancelled()))
    changed_.wait_for(lock, std::chrono::milliseconds(50));
  if (entry.state != State::shared || entry.shared.first_sent_by == scenario)
    return Claim{std::nullopt, false};
  ++reused_;
  return Claim{entry.shared, false};
}

void SharedRequests::sent(const std::string& identity, const Exchange& exchange) {
  std::lock_guard lock(mutex_);
  Entry& entry = entries_[identity];
  if (shareable_exchange(exchange)) {
    entry.state = State::shared;
    entry.shared.exchange = exchange;
  } else {
    entry.state = State::own;
  }
  changed_.notify_all();
}

void SharedRequests::offer(const std::string& identity, std::string_view sent_by,
                           const Exchange& exchange) {
  if (!shareable_exchange(exchange)) return;
  std::lock_guard lock(mutex_);
  auto [it, added] = entries_.try_emplace(identity);
  if (!added) return;  // the first is shared
  it->second.state = State::shared;
  it->second.shared = Shared{std::string(sent_by), exchange};
}

size_t SharedRequests::reused() const {
  std::lock_guard lock(mutex_);
  return reused_;
}

}  // namespace condspec
