#include "src/origin/faults.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "src/origin/replies.h"

namespace condspec {
namespace {

using std::chrono::hours;

const Seconds kNow = std::chrono::sys_days{std::chrono::year{2024} / 7 / 1} + hours{12};

// The requirement ids of the catalog, as its `- id:` lines name them.
std::set<std::string> catalog_ids() {
  std::ifstream file(std::string(CONDSPEC_SOURCE_DIR) + "/cases/requirements.yaml");
  std::set<std::string> ids;
  std::string line;
  const std::regex id_line(R"(^\s*- id:\s*(\S+)\s*$)");
  std::smatch match;
  while (std::getline(file, line)) {
    if (std::regex_match(line, match, id_line)) ids.insert(match[1]);
  }
  return ids;
}

TEST(FaultTableTest, EveryEntryIsNamedOnceBreaksAKnownRequirementAndHasAHook) {
  const auto ids = catalog_ids();
  ASSERT_GT(ids.size(), 100u);
  // RFC number, section, then a slug: 9110-13.1.2-weak-compare.
  const std::regex id_format(R"(^(9110|9111|9112|9113)-\d+(\.\d+)*-[a-z0-9]+(-[a-z0-9]+)*$)");
  const std::regex name_format(R"(^[a-z0-9]+(-[a-z0-9]+)*$)");
  std::set<std::string_view> names;
  for (const auto& fault : known_faults()) {
    SCOPED_TRACE(std::string(fault.name));
    EXPECT_TRUE(names.insert(fault.name).second) << "named twice";
    EXPECT_TRUE(std::regex_match(std::string(fault.name), name_format));
    EXPECT_TRUE(std::regex_match(std::string(fault.requirement), id_format));
    EXPECT_TRUE(ids.contains(std::string(fault.requirement)));
    if (!fault.also_breaks.empty()) {
      EXPECT_TRUE(std::regex_match(std::string(fault.also_breaks), id_format));
      EXPECT_TRUE(ids.contains(std::string(fault.also_breaks)));
      EXPECT_NE(fault.also_breaks, fault.requirement);
    }
    // A second row broken over HTTP/2 only is an RFC 9113 row, which is
    // judged over HTTP/2 only; and `serve --list-faults` says so.
    if (fault.also_breaks_over == Fault::Over::http2) {
      EXPECT_TRUE(fault.also_breaks.starts_with("9113-"));
      EXPECT_EQ(fault.also_breaks_where, "over HTTP/2");
    }
    EXPECT_FALSE(fault.description.empty());
    EXPECT_FALSE(fault.hooks.empty()) << "a fault without a hook changes nothing";
  }
}

TEST(ActiveFaultsTest, UnknownNamesAreRefused) {
  auto faults = ActiveFaults::from_names({"inm-ignored", "no-such-fault"});
  ASSERT_FALSE(faults.ok());
  std::string known;
  for (const auto& fault : known_faults())
    known += (known.empty() ? "" : ", ") + std::string(fault.name);
  EXPECT_EQ(faults.error().message, "unknown fault 'no-such-fault' (known: " + known + ")");
}

TEST(ActiveFaultsTest, WithoutFaultsEveryPointDoesWhatTheRfcSays) {
  auto faults = ActiveFaults::from_names({});
  ASSERT_TRUE(faults.ok());
  const Incoming request{.method = "GET", .path = "/strong"};
  Representation r{.content = "abc", .etag = EntityTag{.opaque = "t"}};
  const Representation before = r;
  EXPECT_EQ(faults->stalled_head_wait(), std::nullopt);
  EXPECT_EQ(faults->answer_first(request, kNow), std::nullopt);
  faults->reshape_representation(r, request);
  EXPECT_EQ(r.etag, before.etag);
  EXPECT_EQ(r.content, before.content);
  Incoming rewritten = request;
  faults->rewrite_request(rewritten, &r);
  EXPECT_EQ(rewritten.fields, request.fields);
  EXPECT_EQ(faults->answer_before_evaluation(request, &r, kNow), std::nullopt);
  EXPECT_EQ(faults->evaluate("GET", {{"If-None-Match", "\"t\""}}, state_of(&r, kNow)),
            Decision::not_modified);
  EXPECT_EQ(faults->override_decision(Decision::partial, request, &r), Decision::partial);
  EXPECT_EQ(faults->read_range("bytes=0-0", 3), parse_range("bytes=0-0", 3));
  Reply reply = bare_reply(404, kNow);
  const Reply unchanged = reply;
  faults->reshape_reply(reply, {.request = request, .selected = &r, .now = kNow});
  EXPECT_EQ(reply.fields, unchanged.fields);
}

TEST(ActiveFaultsTest, EachFaultActsAtItsOwnPoint) {
  const Incoming request{.method = "GET", .path = "/strong"};
  auto dated = ActiveFaults::from_names({"404-without-date"});
  Reply missing = bare_reply(404, kNow);
  dated->reshape_reply(missing, {.request = request, .now = kNow});
  EXPECT_FALSE(missing.fields.has("Date"));
  Reply failed = bare_reply(412, kNow);
  dated->reshape_reply(failed, {.request = request, .now = kNow});
  EXPECT_TRUE(failed.fields.has("Date"));
  EXPECT_EQ(dated->evaluate("GET", {{"If-Match", "\"zz\""}}, {.exists = true, .date = kNow}),
            Decision::precondition_failed);

  auto stalled = ActiveFaults::from_names({"answers-before-header-ends"});
  EXPECT_EQ(stalled->stalled_head_wait(), std::chrono::milliseconds{100});

  auto ranged = ActiveFaults::from_names({"range-unknown-unit-416"});
  EXPECT_EQ(ranged->read_range("items=0-0", 10).kind, RangeRequest::unsatisfiable);
  EXPECT_EQ(ranged->read_range("bytes=0-0", 10).kind, RangeRequest::single);
}

TEST(ActiveFaultsTest, SeveralFaultsComposeInTableOrder) {
  auto both = ActiveFaults::from_names({"412-without-date", "404-without-date"});
  ASSERT_TRUE(both.ok());
  const Incoming request{.method = "GET", .path = "/nothing"};
  for (int status : {404, 412}) {
    Reply reply = bare_reply(status, kNow);
    both->reshape_reply(reply, {.request = request, .now = kNow});
    EXPECT_FALSE(reply.fields.has("Date")) << status;
  }
  // Two evaluators of different fields both apply.
  auto evaluators = ActiveFaults::from_names({"inm-ignored", "im-ignored"});
  const RepresentationState state{.exists = true, .etag = EntityTag{.opaque = "t"}, .date = kNow};
  EXPECT_EQ(
      evaluators->evaluate("GET", {{"If-Match", "\"zz\""}, {"If-None-Match", "\"t\""}}, state),
      Decision::proceed);
}

}  // namespace
}  // namespace condspec
