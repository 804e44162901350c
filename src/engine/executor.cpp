#include "src/engine/executor.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <variant>

#include "src/cases/template.h"
#include "src/core/result.h"
#include "src/core/text.h"
#include "src/engine/checks.h"
#include "src/engine/connection_pool.h"
#include "src/engine/discovery.h"
#include "src/engine/outcome.h"
#include "src/engine/protocol_applicability.h"
#include "src/http/fields.h"
#include "src/http/http_date.h"
#include "src/http/message.h"
#include "src/http/stray_bytes.h"
#include "src/http/transport.h"
#include "src/http/url.h"

namespace condspec {

std::optional<std::string> not_applicable_reason(const Scenario& scenario, const Facts& facts) {
  // Facts are listed from basic to derived (no Last-Modified before "does
  // not evaluate If-Modified-Since"), so the reason given is the root cause.
  for (const auto& fact : known_facts()) {
    const bool needed =
        std::find(scenario.needs.begin(), scenario.needs.end(), fact.name) != scenario.needs.end();
    if (!needed || facts.contains(fact.name)) continue;
    return std::string(root_missing_reason(fact, facts));
  }
  return std::nullopt;
}

namespace {

// Whether the step has a check of one of these kinds.
template <class... Checks>
bool has_check(const Step& step) {
  for (const auto& e : step.expect)
    if ((std::holds_alternative<Checks>(e.check) || ...)) return true;
  return false;
}

bool judges_responding(const Step& step) {
  return has_check<RespondsCheck>(step);
}

// Checks that judge the bytes after a response, which only a follow-up on
// the same connection (or its close) brings to light.
bool checks_bytes_after_response(const Step& step) {
  return has_check<NoContentCheck, ContentLengthExactCheck>(step);
}

}  // namespace

bool judges_the_connection(const Scenario& scenario) {
  for (const auto& step : scenario.steps) {
    if (judges_responding(step) || !step.request.split_before.empty() ||
        step.request.version != "HTTP/1.1")
      return true;
    for (const auto& [name, value] : step.request.fields)
      if (iequals(name, "Connection")) return true;
  }
  return false;
}

namespace {

class ScenarioRun {
 public:
  ScenarioRun(const Scenario& scenario, const ScenarioEnv& env, ScenarioResult& result)
      : scenario_(scenario), env_(env), result_(result) {
    // responses_ and exchanges_by_step_ (what templates and checks read)
    // point into the records, so they must never reallocate: at most one
    // follow-up per step.
    result_.exchanges.reserve(scenario.steps.size() * 2);
  }

  ~ScenarioRun() {
    // The bytes that already followed the last response on each connection.
    for (auto& [origin, connection] : connections_) {
      StrayBytes stray =
          env_.pool ? env_.pool->give_back(std::move(connection.transport), env_.target.client)
                    : connection.transport->close();
      if (connection.last) attach_stray(result_.exchanges[*connection.last].exchange, stray);
    }
  }

  void run() {
    for (const auto& step : scenario_.steps) {
      if (!run_step(step)) return;
    }
  }

 private:
  struct Connection {
    std::unique_ptr<Transport> transport;
    // The record of the last response on this connection: the stray bytes
    // the transport finds next (sending again, or closing) belong to it.
    std::optional<size_t> last;
  };

  Url url_for(Resource resource) const {
    switch (resource) {
      case Resource::target:
        return env_.target.url;
      case Resource::unsafe:
        return *env_.target.unsafe;  // guarded by needs: unsafe-url
      case Resource::missing:
        return missing_url(env_.target.url);
    }
    return env_.target.url;
  }

  Connection& connection_for(const Url& url) {
    auto it = connections_.find(url.origin());
    if (it == connections_.end()) {
      auto transport =
          env_.pool ? env_.pool->take(url, env_.target.client, judges_the_connection(scenario_))
                    : make_transport(url, env_.target.client);
      it = connections_.emplace(url.origin(), Connection{std::move(transport)}).first;
    }
    return it->second;
  }

  Exchange& send(const std::string& step_id, const Url& url, const Request& request,
                 bool follow_up) {
    Connection& c = connection_for(url);
    Sent sent = c.transport->send(request);
    if (c.last) attach_stray(result_.exchanges[*c.last].exchange, sent.stray_of_previous);
    result_.exchanges.push_back({step_id, url.str(), std::move(sent.exchange), follow_up});
    c.last = result_.exchanges.size() - 1;
    return result_.exchanges.back().exchange;
  }

  // The scenario cannot go on. What earlier steps already showed stays:
  // a failure seen before a later step broke off is still a failure.
  void end(Outcome outcome, std::string reason) {
    result_.outcome = worse(result_.outcome, outcome);
    result_.reason = std::move(reason);
  }

