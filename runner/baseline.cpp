#include "runner/baseline.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <utility>

#include "src/cases/yaml_reading.h"
#include "src/core/file.h"
#include "src/engine/outcome.h"

namespace condspec {

namespace {

bool is_date(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  const int month = std::stoi(s.substr(5, 2)), day = std::stoi(s.substr(8, 2));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

bool breaks(const ScenarioResult& r, const std::string& requirement) {
  for (const auto& c : r.checks)
    if (c.requirement == requirement && (c.outcome == Outcome::fail || c.outcome == Outcome::warn))
      return true;
  return false;
}

bool judged(const ScenarioResult& r) {
  return r.outcome == Outcome::pass || r.outcome == Outcome::info || r.outcome == Outcome::warn ||
         r.outcome == Outcome::fail;
}

// A YAML double-quoted scalar. Not named `quoted`: std::quoted (which
// <filesystem> brings in) would win by argument-dependent lookup.
std::string yaml_quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
      continue;
    }
    out += c;
  }
  return out + "\"";
}

// The baseline's wording, older than the reader it shares with the case files.
constexpr std::string_view kEntryKeys = "scenario, requirement, target, protocol, reason, expires";

MappingWords entry_words() {
  return {"each known failure is a map with scenario, requirement and reason",
          [](std::string_view key) {
            return fmt::format("unknown key '{}' (expected {})", key, kEntryKeys);
          }};
}

std::optional<BaselineEntry> read_entry(const YamlNode& item, const YamlMark& fallback,
                                        Diagnostics& d) {
  const size_t problems_before = d.size();
  Mapping m(item, fallback, "known failure",
            {"scenario", "requirement", "target", "protocol", "reason", "expires"}, d,
            entry_words());
  if (!m.valid()) return std::nullopt;
  BaselineEntry entry;
  std::string protocol;
  std::map<std::string_view, std::string*> fields = {
      {"scenario", &entry.scenario}, {"requirement", &entry.requirement},
      {"target", &entry.target},     {"protocol", &protocol},
      {"reason", &entry.reason},     {"expires", &entry.expires}};
  for (const Entry& e : m.entries()) {
    if (!e.value.is_scalar()) {
      d.add(e.mark(), fmt::format("'{}' must be a single value", e.key));
      continue;
    }
    *fields.at(e.key) = e.value.scalar();
  }
  if (const Entry* given = m.find("protocol"); given && given->value.is_scalar()) {
    entry.protocol = parse_protocol(protocol);
    if (!entry.protocol)
      d.add(given->mark(),
            fmt::format("protocol '{}' is not one of http/1.1, h2, h2c", given->value.scalar()));
  }
  if (const Entry* expires = m.find("expires");
      expires && expires->value.is_scalar() && !is_date(entry.expires))
    d.add(expires->mark(),
          fmt::format("expires '{}' is not a date YYYY-MM-DD", expires->value.scalar()));
  // What is missing is judged once what is there is right: a misspelled key
  // is reported as such, not also as the key it was meant to be.
  if (d.size() != problems_before) return std::nullopt;
  for (std::string_view required : {"scenario", "requirement", "reason"}) {
    if (fields.at(required)->empty())
      d.add(item.mark(), fmt::format("a known failure needs '{}'", required));
  }
  if (d.size() != problems_before) return std::nullopt;
  if (entry.reason == kPlaceholderReason) {
    d.add(m.find("reason")->mark(),
          fmt::format("the entry for {} / {} still has the placeholder reason; say why this "
                      "failure is accepted",
                      entry.scenario, entry.requirement));
    return std::nullopt;
  }
  return entry;
}

Baseline read_baseline(const YamlNode& root, Diagnostics& d) {
  Baseline baseline;
  // Not a baseline at all: one message, at the start of the file.
  if (!root.is_map() || !root.find("known_failures")) {
    d.add(SourceLocation{d.file(), 1, 1}, "expected a map with a 'known_failures' list");
    return baseline;
  }
  MappingWords words;
  words.unknown_key = [](std::string_view key) {
    return fmt::format("unknown key '{}' (expected known_failures)", key);
  };
  Mapping top(root, YamlMark{}, "baseline", {"known_failures"}, d, words);
  const Entry* list = top.find("known_failures");
  if (!list || list->value.is_null()) return baseline;
  if (!list->value.is_sequence()) {
    d.add(list->mark(), "known_failures must be a list");
    return baseline;
  }
  for (const YamlNode* item : list->value.items())
    if (auto entry = read_entry(*item, list->key_node.mark(), d))
      baseline.entries.push_back(std::move(*entry));
  return baseline;
}

}  // namespace

Loaded<Baseline> parse_baseline(std::string_view text, std::string_view name) {
  Diagnostics d(std::string(name), text);
  Baseline baseline;
  // The baseline's messages do not say "invalid YAML": libyaml's own text is the message.
  if (auto document = load_yaml(text, d, ""))
    guarded(d, [&] { baseline = read_baseline(document->root(), d); });
  if (!d.empty()) return d.sorted();
  return baseline;
}

Loaded<Baseline> load_baseline(const std::string& path) {
  auto text = read_file(path);
  if (!text)
    return std::vector<Diagnostic>{{{path, 0, 0}, "cannot read the baseline file", std::nullopt}};
  return parse_baseline(*text, path);
}

