#include "reports/report_text.h"

#include <fmt/format.h>

#include "src/core/text.h"

namespace condspec {

std::string scenario_rfc(const ScenarioResult& result) {
  for (const auto& c : result.checks)
    if (c.section == result.section && !c.rfc.empty()) return c.rfc;
  for (const auto& c : result.checks)
    if (!c.rfc.empty()) return c.rfc;
  return "9110";
}

std::string section_link(std::string_view rfc, std::string_view section) {
  return fmt::format("https://www.rfc-editor.org/rfc/rfc{}#section-{}", rfc, section);
}

std::string escape_markup(std::string_view text) {
  std::string safe;
  bool first = true;
  for (auto line : split(text, '\n')) {
    if (!first) safe += '\n';
    first = false;
    safe += terminal_safe(line);
  }
  std::string out;
  out.reserve(safe.size());
  for (char c : safe) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string_view outcome_word(const ScenarioResult& result) {
  if (result.known) return "KNOWN";
  switch (result.outcome) {
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

std::string target_label(const TargetResult& target) {
  return fmt::format("{} ({})", target.url, to_string(target.protocol));
}

std::vector<const CheckResult*> broken_checks(const ScenarioResult& result) {
  std::vector<const CheckResult*> out;
  for (const auto& c : result.checks)
    if (c.outcome != Outcome::pass) out.push_back(&c);
  return out;
}

}  // namespace condspec
