#include "reports/junit_report.h"

#include <fmt/format.h>

#include <string_view>

#include "reports/console_report.h"
#include "reports/curl_command.h"
#include "reports/report_text.h"
#include "src/cases/model.h"
#include "src/engine/outcome.h"

namespace condspec {

namespace {

std::string seconds(std::chrono::microseconds us) {
  return fmt::format("{:.3f}", static_cast<double>(us.count()) / 1e6);
}

// Test identity across protocols: over HTTP/1.1 the classnames and suite
// names are what they were before condspec judged other protocols
// ("RFC9110.13.1.2", the URL), so dashboards that track tests keep their
// history; over HTTP/2 they start with the protocol ("h2.RFC9110.13.1.2",
// "h2c.condspec.target"), a package of their own in tree views, and the
// suite is named "URL (h2)".
std::string protocol_prefix(const TargetResult& target) {
  if (target.protocol == Protocol::http1_1) return "";
  return std::string(to_string(target.protocol)) + ".";
}

std::string suite_name(const TargetResult& target) {
  return target.protocol == Protocol::http1_1 ? target.url : target_label(target);
}

// What a reader of a failing test needs without rerunning anything.
std::string details(const TargetResult& target, const ScenarioResult& r,
                    const std::optional<CacheRunInfo>& cache) {
  std::string out = fmt::format("{} — {}\ntarget {}\n", r.scenario, r.title, target_label(target));
  if (r.known) {
    out += fmt::format("known failure (baseline): {}{}\n", r.known->reason,
                       r.known->expires.empty() ? "" : " (expires " + r.known->expires + ")");
  }
  if (!r.reason.empty()) out += fmt::format("reason: {}\n", r.reason);
  if (r.handling)
    out += fmt::format("handling: {}: {}\n", to_string(r.handling->kind), r.handling->detail);
  for (const CheckResult* c : broken_checks(r)) {
    out += fmt::format("{} {} ({}, {}): {}\n", to_string(c->outcome), c->requirement,
                       to_string(c->level), section_label(c->rfc, c->section), c->message);
    if (const auto hop = check_hop(*c); !hop.empty()) out += fmt::format("  hop      {}\n", hop);
    out += fmt::format("  expected {}\n  actual   {}\n", c->expected, c->actual);
  }
  out += next_step_text(target, r, cache);
  if (!r.exchanges.empty()) out += "\nexchanges:\n" + render_transcript(r.exchanges, "");
  return out;
}

// One line for the `message` attribute: the first broken requirement.
std::string headline(const ScenarioResult& r) {
  const auto broken = broken_checks(r);
  if (broken.empty()) return r.reason.empty() ? std::string(to_string(r.outcome)) : r.reason;
  const CheckResult& c = *broken.front();
  std::string line = fmt::format("{} ({}): expected {}, actual {}", c.requirement,
                                 to_string(c.level), c.expected, c.actual);
  if (broken.size() > 1) line += fmt::format(" (and {} more)", broken.size() - 1);
  return line;
}

struct Counts {
  int tests = 0, failures = 0, errors = 0, skipped = 0;
  std::chrono::microseconds time{0};
};

std::string testcase(const TargetResult& target, const ScenarioResult& r, FailOn fail_on,
                     const std::optional<CacheRunInfo>& cache, Counts& counts) {
  ++counts.tests;
  counts.time += r.elapsed;
  std::string out =
      fmt::format(R"(    <testcase name="{}" classname="{}RFC{}.{}" time="{}")",
                  escape_markup(r.scenario), protocol_prefix(target),
                  escape_markup(scenario_rfc(r)), escape_markup(r.section), seconds(r.elapsed));
  std::string body;
  if (r.known && (r.outcome == Outcome::fail || r.outcome == Outcome::warn)) {
    ++counts.skipped;
    body = fmt::format("      <skipped message=\"{}\"/>\n      <system-out>{}</system-out>\n",
                       escape_markup("known failure: " + r.known->reason),
                       escape_markup(details(target, r, cache)));
  } else if (breaks_gate(r, fail_on)) {
    ++counts.failures;
    body = fmt::format("      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                       to_string(r.outcome), escape_markup(headline(r)),
                       escape_markup(details(target, r, cache)));
  } else if (r.outcome == Outcome::error) {
    ++counts.errors;
    body = fmt::format("      <error type=\"error\" message=\"{}\">{}</error>\n",
                       escape_markup(r.reason.empty() ? headline(r) : r.reason),
                       escape_markup(details(target, r, cache)));
  } else if (r.outcome == Outcome::not_applicable) {
    ++counts.skipped;
    body = fmt::format("      <skipped message=\"{}\"/>\n", escape_markup(r.reason));
  } else if (r.outcome != Outcome::pass || r.handling) {
    // A warning the gate lets through, a MAY observation, or how a cache
    // handled a broken origin: a passing test that still says what was seen.
    body = fmt::format("      <system-out>{}</system-out>\n",
                       escape_markup(details(target, r, cache)));
  }
  if (body.empty()) return out + "/>\n";
  return out + ">\n" + body + "    </testcase>\n";
}

std::string testsuite(std::string_view name, const std::string& cases, const Counts& c) {
  return fmt::format(
      "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" "
      "time=\"{}\">\n{}  </testsuite>\n",
      escape_markup(name), c.tests, c.failures, c.errors, c.skipped, seconds(c.time), cases);
}

}  // namespace

std::string render_junit_report(const RunResult& run, FailOn fail_on) {
  std::string suites;
  Counts total;
  auto add = [&](const Counts& c) {
    total.tests += c.tests;
    total.failures += c.failures;
    total.errors += c.errors;
    total.skipped += c.skipped;
  };
  for (const auto& target : run.targets) {
    Counts counts;
    std::string cases;
    if (target.unusable) {
      ++counts.tests;
      ++counts.errors;
      cases += fmt::format(
          "    <testcase name=\"discovery\" classname=\"{}condspec.target\" time=\"0.000\">\n"
          "      <error type=\"unusable\" message=\"{}\">{}</error>\n    </testcase>\n",
          protocol_prefix(target), escape_markup(*target.unusable),
          escape_markup(*target.unusable + "\n\nexchanges:\n" +
                        render_transcript(target.discovery, "")));
    }
    for (const auto& r : target.results) cases += testcase(target, r, fail_on, run.cache, counts);
    add(counts);
    suites += testsuite(suite_name(target), cases, counts);
  }
  // An interrupted run must not look green in a dashboard that only counts
  // testcases: it gets an error testcase of its own.
  if (!run.complete) {
    Counts counts{1, 0, 1, 0, {}};
    add(counts);
    suites += testsuite(
        "condspec",
        "    <testcase name=\"run-complete\" classname=\"condspec.run\" time=\"0.000\">\n"
        "      <error type=\"interrupted\" message=\"the run was interrupted: these results are "
        "incomplete\"/>\n    </testcase>\n",
        counts);
  }
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<testsuites name=\"condspec\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" "
      "time=\"{}\">\n{}</testsuites>\n",
      total.tests, total.failures, total.errors, total.skipped, seconds(run.elapsed), suites);
}

}  // namespace condspec
