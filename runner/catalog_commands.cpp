// `condspec list`, `explain` and `lint`: everything that reads the cases
// without touching the network.

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "reports/curl_command.h"
#include "runner/cases_dir.h"
#include "runner/commands.h"
#include "runner/load_cases.h"
#include "runner/options.h"
#include "src/cases/checks/upstream_requests.h"
#include "src/cases/facts.h"
#include "src/cases/loader.h"
#include "src/cases/model.h"
#include "src/core/result.h"
#include "src/core/suggest.h"
#include "src/core/text.h"
#include "src/engine/gate.h"
#include "src/engine/outcome.h"
#include "src/engine/protocol_applicability.h"
#include "src/origin/reference_cache.h"
#include "src/origin/reference_origin.h"

namespace condspec {

namespace {

// What list and explain print, line by line through terminal_safe: case
// files may hold any text (titles, reasons), and none of it may reach the
// terminal as a control sequence.
std::string shown_lines(std::string_view text) {
  std::string out;
  for (auto line : split(text, '\n')) {
    if (!out.empty()) out += '\n';
    out += terminal_safe(line);
  }
  return out;
}

void explain_requirement(const Suite& suite, const Requirement& r, std::ostream& out) {
  out << fmt::format("{}  ({}, RFC {} §{})\n", r.id, to_string(r.level), r.rfc, r.section);
  out << fmt::format("  {}\n  {}\n", r.summary, r.link);
  if (!r.observable) {
    out << fmt::format("  Not observable from outside the server: {}\n", r.unobservable_reason);
    return;
  }
  out << fmt::format("  A broken check of this requirement is reported as {}.\n",
                     to_string(outcome_for_broken(r.level)));
  std::vector<std::string> judged_by;
  for (const auto& s : suite.scenarios)
    for (const auto& step : s.steps)
      for (const auto& e : step.expect)
        if (e.requirement == r.id &&
            std::find(judged_by.begin(), judged_by.end(), s.id) == judged_by.end())
          judged_by.push_back(s.id);
  if (judged_by.empty()) {
    out << "  No scenario judges it yet.\n";
  } else {
    out << "  Judged by:\n";
    for (const auto& id : judged_by)
      out << fmt::format("    {} — {}\n", id, suite.scenario(id)->title);
  }
}

// The step as a curl command to adapt: $URL (or $UNSAFE_URL, or the missing
// sibling of $URL that discovery uses) stands for the resource, and {{ ... }} for values of
// earlier steps. nullopt when curl cannot send it as the scenario does (a
// split header section, hand-made framing).
std::optional<std::string> step_as_curl(const Step& step) {
  const RequestSpec& request = step.request;
  if (!request.split_before.empty()) return std::nullopt;
  std::vector<std::string> words = {"curl", "-sS", "-i",
                                    request.version == "HTTP/1.0" ? "--http1.0" : "--http1.1"};
  if (request.method == "HEAD")
    words.emplace_back("--head");
  else if (request.method != "GET" || request.body)
    words.insert(words.end(), {"-X", shell_quote(request.method)});
  for (const auto& [name, value] : request.fields) {
    if (iequals(name, "Transfer-Encoding")) return std::nullopt;
    if (iequals(name, "Host") || iequals(name, "Content-Length")) continue;
    words.insert(words.end(), {"-H", shell_quote(name + ": " + value.source)});
  }
  if (request.body) words.insert(words.end(), {"--data-binary", shell_quote(request.body->source)});
  words.emplace_back(request.resource == Resource::target ? "\"$URL\""
                     : request.resource == Resource::unsafe
                         ? "\"$UNSAFE_URL\""
                         : "\"${URL%/*}/condspec-no-such-resource\"");
  return join(words, " ");
}

// Over which protocols the scenario is judged and, for the others, why not
// (protocols with the same reason together).
void explain_protocols(const Scenario& s, std::ostream& out) {
  std::vector<std::string_view> over;
  for (Protocol p : s.protocols) over.push_back(to_string(p));
  if (over.size() == kProtocols.size()) {
    out << fmt::format("\n  Protocols: judged over every protocol ({}).\n", fmt::join(over, ", "));
    return;
  }
  out << fmt::format("\n  Protocols: judged over {} only{}.\n", fmt::join(over, ", "),
                     s.protocols_stated ? " (protocols in its case file)" : "");
  std::vector<std::pair<std::string, std::vector<std::string_view>>> not_over;
  for (Protocol p : kProtocols) {
    if (applies_over(s, p)) continue;
    const std::string reason = not_over_reason(s, p);
    auto same = std::find_if(not_over.begin(), not_over.end(),
                             [&](const auto& entry) { return entry.first == reason; });
    if (same == not_over.end())
      not_over.push_back({reason, {to_string(p)}});
    else
      same->second.push_back(to_string(p));
  }
  for (const auto& [reason, protocols] : not_over)
    out << fmt::format("    Not over {}: {}.\n", fmt::join(protocols, ", "), reason);
}

// `handling:`: how the report tells what the cache did with the broken
// origin (docs/cache.md), beside the verdict.
void explain_handling(const HandlingSpec& h, std::ostream& out) {
  auto all = [](const std::vector<CheckSpec>& checks) {
    std::vector<std::string> described;
    for (const auto& check : checks) described.push_back(describe(check));
    return fmt::format("{}", fmt::join(described, "; "));
  };
  out << fmt::format(
      "\n  Handling (beside the verdict), from the response of step '{}':\n"
      "    repaired when {} (refetched when, after the origin's 304, the cache asked it again "
      "without conditionals)\n",
      h.step, all(h.repaired));
  if (!h.passed_through.empty())
    out << fmt::format("    passed-through when not, but {}\n", all(h.passed_through));
  out << "    damaged otherwise\n";
  if (!h.connection.empty())
    out << fmt::format(
        "    and says whether the cache sent the request of step '{}' upstream on the connection "
        "the origin's 304 of step '{}' came on\n",
        h.step, h.connection);
}

void explain_scenario(const Suite& suite, const Scenario& s, std::ostream& out) {
  out << fmt::format("{}  (§{}, {}:{})\n  {}\n", s.id, s.section, s.where.file, s.where.line,
                     s.title);
  if (!s.why.empty()) out << fmt::format("\n  Why: {}\n", s.why);
  if (!s.needs.empty()) {
    out << "\n  Runs only when the target:\n";
    for (const auto& need : s.needs) {
      const FactInfo* f = find_fact(need);
      out << fmt::format("    - {} ({})\n", f ? f->meaning : need, need);
    }
  }
  const bool cache_scenario = !s.steps.empty() && s.steps.front().origin.has_value();
  if (cache_scenario)  // its steps need the scripted origin behind the cache: curl alone cannot
    out << "\n  Run it: `condspec cache CACHE_URL --origin-listen HOST:PORT --select " + s.id +
               " --verbose`, the cache's upstream set to HOST:PORT, where condspec answers as "
               "the origin scripted below.\n";
  else
    out << "\n  Try it by hand: URL=https://your.server/path, then each step's curl command, "
           "with {{ step.etag }} (and the like) replaced by what that earlier step received; "
           "`condspec run URL --select " +
               s.id + " --verbose` does all of it.\n";
  explain_protocols(s, out);
  for (const auto& step : s.steps) {
    if (step.origin) {  // a cache scenario: the origin behind the cache answers by this script
      out << fmt::format("\n  From step '{}' on, the origin answers {}{}:\n", step.id,
                         step.origin->status,
                         step.origin->fault.empty() ? "" : " with fault " + step.origin->fault);
      for (const auto& [name, value] : step.origin->fields)
        out << fmt::format("      {}: {}\n", name, value.source);
      if (step.origin->not_modified_fields) {
        out << "    and its 304s carry exactly:\n";
        for (const auto& [name, value] : *step.origin->not_modified_fields)
          out << fmt::format("      {}: {}\n", name, value.source);
      }
    }
    if (step.pause_ms > 0)
      out << fmt::format("\n  Waits {} ms (for a stored response to go stale).\n", step.pause_ms);
    // The version is HTTP/1.1's own; over HTTP/2 a request names none.
    out << fmt::format("\n  Step '{}': {} {}{}\n", step.id, step.request.method,
                       step.request.resource == Resource::target ? "the URL under test"
                       : step.request.resource == Resource::unsafe
                           ? "the writable URL (--unsafe-url)"
                           : "a path that does not exist",
                       step.request.version == "HTTP/1.1" ? "" : " as " + step.request.version);
    for (const auto& [name, value] : step.request.fields)
      out << fmt::format("      {}: {}\n", name, value.source);
    if (!step.request.split_before.empty())
      out << fmt::format(
          "    sends the header section in two writes, {} ms apart, the second from {}\n",
          kSplitPauseMs, step.request.split_before);
    if (auto curl = step_as_curl(step)) out << fmt::format("    as curl: {}\n", *curl);
    if (!step.assume_status.empty())
      out << fmt::format("    goes on only if the status is {}\n",
                         fmt::join(step.assume_status, " or "));
    if (!step.assume_upstream_requests.empty())
      out << fmt::format("    goes on only if the origin received {} during the step\n",
                         upstream_count_text(step.assume_upstream_requests));
    if (step.assume_upstream_conditional)
      out << fmt::format("    goes on only if the cache {} a validation request\n",
                         *step.assume_upstream_conditional ? "sent" : "sent no");
    for (const auto& e : step.expect) {
      const Requirement* r = suite.requirement(e.requirement);
      out << fmt::format("    expects {}\n      because {} ({}, RFC {} §{}): {}\n",
                         describe(e.check), e.requirement, r ? to_string(r->level) : "?",
                         r ? r->rfc : "?", r ? r->section : "?", r ? r->summary : "");
    }
  }
  if (s.handling) explain_handling(*s.handling, out);
}

// The scenarios of `suite` with a check of requirement `id`, in suite order.
std::vector<std::string> scenarios_judging(const Suite& suite, const std::string& id) {
  std::vector<std::string> scenarios;
  for (const auto& s : suite.scenarios)
    for (const auto& step : s.steps)
      for (const auto& e : step.expect)
        if (e.requirement == id &&
            std::find(scenarios.begin(), scenarios.end(), s.id) == scenarios.end())
          scenarios.push_back(s.id);
  return scenarios;
}

// One row of a coverage table, counted into `observable` and `covered`.
void print_coverage_row(const Requirement& r, const std::vector<std::string>& scenarios,
                        const std::vector<std::string>& faults, int& observable, int& covered,
                        std::ostream& out) {
  std::string status;
  if (!r.observable) {
    status = "not observable: " + r.unobservable_reason;
  } else {
    ++observable;
    if (!scenarios.empty() && !faults.empty()) ++covered;
    status = fmt::format(
        "{} / {}",
        scenarios.empty() ? "NO SCENARIO" : fmt::format("{}", fmt::join(scenarios, ", ")),
        faults.empty() ? "NO FAULT" : fmt::format("{}", fmt::join(faults, ", ")));
  }
  out << fmt::format("{:<44} {:<10} {:<9} {}\n", r.id, to_string(r.level), r.section, status);
}

}  // namespace

// A requirement is covered when it is observable, some scenario judges it,
// and a fault of the reference origin breaks it (so those scenarios have been
// seen to fail; tests/fault_proof_test.cpp checks that they do).
void print_coverage(const Suite& suite, std::ostream& out) {
  int observable = 0, covered = 0;
  out << fmt::format("{:<44} {:<10} {:<9} {}\n", "requirement", "level", "section",
                     "scenarios / proving fault");
  for (const auto& r : suite.requirements) {
    const auto scenarios = scenarios_judging(suite, r.id);
    std::vector<std::string> faults;
    for (const auto& f : known_faults())
      if (f.requirement == r.id) faults.emplace_back(f.name);
    // A fault that necessarily breaks this row as well (its also_breaks)
    // proves it too: the fault proof requires it broken there.
    for (const auto& f : known_faults())
      if (f.also_breaks == r.id)
        faults.push_back(fmt::format("{} {}", f.name, f.also_breaks_where));
    print_coverage_row(r, scenarios, faults, observable, covered, out);
  }
  out << fmt::format(
      "{} requirements, {} observable, {} covered (judged by a scenario and proven "
      "by a fault)\n",
      suite.requirements.size(), observable, covered);
}

// The same for `condspec cache`: the rows of the cache catalog itself and
// the rows of the origin catalog that cache scenarios judge, each with the
// cache scenarios judging it and the fault of the reference cache that
// proves them (tests/cache_fault_proof_test.cpp checks that it does).
void print_cache_coverage(const Suite& origin_suite, const Suite& cache_suite, std::ostream& out) {
  int listed = 0, own = 0, observable = 0, covered = 0;
  out << fmt::format("{:<44} {:<10} {:<9} {}\n", "cache requirement", "level", "section",
                     "cache scenarios / proving fault of the reference cache");
  for (const auto& r : cache_suite.requirements) {
    const auto scenarios = scenarios_judging(cache_suite, r.id);
    const bool of_cache_catalog = origin_suite.requirement(r.id) == nullptr;
    if (!of_cache_catalog && scenarios.empty()) continue;  // the origin's alone
    ++listed;
    own += of_cache_catalog;
    std::vector<std::string> faults;
    for (const auto& f : known_cache_faults())
      if (f.breaks == r.id) faults.emplace_back(f.name);
    print_coverage_row(r, scenarios, faults, observable, covered, out);
  }
  out << fmt::format(
      "{} cache requirements ({} of the cache catalog, {} of the origin catalog judged at a "
      "cache), {} observable, {} covered (judged by a scenario and proven by a fault)\n",
      listed, own, listed - own, observable, covered);
}

namespace {

// The text of `condspec list`.
void list_suite(const Suite& suite, const ListOptions& options, std::ostream& out) {
  if (options.coverage) {
    print_coverage(suite, out);
    return;
  }
  if (options.scenarios) {
    std::string section;
    for (const auto& s : suite.scenarios) {
      if (s.section != section) {
        section = s.section;
        out << fmt::format("RFC {} §{}\n", s.rfc, section);
      }
      out << fmt::format("  {:<44} {}\n", s.id, s.title);
    }
    out << fmt::format("{} scenarios\n", suite.scenarios.size());
  }
  if (options.requirements) {
    if (options.scenarios) out << "\n";
    for (const auto& r : suite.requirements) {
      out << fmt::format("  {:<44} {:<10} {}{}\n", r.id, to_string(r.level), r.summary,
                         r.observable ? "" : " [not observable]");
    }
    out << fmt::format("{} requirements\n", suite.requirements.size());
  }
}

}  // namespace

int list_command(const ListOptions& options, std::ostream& out, std::ostream& err) {
  auto suite = load_cases(options.cases, err);
  if (!suite) return kExitUsage;
  std::ostringstream text;
  list_suite(*suite, options, text);
  // The cache catalog (`condspec cache`) lives in the shipped cases' cache/
  // folder, as for explain.
  if (options.coverage && !options.cases.no_default) {
    std::ostringstream quiet;
    if (auto cache_suite = load_cases({options.cases.dirs, false}, quiet, "cache")) {
      text << "\n";
      print_cache_coverage(*suite, *cache_suite, text);
    }
  }
  out << shown_lines(text.str());
  return kExitPassed;
}

int explain_command(const ExplainOptions& options, std::ostream& out, std::ostream& err) {
  auto suite = load_cases(options.cases, err);
  if (!suite) return kExitUsage;
  std::ostringstream text;
  if (const Scenario* s = suite->scenario(options.id)) {
    explain_scenario(*suite, *s, text);
    out << shown_lines(text.str());
    return kExitPassed;
  }
  if (const Requirement* r = suite->requirement(options.id)) {
    explain_requirement(*suite, *r, text);
    out << shown_lines(text.str());
    return kExitPassed;
  }
  std::vector<std::string> ids;
  for (const auto& s : suite->scenarios) ids.push_back(s.id);
  for (const auto& r : suite->requirements) ids.push_back(r.id);
  // The cache scenarios and their requirements (`condspec cache`) live in
  // the shipped cases' cache/ folder.
  if (!options.cases.no_default) {
    std::ostringstream quiet;
    auto cache_suite = load_cases({options.cases.dirs, false}, quiet, "cache");
    if (cache_suite) {
      if (const Scenario* s = cache_suite->scenario(options.id)) {
        explain_scenario(*cache_suite, *s, text);
        out << shown_lines(text.str());
        return kExitPassed;
      }
      if (const Requirement* r = cache_suite->requirement(options.id)) {
        explain_requirement(*cache_suite, *r, text);
        out << shown_lines(text.str());
        return kExitPassed;
      }
      for (const auto& s : cache_suite->scenarios) ids.push_back(s.id);
      for (const auto& r : cache_suite->requirements)
        if (!suite->requirement(r.id)) ids.push_back(r.id);
    }
  }
  const auto close = closest_names(options.id, ids);
  err << fmt::format("condspec: no scenario or requirement '{}'", options.id);
  if (!close.empty()) err << fmt::format("; did you mean {}?", did_you_mean(close));
  err << " (see `condspec list`)\n";
  return kExitUsage;
}

int lint_command(const LintOptions& options, std::ostream& out, std::ostream& err) {
  auto folders =
      cases_folders(options.cases.dirs, options.cases.no_default, options.cache ? "cache" : "");
  if (!folders) {
    err << "condspec: " << folders.error().message << "\n";
    return kExitUsage;
  }
  auto suite = load_suite(*folders);
  if (!suite) {
    err << render(suite.error()) << "\n";
    return kExitUsage;
  }
  out << fmt::format("{}: {} requirements, {} scenarios in {} files: no errors\n",
                     folders_text(*folders), suite->requirements.size(), suite->scenarios.size(),
                     suite->files.size());
  return kExitPassed;
}

}  // namespace condspec
