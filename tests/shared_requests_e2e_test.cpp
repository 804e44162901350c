// A repeated request is sent once per target: the program against the
// built-in origin (started in this process, so that it can count what it
// received), with and without --no-shared-requests. Fewer requests reach
// the origin, by exactly the exchanges the report says were used again, and
// every verdict is the same. (A scenario that missed its second ran again;
// what its earlier attempts sent is in the report too, and counted apart.)

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "src/origin/reference_origin.h"
#include "tests/process.h"

namespace condspec::test {
namespace {

struct Counted {
  int exit_code = -1;
  size_t received = 0;    // by the origin
  size_t records = 0;     // the client's exchanges judged, in the report
  size_t used_again = 0;  // of them, those with first_sent_by
  // The client's exchanges sent by an attempt that missed its second and
  // ran again (missed_attempt), without first_sent_by: requests the origin
  // received that no judged exchange shows.
  size_t sent_by_missed_attempts = 0;
  std::vector<std::string> verdicts;  // per target and scenario: outcome, checks
  std::string sample;                 // a record's first_sent_by, e.g. "discovery"
};

Counted run_counted(Protocol protocol, const std::vector<std::string>& extra) {
  auto origin = ReferenceOrigin::start(OriginOptions{nullptr, {}, "127.0.0.1", 0, protocol});
  if (!origin) throw std::runtime_error(origin.error().message);
  const std::string base = (*origin)->base_url();
  std::vector<std::string> args{base + "/strong", base + "/weak", base + "/plain", "--unsafe-url",
                                base + "/writable"};
  if (protocol == Protocol::h2c) args.insert(args.end(), {"--protocol", "h2c"});
  args.insert(args.end(), extra.begin(), extra.end());
  Reported reported = run_with_json_report(args);
  Counted counted;
  counted.exit_code = reported.completed.exit_code;
  (*origin)->stop();
  counted.received = (*origin)->requests_answered();
  const auto report = nlohmann::json::parse(reported.json);
  for (const auto& target : report.at("targets")) {
    for (const auto& scenario : target.at("results")) {
      // The path alone: each run has an origin of its own.
      std::string verdict = target.at("url").get<std::string>().substr(base.size()) + " " +
                            scenario.at("scenario").get<std::string>() + " " +
                            scenario.at("outcome").get<std::string>();
      for (const auto& check : scenario.at("checks"))
        verdict += " " + check.at("requirement").get<std::string>() + "=" +
                   check.at("outcome").get<std::string>();
      counted.verdicts.push_back(verdict);
      for (const auto& exchange : scenario.at("exchanges")) {
        if (exchange.value("hop", "client") != "client") continue;
        if (exchange.contains("missed_attempt")) {
          if (!exchange.contains("first_sent_by")) ++counted.sent_by_missed_attempts;
          continue;
        }
        ++counted.records;
        if (exchange.contains("first_sent_by")) {
          ++counted.used_again;
          if (counted.sample.empty()) counted.sample = exchange["first_sent_by"];
        }
      }
    }
  }
  return counted;
}

class SharedRequestsE2e : public ::testing::TestWithParam<Protocol> {};

TEST_P(SharedRequestsE2e, FewerRequestsReachTheOriginAndEveryVerdictIsTheSame) {
  const Counted own = run_counted(GetParam(), {"--no-shared-requests"});
  const Counted shared = run_counted(GetParam(), {});
  EXPECT_EQ(own.exit_code, 0);
  EXPECT_EQ(shared.exit_code, 0);
  EXPECT_EQ(shared.verdicts, own.verdicts);
  // Without sharing no record names another sender.
  EXPECT_EQ(own.used_again, 0u);
  // Every step still shows its exchange; those used again were not sent.
  EXPECT_EQ(shared.records, own.records);
  EXPECT_GT(shared.used_again, own.records / 4);
  EXPECT_EQ((own.received - own.sent_by_missed_attempts) -
                (shared.received - shared.sent_by_missed_attempts),
            shared.used_again);
  EXPECT_FALSE(shared.sample.empty());
}

INSTANTIATE_TEST_SUITE_P(OverEachCleartextProtocol, SharedRequestsE2e,
                         ::testing::Values(Protocol::http1_1, Protocol::h2c), [](const auto& info) {
                           return info.param == Protocol::h2c ? "h2c" : "http1_1";
                         });

}  // namespace
}  // namespace condspec::test
