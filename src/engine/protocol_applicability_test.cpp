#include "src/engine/protocol_applicability.h"

#include <gtest/gtest.h>

#include "src/cases/loader.h"

namespace condspec {
namespace {

TEST(ProtocolApplicability, EveryShippedScenarioAppliesOverEveryProtocolToday) {
  auto suite = load_suite(CONDSPEC_SOURCE_DIR "/cases");
  ASSERT_TRUE(suite) << render(suite.error());
  ASSERT_FALSE(suite->scenarios.empty());
  for (const auto& scenario : suite->scenarios)
    for (Protocol protocol : kProtocols)
      EXPECT_TRUE(applies_over(scenario, protocol)) << scenario.id << " " << to_string(protocol);
}

TEST(ProtocolApplicability, TheReasonNamesTheProtocol) {
  EXPECT_EQ(not_over_reason(Scenario{}, Protocol::h2), "the scenario does not apply over h2");
}

}  // namespace
}  // namespace condspec
