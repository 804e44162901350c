#include "tests/real_server_verdicts.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>

#include "src/core/text.h"

namespace condspec::test {

namespace {

// The engine's order (src/engine/outcome.h): a requirement a check failed
// is failed, whatever another check of it could not judge (the content of a
// response cut short, whose head broke it).
int severity(const std::string& outcome) {
  if (outcome == "fail") return 4;
  if (outcome == "error") return 3;
  if (outcome == "warn") return 2;
  if (outcome == "info") return 1;
  return 0;  // pass
}

bool is_outcome(const std::string& s) {
  return s == "pass" || s == "fail" || s == "warn" || s == "info" || s == "not_applicable";
}

std::string scenarios_note(const ObservedVerdict& v) {
  return v.scenarios.empty() ? "" : " (scenarios: " + join(v.scenarios, ", ") + ")";
}

Status check_keys(const YAML::Node& node, const std::vector<std::string>& allowed,
                  const std::string& where) {
  for (const auto& kv : node) {
    const auto key = kv.first.as<std::string>();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return Error{where + ": unknown key '" + key + "' (expected one of: " + join(allowed, ", ") +
                   ")"};
    }
  }
  return Ok{};
}

Result<std::string> text(const YAML::Node& node, const std::string& key, const std::string& where) {
  const auto value = node[key];
  if (!value || !value.IsScalar() || value.as<std::string>().empty())
    return Error{where + ": '" + key + "' must be a non-empty text"};
  return value.as<std::string>();
}

// Each requirement id is listed once across meets, not_applicable,
// deviations and pending.
class RequirementClaims {
 public:
  Status claim(const std::string& requirement, const std::string& where) {
    if (requirement.empty()) return Error{where + ": an empty requirement id"};
    if (!seen_.insert(requirement).second)
      return Error{where + ": requirement '" + requirement + "' is listed twice"};
    return Ok{};
  }

 private:
  std::set<std::string> seen_;
};

// `meets` and `not_applicable`: plain lists of requirement ids.
Status read_outcome_lists(const YAML::Node& root, const std::string& path,
                          RequirementClaims& claims, Expected& expected) {
  for (const auto& [key, outcome] :
       {std::pair{"meets", "pass"}, std::pair{"not_applicable", "not_applicable"}}) {
    const auto list = root[key];
    if (!list) continue;
    if (!list.IsSequence())
      return Error{path + ": '" + key + "' must be a list of requirement ids"};
    for (const auto& item : list) {
      const auto id = item.IsScalar() ? item.as<std::string>() : "";
      if (auto ok = claims.claim(id, path + ": " + key); !ok) return ok.error();
      expected.outcomes[id] = outcome;
    }
  }
  return Ok{};
}

// Reads each entry of the list under `key` (none when it is absent), after
// checking the entry's keys; `where` names the entry in messages
// ("PATH: deviation ID").
Status read_entries(const YAML::Node& root, const std::string& path, const std::string& key,
                    const std::string& entry_name, const std::vector<std::string>& allowed_keys,
                    const std::function<Status(const YAML::Node&, const std::string&)>& read) {
  const auto list = root[key];
  if (!list) return Ok{};
  if (!list.IsSequence()) return Error{path + ": '" + key + "' must be a list"};
  for (const auto& entry : list) {
    const auto where = path + ": " + entry_name + " " +
                       (entry["requirement"] ? entry["requirement"].as<std::string>() : "(no id)");
    if (auto keys = check_keys(entry, allowed_keys, where); !keys) return keys.error();
    if (auto ok = read(entry, where); !ok) return ok.error();
  }
  return Ok{};
}

Status read_deviations(const YAML::Node& root, const std::string& path, RequirementClaims& claims,
                       Expected& expected) {
  return read_entries(
      root, path, "deviations", "deviation",
      {"requirement", "outcome", "section", "level", "scenarios", "rfc", "why", "exchange"},
      [&](const YAML::Node& d, const std::string& where) -> Status {
        // A deviation is only recorded with its justification.
        for (const auto* key : {"requirement", "outcome", "section", "level", "why", "exchange"})
          if (auto t = text(d, key, where); !t) return t.error();
        const auto id = d["requirement"].as<std::string>();
        const auto outcome = d["outcome"].as<std::string>();
        if (outcome != "fail" && outcome != "warn" && outcome != "info")
          return Error{where + ": outcome '" + outcome + "' must be fail, warn or info"};
        if (auto ok = claims.claim(id, where); !ok) return ok.error();
        expected.outcomes[id] = outcome;
        return Ok{};
      });
}

Status read_pending(const YAML::Node& root, const std::string& path, RequirementClaims& claims,
                    Expected& expected) {
  return read_entries(
      root, path, "pending", "pending",
      {"requirement", "expect", "condspec_says", "disagreement", "scenario", "section", "level",
       "rfc", "why", "exchange"},
      [&](const YAML::Node& p, const std::string& where) -> Status {
        for (const auto* key : {"requirement", "expect", "condspec_says", "disagreement", "why"})
          if (auto t = text(p, key, where); !t) return t.error();
        Pending entry{p["expect"].as<std::string>(), p["condspec_says"].as<std::string>(),
                      p["disagreement"].as<std::string>()};
        if (p["scenario"]) entry.scenario = p["scenario"].as<std::string>();
        const bool scenario_error = entry.condspec_says == "error" && !entry.scenario.empty();
        if (!is_outcome(entry.expect) || (!is_outcome(entry.condspec_says) && !scenario_error))
          return Error{where +
                       ": expect and condspec_says must be pass, fail, warn, info or "
                       "not_applicable (condspec_says may be error with the scenario named)"};
        const auto id = p["requirement"].as<std::string>();
        if (auto ok = claims.claim(id, where); !ok) return ok.error();
        expected.pending[id] = entry;
        return Ok{};
      });
}

}  // namespace

