#include "reports/console_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <type_traits>
#include <utility>

#include "reports/report_text.h"
#include "reports/wording.h"
#include "src/cases/model.h"
#include "src/core/natural_order.h"
#include "src/core/text.h"
#include "src/engine/outcome.h"
#include "src/http/frame_record.h"
#include "src/http/message.h"

namespace condspec {

namespace {

// Text condspec itself puts on the console, printed as it is: the color
// sequences. Nothing else is.
struct Own {
  std::string text;
};

// How one argument of a console line is shown: every piece of text (a
// server's, a case file's, ours) through terminal_safe, the one escaper of
// the console; Own text and numbers as they are.
template <class T>
auto shown(const T& value) {
  if constexpr (std::is_same_v<T, Own>)
    return std::string_view(value.text);
  else if constexpr (std::is_convertible_v<const T&, std::string_view>)
    return terminal_safe(value);
  else
    return value;
}

template <class T>
using Shown = decltype(shown(std::declval<const T&>()));

// The one way text is formatted for the console in this file, so no
// argument can reach the terminal unescaped.
template <class... Args>
std::string console_format(fmt::format_string<Shown<Args>...> format, const Args&... args) {
  return fmt::format(format, shown(args)...);
}

Own paint(std::string_view text, Outcome o, bool color) {
  if (!color) return Own{terminal_safe(text)};
  const char* code = o == Outcome::fail    ? "31"
                     : o == Outcome::warn  ? "33"
                     : o == Outcome::error ? "35"
                     : o == Outcome::pass  ? "32"
                                           : "36";
  return Own{fmt::format("\x1b[{}m{}\x1b[0m", code, terminal_safe(text))};
}

// `text` (already made printable) line by line, each line indented.
std::string indent_lines(std::string_view text, std::string_view indent) {
  std::string out;
  for (auto line : split(text, '\n')) {
    if (line.empty()) continue;
    out += console_format("{}{}\n", indent, line);
  }
  return out;
}

}  // namespace

std::string render_transcript(const std::vector<StepRecord>& exchanges, std::string_view indent) {
  std::string out;
  const std::string inner = std::string(indent) + "  ";
  for (const auto& record : exchanges) {
    out +=
        console_format("{}-- step {}{} → {}\n", indent, record.step, hop_note(record), record.url);
    out += indent_lines(printable(record.exchange.request_bytes), inner + "> ");
    const Exchange& ex = record.exchange;
    if (ex.response) {
      out += indent_lines(printable(ex.response->head), inner + "< ");
      if (ex.response->content_size() > 0)
        out += console_format("{}< [{} content bytes]\n", inner, ex.response->content_size());
    } else {
      out += console_format("{}! {}\n", inner, ex.error);
      if (!ex.received.empty()) out += indent_lines(printable(ex.received), inner + "< ");
    }
    if (!ex.stray_bytes.empty()) {
      out += console_format("{}! {} bytes after the end of this response:\n", inner,
                            ex.stray_bytes.size());
      out += indent_lines(printable_prefix(ex.stray_bytes, 512), inner + "< ");
    }
    // A framed protocol's evidence: its frames, in wire order (the first
    // ones; the JSON report has every frame kept).
    constexpr size_t kFramesShown = 64;
    for (size_t i = 0; i < ex.frames.size() && i < kFramesShown; ++i)
      out += console_format("{}= {}\n", inner, describe(ex.frames[i]));
    const size_t more =
        ex.frames.size() + ex.frames_dropped - std::min(ex.frames.size(), kFramesShown);
    if (more > 0) out += console_format("{}= ... and {} more frames\n", inner, more);
  }
  return out;
}

namespace {

// A scenario that did not pass: its line, the baseline's reason or the
// error, each broken check with its values, and with --verbose its exchanges.
std::string scenario_lines(const ScenarioResult& r, const ConsoleOptions& options) {
  std::string out =
      console_format("  {} {:<8} {} — {}\n", paint(outcome_column(r), r.outcome, options.color),
                     r.section, r.scenario, r.title);
  if (r.known) out += console_format("         known failure (baseline): {}\n", r.known->reason);
  if (r.outcome == Outcome::error) out += console_format("         {}\n", r.reason);
  for (const auto& c : r.checks) {
    if (c.outcome == Outcome::pass) continue;
    out += console_format("         {} {} ({}, {}): {}\n", outcome_column(c.outcome), c.requirement,
                          to_string(c.level), section_label(c.rfc, c.section), c.message);
    if (const auto hop = check_hop(c); !hop.empty())
      out += console_format("              hop      {}\n", hop);
    // Values come from the server: never let its bytes (ESC or C1
    // control sequences, say) reach the terminal raw.
    out += console_format("              expected {}\n              actual   {}\n", c.expected,
                          c.actual);
  }
  if (options.verbose) out += render_transcript(r.exchanges, "         ");
  return out;
}

// How a cache dealt with each broken origin (passing scenarios too: the
// handling is evidence beside the verdict, docs/cache.md).
std::string handling_lines(const TargetResult& target) {
  std::string out;
  for (const auto& r : target.results)
    if (r.handling)
      out += console_format("    {:<14} {}: {}\n", to_string(r.handling->kind), r.scenario,
                            r.handling->detail);
  if (out.empty()) return "";
  return "  broken origins, how the cache handled them:\n" + out;
}

// One target: its facts, every scenario that did not pass, the
// not-applicable ones by reason, how broken origins were handled, and its
// totals.
std::string target_section(const TargetResult& target, const ConsoleOptions& options) {
  std::string out = console_format("\ntarget {}\n", target_label(target));
  if (target.unusable) {
    out += console_format("  {} {}\n",
                          paint(outcome_column(Outcome::error), Outcome::error, options.color),
                          *target.unusable);
    return out + render_transcript(target.discovery, "      ");  // the evidence of why
  }
  const std::string facts = join(target.facts, " ");
  out += console_format("  facts: {}\n", facts.empty() ? "(none)" : facts);

  std::map<std::string, std::vector<std::string>> not_applicable;  // reason -> scenario ids
  for (const auto& r : target.results) {
    if (r.outcome == Outcome::pass) continue;
    if (r.outcome == Outcome::not_applicable) {
      not_applicable[r.reason].push_back(r.scenario);
      continue;
    }
    out += scenario_lines(r, options);
  }
  for (const auto& [reason, ids] : not_applicable) {
    out += console_format("  {} {}: {}\n", outcome_column(Outcome::not_applicable),
                          count_of(ids.size(), "scenario"), reason);
    // With --verbose, each by name, so that it can be `condspec explain`ed.
    if (options.verbose)
      for (const auto& id : ids) out += console_format("         {}\n", id);
  }
  out += handling_lines(target);
  // Counted as the totals are: a failure the baseline accepts is known.
  const Tally counts = tally(target);
  out += console_format("  {} pass, {} fail, {} warn, {} info, {}{} not applicable, {} error\n",
                        counts.pass, counts.fail, counts.warn, counts.info,
                        counts.known > 0 ? console_format("{} known, ", counts.known) : "",
                        counts.not_applicable, counts.error);
  return out;
}

size_t exchange_count(const RunResult& run) {
  size_t exchanges = 0;
  for (const auto& target : run.targets) {
    exchanges += target.discovery.size();
    for (const auto& r : target.results) exchanges += r.exchanges.size();
  }
  return exchanges;
}

// One line per broken requirement, across targets: what a CI log reader
// needs first.
std::string broken_requirements(const RunResult& run) {
  std::map<std::string, std::pair<const CheckResult*, int>, NaturalLess> broken;  // by section
  for (const auto& target : run.targets) {
    for (const auto& r : target.results) {
      if (r.known) continue;  // accepted by the baseline: not what CI must look at
      for (const auto& c : r.checks) {
        if (c.outcome != Outcome::fail && c.outcome != Outcome::warn) continue;
        auto& entry = broken[c.requirement];
        entry.first = &c;
        ++entry.second;
      }
    }
  }
  if (broken.empty()) return "";
  std::string out = "broken requirements:\n";
  for (const auto& [id, entry] : broken) {
    const CheckResult& c = *entry.first;
    out += console_format("  {} {} ({}, {}) in {} check{}\n", outcome_column(c.outcome), id,
                          to_string(c.level), section_label(c.rfc, c.section), entry.second,
                          entry.second == 1 ? "" : "s");
  }
  return out;
}

// The run's totals, its broken requirements, the baseline's notes and the
// gate verdict.
std::string run_summary(const RunResult& run, FailOn fail_on) {
  const Tally t = tally(run);
  std::string out = console_format(
      "\n{}: {} pass, {} fail, {} warn, {} info, {}{} not applicable, {} error ({}, {})\n",
      count_of(t.total(), "scenario run"), t.pass, t.fail, t.warn, t.info,
      t.known > 0 ? console_format("{} known, ", t.known) : "", t.not_applicable, t.error,
      count_of(exchange_count(run), "exchange"), duration_text(run.elapsed));
  if (run.shard_count > 0)
    out += console_format("shard {}/{}: only this shard's share of the scenarios\n",
                          run.shard_index, run.shard_count);
  out += broken_requirements(run);
  for (const auto& note : run.baseline_notes) out += console_format("{}\n", note);
  return out + console_format("{}\n", gate_summary(run, fail_on));
}

}  // namespace

std::string render_console_report(const RunResult& run, FailOn fail_on,
                                  const ConsoleOptions& options) {
  std::string out;
  for (const auto& target : run.targets) out += target_section(target, options);
  return out + run_summary(run, fail_on);
}

}  // namespace condspec
