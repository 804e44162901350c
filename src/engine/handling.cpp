// How a cache dealt with a broken origin: see handling.h.

#include "src/engine/handling.h"

#include <fmt/format.h>

#include <algorithm>

#include "src/cases/checks/check_spec.h"
#include "src/cases/checks/evidence.h"
#include "src/engine/cache_target.h"

namespace condspec {
namespace {

struct Judged {
  bool all_hold = true;
  std::vector<std::string> actual;         // of every check
  std::vector<std::string> broken_actual;  // of the checks that did not hold
};

Judged judge_all(const std::vector<CheckSpec>& checks, const CheckInput& in) {
  Judged out;
  for (const auto& check : checks) {
    Verdict verdict = judge(check, in);
    std::string actual = verdict.actual.empty() ? verdict.message : verdict.actual;
    // One line: a content preview may end in a line break.
    std::replace(actual.begin(), actual.end(), '\n', ' ');
    while (!actual.empty() && actual.back() == ' ') actual.pop_back();
    if (verdict.kind != Verdict::Kind::pass) {
      out.all_hold = false;
      if (std::find(out.broken_actual.begin(), out.broken_actual.end(), actual) ==
          out.broken_actual.end())
        out.broken_actual.push_back(actual);
    }
    if (std::find(out.actual.begin(), out.actual.end(), actual) == out.actual.end())
      out.actual.push_back(actual);
  }
  return out;
}

struct Refetch {
  std::string after;  // the step of the origin's 304
  std::string step;   // the step of the unconditional request after it
};

// The first request without conditionals after the origin's first 304.
std::optional<Refetch> refetch_of(const UpstreamByStep& upstream) {
  std::optional<std::string> not_modified_at;
  for (const auto& [step, exchanges] : upstream) {
    for (const auto& exchange : *exchanges) {
      if (not_modified_at && !is_validation(exchange.request))
        return Refetch{*not_modified_at, step};
      if (!not_modified_at && exchange.response.status == 304) not_modified_at = step;
    }
  }
  return std::nullopt;
}

// What the connection evidence says, as a clause; empty without `connection`.
// `reused` is set when the cache sent the step's request on that connection.
std::string connection_clause(const HandlingSpec& spec, const UpstreamByStep& upstream,
                              std::optional<bool>& reused) {
  int broken = 0;
  const std::vector<UpstreamExchange>* at_step = nullptr;
  for (const auto& [step, exchanges] : upstream) {
    if (step == spec.connection)
      for (const auto& exchange : *exchanges)
        if (exchange.response.status == 304) broken = exchange.connection;
    if (step == spec.step) at_step = exchanges;
  }
  if (broken == 0)
    return fmt::format("the connection of the origin's 304 at step '{}' is unknown",
                       spec.connection);
  if (!at_step || at_step->empty())
    return fmt::format("no request went upstream at step '{}'", spec.step);
  const int next = at_step->front().connection;
  if (next == 0) return fmt::format("the connection of step '{}' is unknown", spec.step);
  reused = next == broken;
  if (*reused)
    return fmt::format(
        "the cache sent the request of step '{}' on connection {}, the one the bytes after the "
        "origin's 304 came on",
        spec.step, next);
  return fmt::format(
      "connection not reused: the bytes after the origin's 304 came on connection {}, the "
      "request of step '{}' on connection {}",
      broken, spec.step, next);
}

}  // namespace

Handling find_handling(const HandlingSpec& spec, const CheckInput& judged,
                       const UpstreamByStep& upstream) {
  Handling out;
  out.step = spec.step;
  std::optional<bool> reused;
  const std::string connection =
      spec.connection.empty() ? "" : connection_clause(spec, upstream, reused);
  auto with_connection = [&](std::string detail) {
    if (connection.empty()) return detail;
    // "connection not reused" leads: it says what the rest is worth.
    if (reused == false) return connection + "; " + detail;
    return detail + "; " + connection;
  };
  if (!judged.exchange.response) {
    out.kind = HandlingKind::damaged;
    out.detail = with_connection(
        fmt::format("step '{}' got no response ({})", spec.step, judged.exchange.error));
    return out;
  }
  const Judged repaired = judge_all(spec.repaired, judged);
  if (repaired.all_hold) {
    const std::string got = fmt::format("step '{}' got {}", spec.step, join_and(repaired.actual));
    if (auto refetch = refetch_of(upstream)) {
      out.kind = HandlingKind::refetched;
      out.detail = with_connection(fmt::format(
          "after the origin's 304 at step '{}' the cache asked it again without conditionals at "
          "step '{}', and {}",
          refetch->after, refetch->step, got));
    } else {
      out.kind = HandlingKind::repaired;
      out.detail = with_connection(got);
    }
    return out;
  }
  // What was not repaired comes first: it is the broken thing passed on, or
  // the damage.
  std::vector<std::string> got = repaired.broken_actual;
  if (!spec.passed_through.empty()) {
    const Judged passed = judge_all(spec.passed_through, judged);
    if (passed.all_hold) {
      for (const auto& actual : passed.actual)
        if (std::find(got.begin(), got.end(), actual) == got.end()) got.push_back(actual);
      out.kind = HandlingKind::passed_through;
      out.detail = with_connection(fmt::format("step '{}' got {}", spec.step, join_and(got)));
      return out;
    }
    // What also kept it from being passed through: the rest of the damage.
    for (const auto& actual : passed.broken_actual)
      if (std::find(got.begin(), got.end(), actual) == got.end()) got.push_back(actual);
  }
  out.kind = HandlingKind::damaged;
  out.detail = with_connection(fmt::format("step '{}' got {}", spec.step, join_and(got)));
  return out;
}

}  // namespace condspec
