#include "runner/baseline.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace condspec {

namespace {

std::string where(std::string_view name, const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  return fmt::format("{}:{}:{}", name, mark.line + 1, mark.column + 1);
}

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

std::string quoted(std::string_view s) {
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

}  // namespace

Result<Baseline> parse_baseline(std::string_view text, std::string_view name) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return Error{fmt::format("{}:{}:{}: {}", name, e.mark.line + 1, e.mark.column + 1, e.msg)};
  }
  if (!root.IsMap() || !root["known_failures"])
    return Error{fmt::format("{}:1:1: expected a map with a 'known_failures' list", name)};
  for (const auto& kv : root) {
    if (kv.first.as<std::string>() != "known_failures")
      return Error{fmt::format("{}: unknown key '{}' (expected known_failures)",
                               where(name, kv.first), kv.first.as<std::string>())};
  }
  const YAML::Node list = root["known_failures"];
  Baseline baseline;
  if (list.IsNull()) return baseline;
  if (!list.IsSequence())
    return Error{fmt::format("{}: known_failures must be a list", where(name, list))};
  for (const auto& item : list) {
    if (!item.IsMap())
      return Error{
          fmt::format("{}: each known failure is a map with scenario, requirement and "
                      "reason",
                      where(name, item))};
    BaselineEntry entry;
    for (const auto& kv : item) {
      const std::string key = kv.first.as<std::string>();
      if (!kv.second.IsScalar())
        return Error{fmt::format("{}: '{}' must be a single value", where(name, kv.second), key)};
      const std::string value = kv.second.as<std::string>();
      if (key == "scenario")
        entry.scenario = value;
      else if (key == "requirement")
        entry.requirement = value;
      else if (key == "target")
        entry.target = value;
      else if (key == "protocol") {
        entry.protocol = parse_protocol(value);
        if (!entry.protocol)
          return Error{fmt::format("{}: protocol '{}' is not one of http/1.1, h2, h2c",
                                   where(name, kv.second), value)};
      } else if (key == "reason")
        entry.reason = value;
      else if (key == "expires") {
        if (!is_date(value))
          return Error{fmt::format("{}: expires '{}' is not a date YYYY-MM-DD",
                                   where(name, kv.second), value)};
        entry.expires = value;
      } else {
        return Error{fmt::format(
            "{}: unknown key '{}' (expected scenario, requirement, target, protocol, reason, "
            "expires)",
            where(name, kv.first), key)};
      }
    }
    for (auto [field, value] : {std::pair{"scenario", &entry.scenario},
                                {"requirement", &entry.requirement},
                                {"reason", &entry.reason}}) {
      if (value->empty())
        return Error{fmt::format("{}: a known failure needs '{}'", where(name, item), field)};
    }
    if (entry.reason == kPlaceholderReason)
      return Error{fmt::format(
          "{}: the entry for {} / {} still has the placeholder reason; say why this failure is "
          "accepted",
          where(name, item["reason"]), entry.scenario, entry.requirement)};
    baseline.entries.push_back(std::move(entry));
  }
  return baseline;
}

Result<Baseline> load_baseline(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{fmt::format("{}: cannot read the baseline file", path)};
  std::stringstream text;
  text << in.rdbuf();
  return parse_baseline(text.str(), path);
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
    entries += fmt::format("  - scenario: {}\n    requirement: {}\n", quoted(b.scenario),
                           quoted(b.requirement));
    if (!b.target.empty()) entries += fmt::format("    target: {}\n", quoted(b.target));
    if (protocol) entries += fmt::format("    protocol: {}\n", quoted(to_string(*protocol)));
    entries += fmt::format("    reason: {}\n",
                           quoted(r.known ? r.known->reason : std::string(kPlaceholderReason)));
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

Result<std::optional<Baseline>> load_baseline_if_given(const std::string& path) {
  if (path.empty()) return std::optional<Baseline>{};
  auto loaded = load_baseline(path);
  if (!loaded) return loaded.error();
  return std::optional<Baseline>{std::move(*loaded)};
}

}  // namespace condspec
