// Every fact a shipped scenario needs is used by one of its steps: a need
// broader than what the scenario sends and judges switches the scenario off
// on targets where it would have found a deviation (issue 12, class 1: an
// If-None-Match with a made-up tag needs no ETag of the target's own).

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace condspec::test {
namespace {

namespace fs = std::filesystem;

bool mentions(const std::string& text, std::initializer_list<const char*> needles) {
  for (const char* needle : needles)
    if (text.find(needle) != std::string::npos) return true;
  return false;
}

// What in a scenario's steps (requests, assumptions, checks, as YAML text)
// shows that it uses a fact; empty for facts that choose the kind of target a
// scenario is about (its requirement is about that kind), which every
// scenario needing them uses by its judgement.
bool uses(const std::string& fact, const std::string& steps) {
  if (fact == "etag" || fact == "strong-etag" || fact == "weak-etag")
    return mentions(steps, {".etag", "ETag", "etag_syntax", "strong_etag_differs"});
  if (fact == "last-modified" || fact == "old-last-modified")
    return mentions(steps, {".last_modified", "Last-Modified", "If-Modified-Since",
                            "If-Unmodified-Since", "If-Range"});
  if (fact == "same-content" || fact == "stable")
    return mentions(steps, {"step:", "first.", "identity.", "gzip.", ".etag", ".last_modified"});
  if (fact == "if-none-match" || fact == "if-none-match-star" || fact == "if-none-match-evaluated")
    return mentions(steps, {"If-None-Match"});
  if (fact == "if-match" || fact == "if-match-evaluated") return mentions(steps, {"If-Match"});
  if (fact == "if-modified-since") return mentions(steps, {"If-Modified-Since"});
  if (fact == "if-unmodified-since") return mentions(steps, {"If-Unmodified-Since"});
  if (fact == "ranges" || fact == "partial-content" || fact == "no-ranges")
    return mentions(steps, {"Range"});
  if (fact == "gzip" || fact == "gzip-distinct-etags") return mentions(steps, {"Accept-Encoding"});
  if (fact == "missing-404") return mentions(steps, {"resource: missing"});
  if (fact == "unsafe-url") return mentions(steps, {"resource: unsafe"});
  return true;  // no-etag, no-last-modified, etag-follows-content: the kind of target
}

// Needs that no step uses but that split one observation between two
// scenarios by the kind of target, each under the requirement that kind
// breaks; each with its twin.
const std::map<std::string, std::set<std::string>> kSplitByTarget = {
    // A target without (valid) ETag is judged by im-resource-without-tag-412
    // under 9110-13.1.1-no-etag.
    {"im-other-tag-412", {"etag"}},
    // A target without (valid) ETag is judged by the no-etag-true scenario.
    {"inm-other-tag-gets-full-response", {"etag"}},
};

TEST(CaseNeeds, EveryNeededFactIsUsedByAStep) {
  const fs::path cases = fs::path(CONDSPEC_SOURCE_DIR) / "cases";
  size_t scenarios = 0;
  for (const auto& entry : fs::directory_iterator(cases)) {
    if (entry.path().extension() != ".yaml" || entry.path().filename() == "requirements.yaml")
      continue;
    const YAML::Node file = YAML::LoadFile(entry.path().string());
    for (const auto& scenario : file["scenarios"]) {
      ++scenarios;
      const auto id = scenario["id"].as<std::string>();
      const std::string steps = YAML::Dump(scenario["steps"]);
      if (!scenario["needs"]) continue;
      for (const auto& need : scenario["needs"]) {
        const auto fact = need.as<std::string>();
        const auto split = kSplitByTarget.find(id);
        if (split != kSplitByTarget.end() && split->second.contains(fact)) continue;
        EXPECT_TRUE(uses(fact, steps))
            << entry.path().filename().string() << ": scenario " << id << " needs '" << fact
            << "', which none of its steps uses: the scenario is switched off on targets "
               "where it could run";
      }
    }
  }
  EXPECT_GT(scenarios, 100u);
}

}  // namespace
}  // namespace condspec::test