  // Returns false when the scenario cannot go on.
  bool run_step(const Step& step) {
    RenderContext context{responses_, env_.clock.now()};
    const Url url = url_for(step.request.resource);
    Request request;
    request.method = step.request.method;
    request.target = url.target;
    request.version = step.request.version;
    for (const auto& [name, value] : step.request.fields) {
      auto rendered = render(value, context);
      if (!rendered) {
        end(Outcome::not_applicable,
            fmt::format("step '{}': {}", step.id, rendered.error().message));
        return false;
      }
      request.fields.add(name, *rendered);
    }
    if (step.request.body) {
      auto rendered = render(*step.request.body, context);
      if (!rendered) {
        end(Outcome::not_applicable,
            fmt::format("step '{}': {}", step.id, rendered.error().message));
        return false;
      }
      request.body = *rendered;
    }
    add_extra_fields(request, env_.target.extra_fields);
    request.split_before = step.request.split_before;
    if (!request.split_before.empty())
      request.split_pause = std::chrono::milliseconds{kSplitPauseMs};

    Exchange& exchange = send(step.id, url, request, false);
    if (!exchange.ok() && exchange.closed_without_response && judges_responding(step)) {
      // The server dropped the request: that is the observation this step
      // is for, a verdict rather than an error. Nothing can follow it.
      exchanges_by_step_[step.id] = &exchange;
      judge(step, exchange, context);
      if (result_.reason.empty())
        result_.reason = fmt::format("step '{}': {}", step.id, exchange.error);
      return false;
    }
    if (!exchange.ok()) {
      end(Outcome::error, fmt::format("step '{}': {}", step.id, exchange.error));
      return false;
    }
    const Response& response = *exchange.response;
    if (!step.assume_status.empty() &&
        std::find(step.assume_status.begin(), step.assume_status.end(), response.status) ==
            step.assume_status.end()) {
      // A control step that does not hold means this target cannot show the
      // requirement (it is judged by another scenario); that is not a verdict.
      end(Outcome::not_applicable,
          fmt::format("step '{}' answered {}; the scenario needs {} to go on", step.id,
                      status_and_reason(response), fmt::join(step.assume_status, " or ")));
      return false;
    }
    if (step.assume_date && !date_is_assumed(step, response, context)) return false;
    // Over HTTP/2 the stream's end already settled it (stray_checked): no
    // follow-up needed.
    if (checks_bytes_after_response(step) && !exchange.stray_checked)
      prove_nothing_follows(step.id, url, exchange);

    responses_[step.id] = &response;
    exchanges_by_step_[step.id] = &exchange;
    judge(step, exchange, context);
    return true;
  }

  // assume.date: the response was generated in the given second. Ends the
  // scenario as not_applicable when it was not (or either date is missing).
  bool date_is_assumed(const Step& step, const Response& response, const RenderContext& context) {
    auto wanted = render(*step.assume_date, context);
    auto date = response.fields.combined("Date");
    const Seconds now = env_.clock.now();
    std::optional<Seconds> wanted_date, actual_date;
    if (wanted) wanted_date = parse_http_date(trim(*wanted), now);
    if (date) actual_date = parse_http_date(trim(*date), now);
    if (wanted_date && actual_date && *wanted_date == *actual_date) return true;
    end(Outcome::not_applicable,
        fmt::format("step '{}' has {}, not {}; the scenario needs that second", step.id,
                    date ? "Date " + printable(*date) : std::string("no Date"),
                    wanted ? printable(*wanted) : wanted.error().message));
    return false;
  }

  // Bytes after a response (content after a 304 or HEAD, or beyond its
  // Content-Length) show up only when the connection is used again (or
  // closed), so send a plain GET on the same connection. That proves the
  // framing without sleeping on every exchange.
  void prove_nothing_follows(const std::string& step_id, const Url& url, Exchange& exchange) {
    Connection& c = connection_for(url);
    if (exchange.response->connection_close) {
      attach_stray(exchange, c.transport->close(env_.target.client.deadline));
      c.last.reset();
      return;
    }
    Request follow;
    follow.target = url.target;
    add_extra_fields(follow, env_.target.extra_fields);
    send(step_id, url, follow, true);
  }

  void judge(const Step& step, const Exchange& exchange, const RenderContext& context) {
    CheckInput input{step.id, exchange, exchanges_by_step_, &context, env_.clock.now()};
    Outcome outcome = result_.outcome;
    for (const auto& expectation : step.expect) {
      const Requirement* requirement = env_.suite.requirement(expectation.requirement);
      if (!requirement) continue;  // the loader rejects unknown ids; never judge without a level
      CheckResult check = evaluate_check(expectation, *requirement, input);
      outcome = worse(outcome, check.outcome);
      result_.checks.push_back(std::move(check));
    }
    result_.outcome = outcome;
    if (outcome == Outcome::error && result_.reason.empty()) {
      for (const auto& c : result_.checks) {
        if (c.outcome == Outcome::error) {
          result_.reason = fmt::format("step '{}': {}", c.step, c.message);
          break;
        }
      }
    }
  }

  const Scenario& scenario_;
  const ScenarioEnv& env_;
  ScenarioResult& result_;
  std::map<std::string, Connection> connections_;
  std::map<std::string, const Response*, std::less<>> responses_;
  std::map<std::string, const Exchange*, std::less<>> exchanges_by_step_;
};

}  // namespace

ScenarioResult run_scenario(const Scenario& scenario, const ScenarioEnv& env) {
  ScenarioResult result;
  result.scenario = scenario.id;
  result.title = scenario.title;
  result.section = scenario.section;
  if (!applies_over(scenario, env.target.client.protocol)) {
    result.outcome = Outcome::not_applicable;
    result.reason = not_over_reason(scenario, env.target.client.protocol);
    return result;
  }
  if (auto reason = not_applicable_reason(scenario, env.facts)) {
    result.outcome = Outcome::not_applicable;
    result.reason = *reason;
    return result;
  }
  const auto started = std::chrono::steady_clock::now();
  {
    ScenarioRun run(scenario, env, result);
    run.run();
  }
  result.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started);
  return result;
}

}  // namespace condspec