Result<Observed> observed_from_json(const std::string& json_text) {
  const auto json = nlohmann::json::parse(json_text, nullptr, false);
  if (json.is_discarded() || !json.contains("targets") || json["targets"].size() != 1)
    return Error{"the JSON report is not a report of one target"};
  const auto& target = json["targets"][0];
  Observed observed;
  if (target.contains("unusable") && target["unusable"].is_string())
    observed.unusable = target["unusable"].get<std::string>();
  for (const auto& result : target.value("results", nlohmann::json::array())) {
    const auto scenario = result.value("scenario", "");
    if (result.value("outcome", "") == "error")
      observed.scenario_errors.push_back(scenario + ": " +
                                         (result["reason"].is_string()
                                              ? result["reason"].get<std::string>()
                                              : "a check could not be judged"));
    if (result.contains("handling") && result["handling"].is_object())
      observed.handling[scenario] = {result["handling"].value("kind", ""),
                                     result["handling"].value("detail", "")};
    for (const auto& check : result.value("checks", nlohmann::json::array())) {
      const auto requirement = check.value("requirement", "");
      const auto outcome = check.value("outcome", "");
      auto [at, inserted] =
          observed.verdicts.try_emplace(requirement, ObservedVerdict{outcome, {}});
      if (!inserted && severity(outcome) > severity(at->second.outcome))
        at->second.outcome = outcome;
      if (outcome != "pass") at->second.scenarios.insert(scenario);
    }
  }
  return observed;
}

Result<Expected> expected_from_yaml(const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    return Error{path + ": " + e.what()};
  }
  if (!root.IsMap()) return Error{path + ": must be a mapping"};
  if (auto keys = check_keys(
          root,
          {"server", "description", "meets", "not_applicable", "deviations", "pending", "handling"},
          path);
      !keys)
    return keys.error();
  Expected expected;
  auto server = text(root, "server", path);
  if (!server) return server.error();
  expected.server = *server;

  RequirementClaims claims;
  if (auto ok = read_outcome_lists(root, path, claims, expected); !ok) return ok.error();
  if (auto ok = read_deviations(root, path, claims, expected); !ok) return ok.error();
  if (auto ok = read_pending(root, path, claims, expected); !ok) return ok.error();
  if (const auto handling = root["handling"]) {
    if (!handling.IsMap()) return Error{path + ": 'handling' must map scenario ids to a handling"};
    expected.handling.emplace();
    for (const auto& entry : handling) {
      const auto scenario = entry.first.as<std::string>();
      const auto kind = entry.second.IsScalar() ? entry.second.as<std::string>() : "";
      if (kind != "passed-through" && kind != "repaired" && kind != "refetched" &&
          kind != "damaged")
        return Error{path + ": handling of " + scenario +
                     " must be passed-through, repaired, refetched or damaged"};
      (*expected.handling)[scenario] = kind;
    }
  }
  return expected;
}

