#include "src/engine/executor.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utility>
#include <variant>

#include "src/cases/template.h"
#include "src/core/cancellation.h"
#include "src/core/result.h"
#include "src/core/text.h"
#include "src/engine/checks.h"
#include "src/engine/connection_pool.h"
#include "src/engine/discovery.h"
#include "src/engine/handling.h"
#include "src/engine/outcome.h"
#include "src/engine/protocol_applicability.h"
#include "src/engine/shared_requests.h"
#include "src/http/fields.h"
#include "src/http/http_date.h"
#include "src/http/message.h"
#include "src/http/stray_bytes.h"
#include "src/http/transport.h"
#include "src/http/upstream_exchange.h"
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

// Whether the step's checks, or those of the scenario's `handling:` at
// this step, judge the bytes after its response (judges_bytes_after_response).
bool checks_bytes_after_response(const Scenario& scenario, const Step& step) {
  for (const auto& e : step.expect)
    if (judges_bytes_after_response(e.check)) return true;
  if (!scenario.handling || scenario.handling->step != step.id) return false;
  for (const auto* list : {&scenario.handling->repaired, &scenario.handling->passed_through})
    for (const auto& check : *list)
      if (judges_bytes_after_response(check)) return true;
  return false;
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
  // In a cache run, `upstream` receives the records of what the cache sent
  // the origin, each step's after that step's own (see merge_upstream).
  ScenarioRun(const Scenario& scenario, const ScenarioEnv& env, ScenarioResult& result,
              std::vector<StepRecord>& upstream)
      : scenario_(scenario), env_(env), result_(result), upstream_records_(upstream) {
    if (cache()) resource_ = resource_name(*cache(), scenario.id);
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
    // After the stray bytes are known: a handling check may judge them.
    find_handling_of_scenario();
  }

  void run() {
    for (const auto& step : scenario_.steps) {
      if (!run_step(step)) return;
    }
  }

  // Whether the scenario ended because a response did not name the second
  // an assume.date or assume.last_modified wanted: the clock's luck, which
  // another attempt may not share.
  bool missed_a_second() const { return missed_a_second_; }

 private:
  struct Connection {
    std::unique_ptr<Transport> transport;
    // The record of the last response on this connection: the stray bytes
    // the transport finds next (sending again, or closing) belong to it.
    std::optional<size_t> last;
  };

  const CacheTarget* cache() const { return env_.target.cache ? &*env_.target.cache : nullptr; }

  Url url_for(Resource resource) const {
    switch (resource) {
      case Resource::target:
        if (cache()) return cache_url_for(env_.target.url, *cache(), resource_);
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

  // The step's request, or the exchange of an identical one already sent
  // for the target, when it may use that (shared_requests.h).
  Exchange& send_or_share(const Step& step, const Url& url, const Request& request) {
    std::optional<std::string> identity;
    if (env_.shared && shares_requests(scenario_))
      identity = request_identity(url, request, env_.target.client.protocol);
    // A scenario that repeats a request compares two answers: each is its own.
    const bool repeated = identity && !identities_.insert(*identity).second;
    if (!identity || repeated || !step_may_share(step, request))
      return send(step.id, url, request, false);
    auto claim = env_.shared->claim(*identity, scenario_.id, env_.target.client.cancel);
    if (claim.shared) {
      result_.exchanges.push_back({step.id, url.str(), std::move(claim.shared->exchange), false});
      result_.exchanges.back().first_sent_by = std::move(claim.shared->first_sent_by);
      return result_.exchanges.back().exchange;
    }
    if (!claim.sender) return send(step.id, url, request, false);
    try {
      Exchange& exchange = send(step.id, url, request, false);
      env_.shared->sent(*identity, exchange);
      return exchange;
    } catch (...) {
      env_.shared->sent(*identity, Exchange{});  // never leave the others waiting
      throw;
    }
  }

  // The scenario cannot go on. What earlier steps already showed stays:
  // a failure seen before a later step broke off is still a failure.
  void end(Outcome outcome, std::string reason) {
    result_.outcome = worse(result_.outcome, outcome);
    result_.reason = std::move(reason);
  }

  // Returns false when the scenario cannot go on.
  bool run_step(const Step& step) {
    if (step.pause_ms > 0 && !pause_unless_cancelled(env_.target.client.cancel,
                                                     std::chrono::milliseconds{step.pause_ms})) {
      // Left out of the run's results, as any scenario the signal cut short.
      end(Outcome::error, fmt::format("step '{}': interrupted", step.id));
      return false;
    }
    RenderContext context{responses_, env_.clock.now()};
    if (step.origin && !script_origin(step, context)) return false;
    const size_t upstream_before = cache() ? cache()->origin->received_count(resource_) : 0;
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

    Exchange& exchange = send_or_share(step, url, request);
    if (cache()) collect_upstream(step, upstream_before);
    if (scenario_.handling && scenario_.handling->step == step.id) handling_exchange_ = &exchange;
    if (!exchange.ok() && exchange.closed_without_response && judges_responding(step)) {
      // The server dropped the request: that is the observation this step
      // is for, a verdict rather than an error. Nothing can follow it.
      exchanges_by_step_[step.id] = &exchange;
      judge(step, exchange, context);
      if (result_.reason.empty())
        result_.reason = fmt::format("step '{}': {}", step.id, exchange.error);
      return false;
    }
    if (const Response* head = head_without_content(exchange);
        head && judges_head_alone(step, *head) && (!cache() || upstream_holds(step))) {
      // The head came whole, the content did not (Exchange::cut_short) or
      // is not the chunks the head announced (Exchange::undecodable): what
      // the head shows is judged, and the content checks say the content
      // cannot be. Nothing after this step can be, so the scenario ends in
      // error, unless the head or its framing broke a requirement.
      exchanges_by_step_[step.id] = &exchange;
      judge(step, exchange, context);
      end(Outcome::error, fmt::format("step '{}': {}", step.id, exchange.error));
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
    if (step.assume_date && !second_is_assumed(step, "Date", *step.assume_date, response, context))
      return false;
    if (step.assume_last_modified &&
        !second_is_assumed(step, "Last-Modified", *step.assume_last_modified, response, context))
      return false;
    if (cache() && !upstream_is_assumed(step)) return false;
    // Over HTTP/2 the stream's end already settled it (stray_checked): no
    // follow-up needed. In a cache run the follow-up asks for another
    // resource, so that it adds nothing to this one's upstream record.
    if (checks_bytes_after_response(scenario_, step) && !exchange.stray_checked)
      prove_nothing_follows(step.id, cache() ? follow_up_url() : url, exchange);

    responses_[step.id] = &response;
    exchanges_by_step_[step.id] = &exchange;
    judge(step, exchange, context);
    return true;
  }

  // The head of a failed exchange that can still be judged: one whose
  // content was cut short or cannot be decoded.
  static const Response* head_without_content(const Exchange& exchange) {
    if (exchange.ok()) return nullptr;
    if (exchange.cut_short) return &*exchange.cut_short;
    if (exchange.undecodable) return &*exchange.undecodable;
    return nullptr;
  }

  // A step whose response was cut short is judged on its head only when
  // the head satisfies what the step assumes (its status; a step that
  // assumes dates is not judged on a broken response).
  static bool judges_head_alone(const Step& step, const Response& head) {
    if (step.assume_date || step.assume_last_modified) return false;
    return step.assume_status.empty() ||
           std::find(step.assume_status.begin(), step.assume_status.end(), head.status) !=
               step.assume_status.end();
  }

  // assume.date and assume.last_modified: the response's field names the
  // given second. Ends the scenario as not_applicable when it does not (or
  // either date is missing), in the scenario's words when it has some.
  bool second_is_assumed(const Step& step, std::string_view field, const Template& second,
                         const Response& response, const RenderContext& context) {
    auto wanted = render(second, context);
    auto value = response.fields.combined(field);
    const Seconds now = env_.clock.now();
    std::optional<Seconds> wanted_date, actual_date;
    if (wanted) wanted_date = parse_http_date(trim(*wanted), now);
    if (value) actual_date = parse_http_date(trim(*value), now);
    if (wanted_date && actual_date && *wanted_date == *actual_date) return true;
    const std::string seen = fmt::format(
        "step '{}' has {}, not {}", step.id,
        value ? fmt::format("{} {}", field, printable(*value)) : fmt::format("no {}", field),
        wanted ? printable(*wanted) : wanted.error().message);
    end(Outcome::not_applicable, step.assume_reason.empty()
                                     ? seen + "; the scenario needs that second"
                                     : fmt::format("{}: {}", seen, step.assume_reason));
    missed_a_second_ = true;
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

  // --- cache runs ---

  // The origin answers the scenario's resource by the step's script from
  // now on. False (the scenario ends) when it cannot be rendered or used.
  bool script_origin(const Step& step, const RenderContext& context) {
    const OriginSpec& spec = *step.origin;
    OriginScript script;
    script.status = spec.status;
    script.fault = spec.fault;
    auto rendered = [&](const Template& t) -> std::optional<std::string> {
      auto text = render(t, context);
      if (text) return *text;
      end(Outcome::not_applicable, fmt::format("step '{}': {}", step.id, text.error().message));
      return std::nullopt;
    };
    for (const auto& [name, value] : spec.fields) {
      auto text = rendered(value);
      if (!text) return false;
      script.fields.add(name, *text);
    }
    if (spec.not_modified_fields) {
      script.not_modified_fields.emplace();
      for (const auto& [name, value] : *spec.not_modified_fields) {
        auto text = rendered(value);
        if (!text) return false;
        script.not_modified_fields->add(name, *text);
      }
    }
    if (spec.body) {
      auto text = rendered(*spec.body);
      if (!text) return false;
      script.content = *text;
    } else {
      script.content = fmt::format("condspec cache scenario {}\n", scenario_.id);
    }
    auto scripted = cache()->origin->script(resource_, std::move(script));
    if (!scripted) {
      end(Outcome::error, fmt::format("step '{}': the origin cannot answer by this script: {}",
                                      step.id, scripted.error().message));
      return false;
    }
    return true;
  }

  // What went upstream for the resource since `before`, once the cache has
  // had `settle` to send what it sends after answering.
  void collect_upstream(const Step& step, size_t before) {
    // Cut short by a cancellation, what arrived so far is kept; the
    // scenario is then left out of the results anyway.
    pause_unless_cancelled(env_.target.client.cancel, cache()->settle);
    auto received = cache()->origin->received(resource_, before);
    const std::string base = cache()->origin->base_url();
    for (const auto& upstream : received) {
      StepRecord record{step.id, base + upstream.request.target, {}, false, Hop::upstream};
      record.exchange.request_bytes = request_text(upstream.request);
      record.exchange.response = upstream.response;
      record.exchange.stray_checked = true;  // the origin wrote it: nothing follows
      record.connection = upstream.connection;
      upstream_records_.push_back(std::move(record));
    }
    upstream_by_step_[step.id] = std::move(received);
  }

  // assume.upstream_requests and assume.upstream_conditional. Ends the
  // scenario as not_applicable when they do not hold.
  bool upstream_is_assumed(const Step& step) {
    if (auto mismatch = upstream_mismatch(step)) {
      end(Outcome::not_applicable, std::move(*mismatch));
      return false;
    }
    return true;
  }

  // Whether what went upstream is what the step assumes, without ending the
  // scenario: a broken response is judged only when it is (and is an error
  // otherwise, as any failed exchange).
  bool upstream_holds(const Step& step) { return !upstream_mismatch(step); }

  // Why what went upstream during the step is not what it assumes; nullopt
  // when it is.
  std::optional<std::string> upstream_mismatch(const Step& step) {
    const auto& seen = upstream_by_step_[step.id];
    const int count = static_cast<int>(seen.size());
    const auto& wanted = step.assume_upstream_requests;
    if (!wanted.empty() && std::find(wanted.begin(), wanted.end(), count) == wanted.end()) {
      const bool wanted_store = std::find(wanted.begin(), wanted.end(), 0) != wanted.end();
      return fmt::format(
          "step '{}': the origin received {} during the step{}; the scenario needs {} to go on",
          step.id, upstream_count_text({count}),
          count == 0     ? " (the cache answered from its store)"
          : wanted_store ? " (the cache did not answer from its store)"
                         : "",
          upstream_count_text(wanted));
    }
    if (step.assume_upstream_conditional) {
      const bool validated = std::any_of(seen.begin(), seen.end(), [](const auto& upstream) {
        return is_validation(upstream.request);
      });
      if (validated != *step.assume_upstream_conditional) {
        return validated ? fmt::format(
                               "step '{}': the cache sent a validation request; the "
                               "scenario needs it to send none to go on",
                               step.id)
                         : fmt::format(
                               "step '{}': the cache sent no validation request "
                               "(neither If-None-Match nor If-Modified-Since went "
                               "upstream); the scenario needs one to go on",
                               step.id);
      }
    }
    return std::nullopt;
  }

  Url follow_up_url() const {
    return cache_url_for(env_.target.url, *cache(), resource_ + "/follow-up");
  }

  void judge(const Step& step, const Exchange& exchange, const RenderContext& context) {
    CheckInput input{step.id, exchange, exchanges_by_step_, &context, env_.clock.now()};
    if (cache()) input.upstream = &upstream_by_step_[step.id];
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

  // `handling:`: once its step got an answer (or none), unless the scenario
  // stopped short of judging it (not applicable, interrupted).
  void find_handling_of_scenario() {
    if (!scenario_.handling || !handling_exchange_ || !cache()) return;
    if (result_.outcome == Outcome::not_applicable) return;
    const HandlingSpec& spec = *scenario_.handling;
    UpstreamByStep upstream;
    for (const auto& step : scenario_.steps) {
      auto it = upstream_by_step_.find(step.id);
      if (it == upstream_by_step_.end()) break;
      upstream.emplace_back(step.id, &it->second);
      if (step.id == spec.step) break;
    }
    RenderContext context{responses_, env_.clock.now()};
    CheckInput input{spec.step, *handling_exchange_, exchanges_by_step_, &context,
                     env_.clock.now()};
    input.upstream = &upstream_by_step_[spec.step];
    result_.handling = find_handling(spec, input, upstream);
  }

  const Scenario& scenario_;
  const ScenarioEnv& env_;
  const Exchange* handling_exchange_ = nullptr;
  ScenarioResult& result_;
  std::map<std::string, Connection> connections_;
  // The requests this scenario sent or used, by request_identity.
  std::set<std::string> identities_;
  std::map<std::string, const Response*, std::less<>> responses_;
  std::map<std::string, const Exchange*, std::less<>> exchanges_by_step_;
  // Cache runs: the scenario's resource at the origin, and what went
  // upstream for it, by step (map nodes stay put: checks point into them).
  std::string resource_;
  std::vector<StepRecord>& upstream_records_;
  std::map<std::string, std::vector<UpstreamExchange>, std::less<>> upstream_by_step_;
  bool missed_a_second_ = false;
};

// Each step's upstream records right after that step's own exchanges, so a
// report reads them in the order they happened.
void merge_upstream(std::vector<StepRecord>& exchanges, std::vector<StepRecord> upstream) {
  for (auto& record : upstream) {
    auto last_of_step = std::find_if(exchanges.rbegin(), exchanges.rend(),
                                     [&](const auto& r) { return r.step == record.step; });
    if (last_of_step == exchanges.rend())
      exchanges.push_back(std::move(record));
    else
      exchanges.insert(last_of_step.base(), std::move(record));
  }
}

// How many times a scenario that missed its second is run in all.
constexpr int kAttemptsForOneSecond = 3;

}  // namespace

ScenarioResult run_scenario(const Scenario& scenario, const ScenarioEnv& env) {
  ScenarioResult result;
  result.scenario = scenario.id;
  result.title = scenario.title;
  result.section = scenario.section;
  result.rfc = scenario.rfc;
  if (!applies_over(scenario, env.target.client.protocol)) {
    result.outcome = Outcome::not_applicable;
    result.reason = not_over_reason(scenario, env.target.client.protocol);
    return result;
  }
  if (scenario.cache() != env.target.cache.has_value()) {
    result.outcome = Outcome::not_applicable;
    result.reason = scenario.cache()
                        ? "a cache scenario: it runs only with `condspec cache`, against a cache"
                        : "not a cache scenario: `condspec cache` runs only the cache scenarios";
    return result;
  }
  if (auto reason = not_applicable_reason(scenario, env.facts)) {
    result.outcome = Outcome::not_applicable;
    result.reason = *reason;
    return result;
  }
  const auto started = std::chrono::steady_clock::now();
  std::vector<StepRecord> upstream;
  std::vector<StepRecord> missed;  // the exchanges of earlier attempts
  // A scenario that needs two answers within one second (assume.date,
  // assume.last_modified) misses it by chance whenever a second ends between
  // them, about one round trip in a second's worth. It runs again from its
  // first step, a bounded number of times, while an attempt takes under a
  // second: over a slower link no attempt could land them in one. The last
  // attempt is judged, on its own exchanges; those of the earlier ones come
  // first in the report, marked, since they were sent. Not in a cache run
  // (below).
  const ScenarioResult not_yet_run = result;
  for (int attempt = 1;; ++attempt) {
    const auto attempt_started = std::chrono::steady_clock::now();
    result = not_yet_run;
    upstream.clear();
    bool missed_a_second = false;
    {
      ScenarioRun run(scenario, env, result, upstream);
      run.run();
      missed_a_second = run.missed_a_second();
    }
    // A cache keeps what the first attempt stored, so a second attempt
    // would not start where the first did.
    if (!missed_a_second || scenario.cache()) break;
    if (attempt == kAttemptsForOneSecond ||
        std::chrono::steady_clock::now() - attempt_started >= std::chrono::seconds{1}) {
      if (attempt > 1) result.reason += fmt::format(" (so in each of {} attempts)", attempt);
      break;
    }
    for (auto& record : result.exchanges) {
      record.missed_attempt = attempt;
      missed.push_back(std::move(record));
    }
  }
  merge_upstream(result.exchanges, std::move(upstream));
  result.exchanges.insert(result.exchanges.begin(), std::make_move_iterator(missed.begin()),
                          std::make_move_iterator(missed.end()));
  result.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started);
  return result;
}

}  // namespace condspec
