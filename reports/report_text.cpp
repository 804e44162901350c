#include "reports/report_text.h"

#include <fmt/format.h>

#include <cctype>
#include <string>
#include <vector>

#include "src/core/text.h"

namespace condspec {

std::string scenario_rfc(const ScenarioResult& result) {
  if (!result.rfc.empty()) return result.rfc;
  for (const auto& c : result.checks)
    if (c.section == result.section && !c.rfc.empty()) return c.rfc;
  for (const auto& c : result.checks)
    if (!c.rfc.empty()) return c.rfc;
  return "9110";
}

std::string section_link(std::string_view rfc, std::string_view section) {
  return fmt::format("https://www.rfc-editor.org/rfc/rfc{}#section-{}", rfc, section);
}

namespace {

// & < > as the entities XML and HTML share, and with `quotes` " and ' too
// (attribute values); false for any other byte, which the caller keeps.
bool append_entity(std::string& out, char c, bool quotes) {
  switch (c) {
    case '&':
      out += "&amp;";
      return true;
    case '<':
      out += "&lt;";
      return true;
    case '>':
      out += "&gt;";
      return true;
    case '"':
      if (quotes) out += "&quot;";
      return quotes;
    case '\'':
      if (quotes) out += "&#39;";
      return quotes;
    default:
      return false;
  }
}

}  // namespace

std::string section_label(std::string_view rfc, std::string_view section) {
  return fmt::format("RFC {} §{}", rfc, section);
}

std::string escape_markup(std::string_view text) {
  std::vector<std::string> lines;
  for (auto line : split(text, '\n')) lines.push_back(terminal_safe(line));
  const std::string safe = join(lines, "\n");
  std::string out;
  out.reserve(safe.size());
  for (char c : safe)
    if (!append_entity(out, c, true)) out += c;
  return out;
}

std::string escape_markdown_cell(std::string_view text) {
  std::string out;
  for (char c : terminal_safe(text)) {  // also turns line breaks into \x0a
    if (append_entity(out, c, false)) continue;
    if (std::ispunct(static_cast<unsigned char>(c)) && c != '"' && c != '\'' && c != ',' &&
        c != '/' && c != ':' && c != ';' && c != '=' && c != '%' && c != '@' && c != '?')
      out += '\\';
    out += c;
  }
  return out;
}

std::string_view outcome_word(Outcome outcome) {
  switch (outcome) {
    case Outcome::pass:
      return "PASS";
    case Outcome::info:
      return "INFO";
    case Outcome::warn:
      return "WARN";
    case Outcome::fail:
      return "FAIL";
    case Outcome::not_applicable:
      return "N/A";
    case Outcome::error:
      return "ERROR";
  }
  return "?";
}

std::string_view outcome_word(const ScenarioResult& result) {
  return result.known ? "KNOWN" : outcome_word(result.outcome);
}

std::string outcome_column(Outcome outcome) {
  if (outcome == Outcome::error) return "ERR ";  // the one word cut to fit
  return fmt::format("{:<4}", outcome_word(outcome));
}

std::string outcome_column(const ScenarioResult& result) {
  return result.known ? std::string(outcome_word(result)) : outcome_column(result.outcome);
}

std::string target_label(const TargetResult& target) {
  return fmt::format("{} ({})", target.url, to_string(target.protocol));
}

std::vector<const CheckResult*> broken_checks(const ScenarioResult& result) {
  std::vector<const CheckResult*> out;
  for (const auto& c : result.checks)
    if (c.outcome != Outcome::pass) out.push_back(&c);
  return out;
}

std::string_view check_hop(const CheckResult& check) {
  return check.hop == Hop::upstream ? "upstream: the cache to the origin" : "";
}

namespace {

// How the record's request went: upstream, as a follow-up, or not sent by
// this step at all.
std::string sending_note(const StepRecord& record) {
  if (record.hop == Hop::upstream && record.connection > 0)
    return fmt::format(" (upstream: the cache to the origin, connection {})", record.connection);
  if (record.hop == Hop::upstream) return " (upstream: the cache to the origin)";
  if (record.follow_up) return " (follow-up on the same connection)";
  if (record.first_sent_by == "discovery") return " (same request as discovery's, sent once)";
  if (!record.first_sent_by.empty())
    return fmt::format(" (same request as scenario {}, sent once)", record.first_sent_by);
  return "";
}

}  // namespace

std::string hop_note(const StepRecord& record) {
  if (record.missed_attempt == 0) return sending_note(record);
  return fmt::format(" (attempt {}, which missed its second and judged nothing){}",
                     record.missed_attempt, sending_note(record));
}

}  // namespace condspec