Comparison compare(const Expected& expected, const Observed& observed, const std::string& file) {
  Comparison c;
  if (!observed.unusable.empty()) {
    c.mismatches.push_back(file + ": condspec could not use the target: " + observed.unusable);
    return c;
  }
  // Errors recorded as pending disagreements are notes while they last.
  std::set<std::string> erring;
  for (const auto& e : observed.scenario_errors) {
    const std::string scenario = e.substr(0, e.find(':'));
    erring.insert(scenario);
    bool recorded = false;
    for (const auto& [id, p] : expected.pending)
      recorded |= p.condspec_says == "error" && p.scenario == scenario;
    if (!recorded)
      c.mismatches.push_back(file + ": scenario " + e + " (an error, never a verdict)");
  }
  auto observed_of = [&](const std::string& id) {
    const auto at = observed.verdicts.find(id);
    return at == observed.verdicts.end() ? ObservedVerdict{"not_applicable", {}} : at->second;
  };
  for (const auto& [id, outcome] : expected.outcomes) {
    const auto seen = observed_of(id);
    if (seen.outcome != outcome)
      c.mismatches.push_back(file + ": " + id + ": expected " + outcome + ", condspec says " +
                             seen.outcome + scenarios_note(seen));
  }
  for (const auto& [id, p] : expected.pending) {
    if (p.condspec_says == "error") {
      if (erring.contains(p.scenario))
        c.notes.push_back(file + ": " + id + ": pending " + p.disagreement + ": scenario " +
                          p.scenario + " ends in error, the verdict RFC 9110 calls for is " +
                          p.expect);
      else
        c.mismatches.push_back(
            file + ": " + id + ": pending " + p.disagreement + " expects scenario " + p.scenario +
            " to end in error, and it did not (condspec says " + observed_of(id).outcome +
            "): make it an ordinary entry and mark it in DISAGREEMENTS.md");
      continue;
    }
    const auto seen = observed_of(id);
    if (seen.outcome == p.condspec_says)
      c.notes.push_back(file + ": " + id + ": pending " + p.disagreement + ": condspec says " +
                        seen.outcome + ", the verdict RFC 9110 calls for is " + p.expect);
    else if (seen.outcome == p.expect)
      c.mismatches.push_back(file + ": " + id + ": disagreement " + p.disagreement +
                             " is resolved (condspec now says " + seen.outcome +
                             "): make it an ordinary entry and mark it fixed in DISAGREEMENTS.md");
    else
      c.mismatches.push_back(file + ": " + id + ": pending " + p.disagreement +
                             " expects condspec to say " + p.condspec_says + " (RFC 9110: " +
                             p.expect + "), condspec says " + seen.outcome + scenarios_note(seen));
  }
  if (expected.handling) {
    for (const auto& [scenario, kind] : *expected.handling) {
      const auto at = observed.handling.find(scenario);
      if (at == observed.handling.end())
        c.mismatches.push_back(file + ": handling of " + scenario + ": expected " + kind +
                               ", condspec reports none");
      else if (at->second.first != kind)
        c.mismatches.push_back(file + ": handling of " + scenario + ": expected " + kind +
                               ", condspec says " + at->second.first + " (" + at->second.second +
                               ")");
    }
    for (const auto& [scenario, seen] : observed.handling)
      if (!expected.handling->contains(scenario))
        c.mismatches.push_back(file + ": handling of " + scenario + ": condspec says " +
                               seen.first + " (" + seen.second + "), and it is not recorded");
  }
  for (const auto& [id, seen] : observed.verdicts) {
    if (expected.outcomes.count(id) || expected.pending.count(id)) continue;
    if (severity(seen.outcome) >= severity("warn"))
      c.mismatches.push_back(file + ": " + id + ": condspec says " + seen.outcome +
                             scenarios_note(seen) +
                             ", and it is not listed: a new, untriaged deviation; judge it "
                             "against RFC 9110 and record it");
  }
  return c;
}

}  // namespace condspec::test
