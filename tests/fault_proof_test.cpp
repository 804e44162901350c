// Proof that the cases can fail: for every fault the reference origin can
// inject, run the real program against `condspec serve --fault NAME` and
// require that the run breaks exactly the fault's requirement and nothing
// else. Against the origin without faults nothing breaks (e2e_test.cpp).

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "src/origin/reference_origin.h"
#include "tests/process.h"

namespace condspec::test {
namespace {

class FaultProof : public ::testing::TestWithParam<std::string> {};

TEST_P(FaultProof, BreaksExactlyItsRequirement) {
  const std::string fault = GetParam();
  std::set<std::string> expected;
  for (const auto& f : known_faults()) {
    if (f.name != fault) continue;
    expected.insert(std::string(f.requirement));
    if (!f.also_breaks.empty()) expected.insert(std::string(f.also_breaks));
  }

  Background server({"serve", "--fault", fault});
  const std::string base = start_origin(server);
  ASSERT_FALSE(base.empty()) << "condspec serve --fault " << fault << " did not start";
  auto [r, report] =
      run_with_json_report({"--unsafe-url", base + "/writable", base + "/strong", base + "/weak",
                            base + "/plain", base + "/dated", base + "/generated"});
  ASSERT_FALSE(report.empty()) << r.out << r.err;
  auto json = nlohmann::json::parse(report);

  std::set<std::string> broken;
  std::set<std::string> errors;
  for (const auto& target : json["targets"]) {
    for (const auto& result : target["results"]) {
      if (result["outcome"] == "error") errors.insert(result["scenario"].get<std::string>());
      // info is how a MAY-level deviation is reported; the conforming
      // origin produces none (e2e_test.cpp), so any info here is the fault's.
      for (const auto& check : result["checks"])
        if (check["outcome"] == "fail" || check["outcome"] == "warn" || check["outcome"] == "info")
          broken.insert(check["requirement"].get<std::string>());
    }
  }
  EXPECT_EQ(broken, expected) << r.out;
  EXPECT_TRUE(errors.empty()) << r.out;
  EXPECT_TRUE(r.exit_code == 1 || r.exit_code == 0) << r.out << r.err;
}

std::vector<std::string> fault_names() {
  std::vector<std::string> names;
  for (const auto& f : known_faults()) names.emplace_back(f.name);
  return names;
}

INSTANTIATE_TEST_SUITE_P(EveryFault, FaultProof, ::testing::ValuesIn(fault_names()),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

}  // namespace
}  // namespace condspec::test

namespace condspec::test {
namespace {

// The other half of the proof: a check that has never been seen to fail
// proves nothing. Every scenario must fail (or warn) under at least one
// fault, and pass on at least one resource of the conforming origin.
TEST(FaultProofCoverage, EveryScenarioFailsUnderSomeFaultAndPassesWithoutFaults) {
  auto outcomes = [](const std::vector<std::string>& serve_args) {
    Background server(serve_args);
    const std::string base = start_origin(server);
    EXPECT_FALSE(base.empty());
    auto reported =
        run_with_json_report({"--unsafe-url", base + "/writable", base + "/strong", base + "/weak",
                              base + "/plain", base + "/dated", base + "/generated"});
    std::map<std::string, std::set<std::string>> by_scenario;
    auto json = nlohmann::json::parse(reported.json);
    for (const auto& target : json["targets"])
      for (const auto& result : target["results"])
        by_scenario[result["scenario"].get<std::string>()].insert(
            result["outcome"].get<std::string>());
    return by_scenario;
  };

  auto conforming = outcomes({"serve"});
  ASSERT_FALSE(conforming.empty());
  std::set<std::string> never_failed;
  for (const auto& [scenario, seen] : conforming) {
    EXPECT_TRUE(seen.contains("pass")) << scenario << " never passes on the reference origin";
    never_failed.insert(scenario);
  }
  for (const auto& fault : known_faults()) {
    for (const auto& [scenario, seen] : outcomes({"serve", "--fault", std::string(fault.name)}))
      if (seen.contains("fail") || seen.contains("warn") || seen.contains("info"))
        never_failed.erase(scenario);
  }
  for (const auto& scenario : never_failed)
    ADD_FAILURE() << scenario << " fails under no fault of the reference origin";
}

}  // namespace
}  // namespace condspec::test

namespace condspec::test {
namespace {

// `condspec list --coverage` is how reviewers see what is proven; it must
// agree with the proof above: nothing judged without a proving fault.
TEST(ListCoverage, EveryJudgedRequirementHasAProvingFault) {
  auto r = run_program({"list", "--coverage"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string line, last;
  while (std::getline(lines, line)) {
    EXPECT_FALSE(line.find("NO FAULT") != std::string::npos &&
                 line.find("NO SCENARIO") == std::string::npos)
        << line;
    last = line;
  }
  EXPECT_NE(last.find(" requirements, "), std::string::npos) << last;
  EXPECT_NE(last.find(" covered (judged by a scenario and proven by a fault)"), std::string::npos);
}

}  // namespace
}  // namespace condspec::test