void apply_baseline(RunResult& run, const Baseline& baseline, std::string_view today) {
  std::vector<const BaselineEntry*> live;
  for (const auto& entry : baseline.entries) {
    if (!entry.expires.empty() && entry.expires < today) {
      run.baseline_notes.push_back(
          fmt::format("baseline entry {} / {} expired on {}: the failure counts again",
                      entry.scenario, entry.requirement, entry.expires));
      continue;
    }
    live.push_back(&entry);
  }
  auto covers = [](const BaselineEntry& e, const TargetResult& t, const ScenarioResult& r) {
    return e.scenario == r.scenario && (e.target.empty() || e.target == t.url) &&
           (!e.protocol || *e.protocol == t.protocol);
  };
  for (auto& target : run.targets) {
    for (auto& r : target.results) {
      if (r.outcome != Outcome::fail && r.outcome != Outcome::warn) continue;
      std::vector<const BaselineEntry*> used;
      bool all_known = true;
      for (const auto& c : r.checks) {
        if (c.outcome != Outcome::fail && c.outcome != Outcome::warn) continue;
        const BaselineEntry* match = nullptr;
        for (const BaselineEntry* e : live)
          if (covers(*e, target, r) && e->requirement == c.requirement) match = e;
        if (!match)
          all_known = false;
        else
          used.push_back(match);
      }
      if (all_known && !used.empty())
        r.known = KnownFailure{used.front()->reason, used.front()->expires};
    }
  }
  // An entry that no longer fails: its scenario was judged on a target it
  // covers and did not break its requirement there.
  for (const BaselineEntry* e : live) {
    bool ran = false, still_breaks = false;
    for (const auto& target : run.targets) {
      for (const auto& r : target.results) {
        if (!covers(*e, target, r) || !judged(r)) continue;
        ran = true;
        if (breaks(r, e->requirement)) still_breaks = true;
      }
    }
    if (ran && !still_breaks)
      run.baseline_notes.push_back(
          fmt::format("baseline entry {} / {}{}{} no longer fails: remove it", e->scenario,
                      e->requirement, e->target.empty() ? "" : " on " + e->target,
                      e->protocol ? fmt::format(" over {}", to_string(*e->protocol)) : ""));
  }
}

std::string write_baseline(const RunResult& run) {
  std::string out =
      "# condspec baseline: known failures that do not fail the gate (condspec run --baseline "
      "FILE).\n"
      "# Replace every placeholder reason with why the failure is accepted; condspec refuses\n"
      "# the placeholder. Optional per entry: expires: YYYY-MM-DD (the last day it applies).\n"
      "known_failures:";
  std::set<std::string> urls;
  for (const auto& target : run.targets) urls.insert(target.url);
  const bool name_targets = urls.size() > 1;
  // The protocols each URL was judged over (all of the run's, when entries
  // do not name targets).
  std::map<std::string, std::set<Protocol>> judged_over;
  for (const auto& target : run.targets)
    judged_over[name_targets ? target.url : ""].insert(target.protocol);
  // Each broken (target, scenario, requirement), in run order, with the
  // protocols it broke over and the result that broke first over each.
  struct Broken {
    std::string target, scenario, requirement;
    std::vector<std::pair<Protocol, const ScenarioResult*>> over;
  };
  std::vector<Broken> broken;
  for (const auto& target : run.targets) {
    for (const auto& r : target.results) {
      for (const auto& c : r.checks) {
        if (c.outcome != Outcome::fail && c.outcome != Outcome::warn) continue;
        const std::string t = name_targets ? target.url : "";
        auto it = std::find_if(broken.begin(), broken.end(), [&](const Broken& b) {
          return b.target == t && b.scenario == r.scenario && b.requirement == c.requirement;
        });
        if (it == broken.end())
          it = broken.insert(broken.end(), {t, r.scenario, c.requirement, {}});
        if (std::none_of(it->over.begin(), it->over.end(),
                         [&](const auto& o) { return o.first == target.protocol; }))
          it->over.emplace_back(target.protocol, &r);
      }
    }
  }
  std::string entries;
  auto entry = [&](const Broken& b, std::optional<Protocol> protocol, const ScenarioResult& r) {
    entries += fmt::format("  - scenario: {}\n    requirement: {}\n", yaml_quoted(b.scenario),
                           yaml_quoted(b.requirement));
    if (!b.target.empty()) entries += fmt::format("    target: {}\n", yaml_quoted(b.target));
    if (protocol) entries += fmt::format("    protocol: {}\n", yaml_quoted(to_string(*protocol)));
    entries +=
        fmt::format("    reason: {}\n",
                    yaml_quoted(r.known ? r.known->reason : std::string(kPlaceholderReason)));
    if (r.known && !r.known->expires.empty())
      entries += fmt::format("    expires: {}\n", r.known->expires);
  };
  for (const Broken& b : broken) {
    if (b.over.size() == judged_over[b.target].size()) {
      entry(b, std::nullopt, *b.over.front().second);  // over every protocol judged
      continue;
    }
    for (const auto& [protocol, r] : b.over) entry(b, protocol, *r);
  }
  return out + (entries.empty() ? " []\n" : "\n" + entries);
}

Loaded<std::optional<Baseline>> load_baseline_if_given(const std::string& path) {
  if (path.empty()) return std::optional<Baseline>{};
  auto loaded = load_baseline(path);
  if (!loaded) return loaded.error();
  return std::optional<Baseline>{std::move(*loaded)};
}

std::string baseline_errors(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) out += "condspec: " + render(d) + "\n";
  return out;
}

}  // namespace condspec
