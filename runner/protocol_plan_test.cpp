#include "runner/protocol_plan.h"

#include <gtest/gtest.h>

namespace condspec {
namespace {

TargetConfig target(const std::string& url, const std::string& unsafe = "") {
  TargetConfig t;
  t.url = *parse_url(url);
  if (!unsafe.empty()) t.unsafe = *parse_url(unsafe);
  return t;
}

// "URL protocol" per planned target.
std::vector<std::string> planned(const Result<std::vector<TargetConfig>>& plan) {
  std::vector<std::string> out;
  if (!plan) return {"error: " + plan.error().message};
  for (const auto& t : plan.value())
    out.push_back(t.url.str() + " " + std::string(to_string(t.client.protocol)));
  return out;
}

TEST(ProtocolPlan, ByDefaultHttp1AndH2WhereTheServerOffersIt) {
  std::vector<std::string> asked;
  OffersH2 offers = [&](const Url& url) {
    asked.push_back(url.origin());
    return url.host == "h2.test";
  };
  auto plan = plan_protocols({target("https://h2.test/a"), target("http://plain.test/b"),
                              target("https://old.test/c"), target("https://h2.test/d")},
                             {}, offers);
  EXPECT_EQ(planned(plan),
            (std::vector<std::string>{"https://h2.test/a http/1.1", "https://h2.test/a h2",
                                      "http://plain.test/b http/1.1", "https://old.test/c http/1.1",
                                      "https://h2.test/d http/1.1", "https://h2.test/d h2"}));
  // Once per origin, never for an http URL.
  EXPECT_EQ(asked, (std::vector<std::string>{"https://h2.test", "https://old.test"}));
}

TEST(ProtocolPlan, ByDefaultTheWritableUrlMustOfferH2Too) {
  OffersH2 offers = [](const Url& url) { return url.host == "h2.test"; };
  EXPECT_EQ(
      planned(plan_protocols({target("https://h2.test/a", "https://old.test/w")}, {}, offers)),
      std::vector<std::string>{"https://h2.test/a http/1.1"});
  EXPECT_EQ(planned(plan_protocols({target("https://h2.test/a", "http://h2.test/w")}, {}, offers)),
            std::vector<std::string>{"https://h2.test/a http/1.1"});
  EXPECT_EQ(planned(plan_protocols({target("https://h2.test/a", "https://h2.test/w")}, {}, offers)),
            (std::vector<std::string>{"https://h2.test/a http/1.1", "https://h2.test/a h2"}));
}

TEST(ProtocolPlan, RequestedProtocolsInAFixedOrderWhereTheyReach) {
  OffersH2 never_asked = [](const Url&) -> bool {
    ADD_FAILURE() << "no probe when protocols are given";
    return false;
  };
  auto plan =
      plan_protocols({target("http://a.test/"), target("https://b.test/")},
                     {Protocol::h2c, Protocol::h2, Protocol::http1_1, Protocol::h2}, never_asked);
  EXPECT_EQ(planned(plan),
            (std::vector<std::string>{"http://a.test/ http/1.1", "http://a.test/ h2c",
                                      "https://b.test/ http/1.1", "https://b.test/ h2"}));
  EXPECT_EQ(planned(plan_protocols({target("https://b.test/")}, {Protocol::h2}, never_asked)),
            std::vector<std::string>{"https://b.test/ h2"});
}

TEST(ProtocolPlan, AUrlNoRequestedProtocolReachesIsAnError) {
  OffersH2 none = [](const Url&) { return false; };
  EXPECT_EQ(planned(plan_protocols({target("http://a.test/x")}, {Protocol::h2}, none)),
            std::vector<std::string>{
                "error: --protocol h2 cannot reach http://a.test/x: h2 is HTTP/2 over TLS, for "
                "https URLs (for cleartext HTTP/2 use --protocol h2c)"});
  EXPECT_EQ(planned(plan_protocols({target("https://a.test/x")}, {Protocol::h2c}, none)),
            std::vector<std::string>{
                "error: --protocol h2c cannot reach https://a.test/x: h2c is HTTP/2 over "
                "cleartext, for http URLs (for HTTP/2 over TLS use --protocol h2)"});
  EXPECT_EQ(planned(plan_protocols({target("https://a.test/x", "http://a.test/w")}, {Protocol::h2},
                                   none)),
            std::vector<std::string>{
                "error: --protocol h2 cannot reach https://a.test/x together with --unsafe-url "
                "http://a.test/w: h2 is HTTP/2 over TLS, for https URLs (for cleartext HTTP/2 use "
                "--protocol h2c)"});
  // Two protocols, each reaching one URL: both URLs are judged.
  EXPECT_EQ(planned(plan_protocols({target("http://a.test/"), target("https://b.test/")},
                                   {Protocol::h2, Protocol::h2c}, none)),
            (std::vector<std::string>{"http://a.test/ h2c", "https://b.test/ h2"}));
}

}  // namespace
}  // namespace condspec
