#include "reports/markdown_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "reports/curl_command.h"
#include "reports/report_text.h"
#include "reports/wording.h"
#include "src/cases/model.h"
#include "src/core/natural_order.h"
#include "src/core/text.h"
#include "src/engine/outcome.h"

namespace condspec {

namespace {

// A link target (the URL in [text](URL)) that cannot end the link or the
// table cell early: anything but letters, digits and the URL punctuation of
// section links is percent-encoded.
std::string link_target(std::string_view url) {
  std::string out;
  for (char c : url) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || std::string_view("-._~:/#?=&%").find(c) != std::string_view::npos)
      out += c;
    else
      out += fmt::format("%{:02X}", byte);
  }
  return out;
}

// RFC and section numbers as they are (digits and dots need no escaping, and
// read better without it); anything else escaped as in a cell.
std::string number_text(std::string_view text) {
  const bool plain = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
  });
  return plain ? std::string(text) : escape_markdown_cell(text);
}

std::string verdict_line(const RunResult& run, FailOn fail_on) {
  const int code = exit_code(run, fail_on);
  const char* mark = code == kExitPassed ? "✅" : code == kExitGateFailed ? "❌" : "⚠️";
  return fmt::format("## {} condspec: {}\n", mark, gate_summary(run, fail_on));
}

// (rfc, section) pairs by number: RFC 9110 §2.3 before §13.1.2.
struct SectionLess {
  bool operator()(const std::pair<std::string, std::string>& a,
                  const std::pair<std::string, std::string>& b) const {
    if (a.first != b.first) return natural_less(a.first, b.first);
    return natural_less(a.second, b.second);
  }
};

struct Row {
  const TargetResult* target;
  const ScenarioResult* result;
  const CheckResult* check;  // null for an error without a broken check
};

// For each failure (not the known ones): the command that explains it and
// the one that sends its failing request again.
std::string next_steps_section(const RunResult& run) {
  std::string out;
  for (const auto& target : run.targets) {
    for (const auto& r : target.results) {
      if (r.known ||
          (r.outcome != Outcome::fail && r.outcome != Outcome::warn && r.outcome != Outcome::error))
        continue;
      // Each command escaped as any other text (it carries values from the
      // server, e.g. the ETag): it renders as itself, ready to copy.
      out += fmt::format("- {} {} on {}:\n", outcome_word(r), escape_markdown_cell(r.scenario),
                         escape_markdown_cell(target_label(target)));
      const std::string steps =
          next_step_text(target, r, run.cache);  // split() returns views into it
      for (auto line : split(steps, '\n'))
        if (!line.empty()) out += "  - " + escape_markdown_cell(line) + "\n";
    }
  }
  if (out.empty()) return "";
  return "\n### Next steps\n\n" + out;
}

// Every not-applicable scenario by name, grouped by reason (and target,
// when there are several), folded away: so that each can be `condspec
// explain`ed, without burying the failures.
std::string not_applicable_section(const RunResult& run) {
  const bool several_targets = run.targets.size() > 1;
  size_t count = 0;
  std::string lines;
  for (const auto& target : run.targets) {
    std::map<std::string, std::vector<std::string>> by_reason;  // reason -> scenario ids
    for (const auto& r : target.results) {
      if (r.outcome != Outcome::not_applicable) continue;
      ++count;
      by_reason[r.reason].push_back(escape_markdown_cell(r.scenario));
    }
    const std::string on =
        several_targets ? " on " + escape_markdown_cell(target_label(target)) : "";
    for (const auto& [reason, ids] : by_reason)
      lines += fmt::format("- {}{}: {}\n", escape_markdown_cell(reason), on, join(ids, ", "));
  }
  if (count == 0) return "";
  return fmt::format(
      "\n<details><summary>{} not applicable (<code>condspec explain ID</code> says what "
      "each needs)</summary>\n\n{}\n</details>\n",
      count_of(count, "scenario run"), lines);
}

// How a cache dealt with each broken origin (docs/cache.md): a table of
// every scenario with a handling, passing ones too.
std::string handling_section(const RunResult& run) {
  const bool several_targets = run.targets.size() > 1;
  std::string rows;
  for (const auto& target : run.targets)
    for (const auto& r : target.results)
      if (r.handling)
        rows += fmt::format(
            "| {} | {} | {} |{}\n", escape_markdown_cell(r.scenario), to_string(r.handling->kind),
            escape_markdown_cell(r.handling->detail),
            several_targets ? " " + escape_markdown_cell(target_label(target)) + " |" : "");
  if (rows.empty()) return "";
  return fmt::format(
      "\n### Broken origins: how the cache handled them\n\n| scenario | handling | evidence |{}\n"
      "|---|---|---|{}\n{}",
      several_targets ? " target |" : "", several_targets ? "---|" : "", rows);
}

// The rows of each section's table, sections in number order.
using SectionRows = std::map<std::pair<std::string, std::string>, std::vector<Row>, SectionLess>;

// Checks held and broken per requirement level: how much of each level held.
using LevelCounts = std::map<Level, std::pair<int, int>>;  // held, broken

std::string header_text(const RunResult& run, FailOn fail_on) {
  std::string out = verdict_line(run, fail_on) + "\n";
  if (!run.complete) out += "**The run was interrupted: these results are incomplete.**\n\n";
  if (run.shard_count > 0)
    out += fmt::format("Shard {} of {}: only this shard's share of the scenarios.\n\n",
                       run.shard_index, run.shard_count);
  return out;
}

std::string totals_table(const Tally& t) {
  std::string out = "| pass | fail | warn | info | known | not applicable | error |\n";
  out += "|---:|---:|---:|---:|---:|---:|---:|\n";
  out += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n\n", t.pass, t.fail, t.warn, t.info,
                     t.known, t.not_applicable, t.error);
  return out;
}

LevelCounts level_counts(const RunResult& run) {
  LevelCounts levels;
  for (const auto& target : run.targets)
    for (const auto& r : target.results)
      for (const auto& c : r.checks) {
        auto& [held, broken] = levels[c.level];
        (c.outcome == Outcome::pass ? held : broken)++;
      }
  return levels;
}

// Each scenario that did not pass, under the (rfc, section) of each broken
// check, or of the scenario itself when no check broke (an error).
SectionRows rows_by_section(const RunResult& run) {
  SectionRows sections;
  for (const auto& target : run.targets) {
    for (const auto& r : target.results) {
      if (r.outcome == Outcome::pass || r.outcome == Outcome::not_applicable) continue;
      const auto broken = broken_checks(r);
      if (broken.empty()) {
        sections[{scenario_rfc(r), r.section}].push_back({&target, &r, nullptr});
        continue;
      }
      for (const CheckResult* c : broken)
        sections[{c->rfc, c->section}].push_back({&target, &r, c});
    }
  }
  return sections;
}

std::string levels_table(const LevelCounts& levels) {
  std::string out = "| level | checks held | checks broken |\n|---|---:|---:|\n";
  for (const auto& [level, counts] : levels)
    out += fmt::format("| {} | {} | {} |\n", to_string(level), counts.first, counts.second);
  return out + "\n";
}

std::string unusable_targets(const RunResult& run) {
  std::string out;
  for (const auto& target : run.targets)
    if (target.unusable)
      out += fmt::format("- ⚠️ target {} could not be used: {}\n",
                         escape_markdown_cell(target_label(target)),
                         escape_markdown_cell(*target.unusable));
  return out;
}

// The columns of the section tables. A run over HTTP/1.1 alone keeps the
// columns it always had; a protocol column appears as soon as another
// protocol was judged.
struct Columns {
  bool target = false;
  bool protocol = false;

  explicit Columns(const RunResult& run)
      : target(run.targets.size() > 1),
        protocol(std::any_of(run.targets.begin(), run.targets.end(),
                             [](auto& t) { return t.protocol != Protocol::http1_1; })) {}

  std::string head() const {
    std::string columns = "| outcome | scenario | requirement | level | expected | actual |";
    std::string rule = "|---|---|---|---|---|---|";
    if (target) {
      columns += " target |";
      rule += "---|";
    }
    if (protocol) {
      columns += " protocol |";
      rule += "---|";
    }
    return columns + "\n" + rule + "\n";
  }
};

std::string row_line(const Row& row, const Columns& columns) {
  const ScenarioResult& r = *row.result;
  std::string outcome(outcome_word(r));
  if (r.known) outcome += " (" + escape_markdown_cell(r.known->reason) + ")";
  std::string line;
  if (row.check) {
    const CheckResult& c = *row.check;
    const auto hop = check_hop(c);
    line = fmt::format(
        "| {} | {} | [{}]({}){} | {} | {} | {} |", outcome, escape_markdown_cell(r.scenario),
        escape_markdown_cell(c.requirement), link_target(section_link(c.rfc, c.section)),
        hop.empty() ? "" : " (" + escape_markdown_cell(hop) + ")", to_string(c.level),
        escape_markdown_cell(c.expected), escape_markdown_cell(c.actual));
  } else {
    line = fmt::format("| {} | {} | | | | {} |", outcome, escape_markdown_cell(r.scenario),
                       escape_markdown_cell(r.reason));
  }
  if (columns.target) line += fmt::format(" {} |", escape_markdown_cell(row.target->url));
  if (columns.protocol) line += fmt::format(" {} |", to_string(row.target->protocol));
  return line + "\n";
}

std::string section_tables(const SectionRows& sections, const Columns& columns) {
  std::string out;
  for (const auto& [key, rows] : sections) {
    out += fmt::format("\n### [{}]({})\n\n",
                       section_label(number_text(key.first), number_text(key.second)),
                       link_target(section_link(key.first, key.second)));
    out += columns.head();
    for (const Row& row : rows) out += row_line(row, columns);
  }
  return out;
}

std::string baseline_section(const RunResult& run) {
  if (run.baseline_notes.empty()) return "";
  std::string out = "\n### Baseline\n\n";
  for (const auto& note : run.baseline_notes) out += "- " + escape_markdown_cell(note) + "\n";
  return out;
}

}  // namespace

std::string render_markdown_report(const RunResult& run, FailOn fail_on) {
  const Tally t = tally(run);
  std::string out = header_text(run, fail_on) + totals_table(t) + levels_table(level_counts(run)) +
                    unusable_targets(run);
  const SectionRows sections = rows_by_section(run);
  out += section_tables(sections, Columns(run));
  if (sections.empty() && t.judged() > 0) out += "Every judged requirement held.\n";
  return out + handling_section(run) + next_steps_section(run) + not_applicable_section(run) +
         baseline_section(run);
}

}  // namespace condspec
