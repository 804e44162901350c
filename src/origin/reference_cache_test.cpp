#include "src/origin/reference_cache.h"

#include <gtest/gtest.h>

#include "src/http/wire_client.h"
#include "src/origin/instrumented_origin.h"

namespace condspec {
namespace {

using std::chrono::seconds;

std::string field_or_absent(const Fields& fields, std::string_view name) {
  return fields.combined(name).value_or("(absent)");
}

// The reference cache on 127.0.0.1 in front of an instrumented origin, both
// on ephemeral ports. The cache's clock is fixed and moved by hand, so that a
// stored response goes stale without sleeping; the origin keeps its own.
class ReferenceCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto origin = InstrumentedOrigin::start({});
    ASSERT_TRUE(origin.ok()) << origin.error().message;
    origin_ = std::move(*origin);
  }

  void start_cache(std::set<std::string> faults = {}) {
    auto cache = ReferenceCache::start(
        {.upstream = origin_->base_url(), .faults = std::move(faults), .clock = &clock_});
    ASSERT_TRUE(cache.ok()) << cache.error().message;
    cache_ = std::move(*cache);
  }

  Response get(const std::string& name, Fields fields = {}, const std::string& method = "GET") {
    WireClient client(*parse_url(cache_->base_url()), {});
    Request request;
    request.method = method;
    request.target = origin_->prefix() + name;
    request.fields = std::move(fields);
    Sent sent = client.send(request);
    EXPECT_TRUE(sent.exchange.ok()) << sent.exchange.error;
    return sent.exchange.response.value_or(Response{});
  }

  // A response stored for one second, validated by an ETag and a date.
  static OriginScript tagged(std::string tag, std::optional<Fields> not_modified = std::nullopt) {
    OriginScript script;
    script.fields = {{"Cache-Control", "max-age=1"},
                     {"ETag", "\"" + tag + "\""},
                     {"Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT"},
                     {"Content-Type", "text/plain"}};
    script.content = "content of " + tag;
    script.not_modified_fields = std::move(not_modified);
    return script;
  }

  void pass(seconds elapsed) { clock_.set(clock_.now() + elapsed); }

  static std::string field(const Response& response, std::string_view name) {
    return field_or_absent(response.fields, name);
  }

  FixedClock clock_{Seconds{seconds{1'700'000'000}}};
  std::unique_ptr<InstrumentedOrigin> origin_;
  std::unique_ptr<ReferenceCache> cache_;
};

TEST_F(ReferenceCacheTest, StoresAFreshResponseAndServesItWithAnAge) {
  start_cache();
  ASSERT_TRUE(origin_->script("r", tagged("v1")).ok());
  const Response first = get("r");
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.content, "content of v1");
  const Response second = get("r");
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.content, "content of v1");
  EXPECT_EQ(field(second, "Content-Length"), "13");
  EXPECT_EQ(field(second, "Age"), "0");
  EXPECT_EQ(origin_->received_count("r"), 1u);
}

TEST_F(ReferenceCacheTest, DoesNotStoreWhatItMayNot) {
  start_cache();
  OriginScript script = tagged("v1");
  script.fields.set("Cache-Control", "no-store");
  ASSERT_TRUE(origin_->script("r", script).ok());
  EXPECT_EQ(get("r").status, 200);
  EXPECT_EQ(get("r").content, "content of v1");
  EXPECT_EQ(origin_->received_count("r"), 2u);
}

TEST_F(ReferenceCacheTest, RevalidatesAStaleResponseWithItsValidators) {
  start_cache();
  ASSERT_TRUE(origin_->script("r", tagged("v1")).ok());
  get("r");
  pass(seconds{2});
  const Response revalidated = get("r");
  EXPECT_EQ(revalidated.status, 200);
  EXPECT_EQ(revalidated.content, "content of v1");
  const auto upstream = origin_->received("r", 1);
  ASSERT_EQ(upstream.size(), 1u);
  EXPECT_EQ(field_or_absent(upstream[0].request.fields, "If-None-Match"), "\"v1\"");
  EXPECT_EQ(field_or_absent(upstream[0].request.fields, "If-Modified-Since"),
            "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(upstream[0].response.status, 304);
}

TEST_F(ReferenceCacheTest, FreshensFromA304ButKeepsItsFramingAndContent) {
  start_cache();
  ASSERT_TRUE(origin_
                  ->script("r", tagged("v1", Fields{{"Cache-Control", "max-age=3600"},
                                                    {"ETag", "\"v1\""},
                                                    {"X-Version", "2"},
                                                    {"Content-Length", "0"}}))
                  .ok());
  get("r");
  pass(seconds{2});
  const Response freshened = get("r");
  EXPECT_EQ(freshened.status, 200);
  EXPECT_EQ(field(freshened, "X-Version"), "2");
  EXPECT_EQ(field(freshened, "Cache-Control"), "max-age=3600");
  // Not repeated by the 304, so kept (RFC 9111 3.2).
  EXPECT_EQ(field(freshened, "Last-Modified"), "Sun, 06 Nov 1994 08:49:37 GMT");
  // The 304's Content-Length describes the 304, not the stored content.
  EXPECT_EQ(field(freshened, "Content-Length"), "13");
  EXPECT_EQ(freshened.content, "content of v1");
  // Fresh for an hour now: served without asking the origin.
  pass(seconds{60});
  EXPECT_EQ(get("r").content, "content of v1");
  EXPECT_EQ(origin_->received_count("r"), 2u);
}

TEST_F(ReferenceCacheTest, A200ReplacesTheStoredResponse) {
  start_cache();
  ASSERT_TRUE(origin_->script("r", tagged("v1")).ok());
  get("r");
  ASSERT_TRUE(origin_->script("r", tagged("v2")).ok());
  pass(seconds{2});
  EXPECT_EQ(get("r").content, "content of v2");
  const Response old_tag = get("r", {{"If-None-Match", "\"v1\""}});
  EXPECT_EQ(old_tag.status, 200);
  EXPECT_EQ(field(old_tag, "ETag"), "\"v2\"");
  EXPECT_EQ(origin_->received_count("r"), 2u);
}

TEST_F(ReferenceCacheTest, AnswersAClientsIfNoneMatchFromItsStore) {
  start_cache();
  ASSERT_TRUE(origin_->script("r", tagged("v1")).ok());
  get("r");
  const Response not_modified = get("r", {{"If-None-Match", "\"v1\""}});
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_EQ(not_modified.content, "");
  EXPECT_EQ(field(not_modified, "ETag"), "\"v1\"");
  EXPECT_EQ(field(not_modified, "Content-Type"), "(absent)");
  EXPECT_EQ(get("r", {{"If-None-Match", "*"}}).status, 304);
  EXPECT_EQ(get("r", {{"If-None-Match", "\"v0\""}}).status, 200);
  // If-Match is the origin's to evaluate: ignored, so the stored 200.
  EXPECT_EQ(get("r", {{"If-Match", "\"v0\""}}).status, 200);
  EXPECT_EQ(origin_->received_count("r"), 1u);
}

// A stored response carrying every field RFC 9110 15.4.5 asks a 304 to
// repeat.
OriginScript with_all_304_fields() {
  OriginScript script;
  script.fields = {{"Cache-Control", "max-age=3600"},
                   {"Expires", "Fri, 01 Jan 2100 00:00:00 GMT"},
                   {"ETag", "\"v1\""},
                   {"Vary", "Accept-Encoding"},
                   {"Content-Location", "/documents/v1.txt"},
                   {"Content-Type", "text/plain"}};
  script.content = "content of v1";
  return script;
}

constexpr std::string_view kFieldsOfA304[] = {"Cache-Control", "Expires",          "ETag",
                                              "Vary",          "Content-Location", "Date"};

TEST_F(ReferenceCacheTest, ItsOwn304CarriesTheFieldsOfThe200) {
  start_cache();
  ASSERT_TRUE(origin_->script("r", with_all_304_fields()).ok());
  const Response stored = get("r");
  const Response not_modified = get("r", {{"If-None-Match", "\"v1\""}});
  EXPECT_EQ(not_modified.status, 304);
  for (auto name : kFieldsOfA304) {
    EXPECT_NE(field(stored, name), "(absent)") << name;
    EXPECT_EQ(field(not_modified, name), field(stored, name)) << name;
  }
}

TEST_F(ReferenceCacheTest, EachFaultOfThe304LeavesOutItsOwnFieldOnly) {
  const std::pair<std::string, std::string_view> faults[] = {
      {"304-without-etag", "ETag"},       {"304-without-cache-control", "Cache-Control"},
      {"304-without-vary", "Vary"},       {"304-without-content-location", "Content-Location"},
      {"304-without-expires", "Expires"}, {"304-without-date", "Date"}};
  for (const auto& [fault, left_out] : faults) {
    start_cache({fault});
    const std::string name = "r-" + fault;
    ASSERT_TRUE(origin_->script(name, with_all_304_fields()).ok());
    get(name);
    const Response not_modified = get(name, {{"If-None-Match", "\"v1\""}});
    EXPECT_EQ(not_modified.status, 304) << fault;
    for (auto field_name : kFieldsOfA304)
      EXPECT_EQ(not_modified.fields.has(field_name), field_name != left_out)
          << fault << ": " << field_name;
  }
}

TEST_F(ReferenceCacheTest, ItsOwn304ToHeadCarriesTheFieldsOfThe200AndNoContentType) {
  start_cache();
  ASSERT_TRUE(origin_->script("r", with_all_304_fields()).ok());
  const Response stored = get("r");
  const Response not_modified = get("r", {{"If-None-Match", "\"v1\""}}, "HEAD");
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_EQ(not_modified.content, "");
  for (auto name : kFieldsOfA304) EXPECT_EQ(field(not_modified, name), field(stored, name)) << name;
  EXPECT_EQ(field(not_modified, "Content-Type"), "(absent)");
  EXPECT_EQ(origin_->received_count("r"), 1u);
}

// The fault 304-with-content-type adds the stored Content-Type to the
// cache's own 304s, to GET and HEAD, and leaves every other field as it was.
TEST_F(ReferenceCacheTest, TheFault304WithContentTypeRepeatsTheStoredContentType) {
  start_cache({"304-with-content-type"});
  ASSERT_TRUE(origin_->script("r", with_all_304_fields()).ok());
  const Response stored = get("r");
  for (const std::string method : {"GET", "HEAD"}) {
    const Response not_modified = get("r", {{"If-None-Match", "\"v1\""}}, method);
    EXPECT_EQ(not_modified.status, 304) << method;
    EXPECT_EQ(not_modified.content, "") << method;
    EXPECT_EQ(field(not_modified, "Content-Type"), "text/plain") << method;
    for (auto name : kFieldsOfA304)
      EXPECT_EQ(field(not_modified, name), field(stored, name)) << method << ": " << name;
  }
}

TEST_F(ReferenceCacheTest, OnlyGetAndHead) {
  start_cache();
  ASSERT_TRUE(origin_->script("r", tagged("v1")).ok());
  const Response head = get("r", {}, "HEAD");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.content, "");
  EXPECT_EQ(get("r", {}, "DELETE").status, 405);
}

TEST_F(ReferenceCacheTest, TheFaultServeStaleNeverAsksTheOriginAgain) {
  start_cache({"serve-stale"});
  ASSERT_TRUE(origin_->script("r", tagged("v1")).ok());
  get("r");
  pass(seconds{2});
  const Response stale = get("r");
  EXPECT_EQ(stale.content, "content of v1");
  EXPECT_EQ(field(stale, "Age"), "2");
  EXPECT_EQ(origin_->received_count("r"), 1u);
}

TEST_F(ReferenceCacheTest, TheFaultRevalidateWithoutEtagSendsOnlyTheDate) {
  start_cache({"revalidate-without-etag"});
  ASSERT_TRUE(origin_->script("r", tagged("v1")).ok());
  get("r");
  pass(seconds{2});
  get("r");
  const auto upstream = origin_->received("r", 1);
  ASSERT_EQ(upstream.size(), 1u);
  EXPECT_EQ(field_or_absent(upstream[0].request.fields, "If-None-Match"), "(absent)");
  EXPECT_EQ(field_or_absent(upstream[0].request.fields, "If-Modified-Since"),
            "Sun, 06 Nov 1994 08:49:37 GMT");
}

TEST_F(ReferenceCacheTest, TheFaultKeepFieldsAfter304IgnoresTheNewValues) {
  start_cache({"keep-fields-after-304"});
  ASSERT_TRUE(origin_
                  ->script("r", tagged("v1", Fields{{"Cache-Control", "max-age=3600"},
                                                    {"ETag", "\"v1\""},
                                                    {"X-Version", "2"}}))
                  .ok());
  get("r");
  pass(seconds{2});
  const Response kept = get("r");
  EXPECT_EQ(field(kept, "X-Version"), "(absent)");
  EXPECT_EQ(field(kept, "Cache-Control"), "max-age=1");
}

TEST_F(ReferenceCacheTest, TheFaultContentLengthFrom304CutsTheStoredContent) {
  start_cache({"content-length-from-304"});
  ASSERT_TRUE(origin_
                  ->script("r", tagged("v1", Fields{{"Cache-Control", "max-age=3600"},
                                                    {"ETag", "\"v1\""},
                                                    {"Content-Length", "0"}}))
                  .ok());
  get("r");
  pass(seconds{2});
  const Response cut = get("r");
  EXPECT_EQ(cut.status, 200);
  EXPECT_EQ(cut.content, "");
  EXPECT_EQ(field(cut, "Content-Length"), "0");
}

TEST_F(ReferenceCacheTest, KeepsItsFramingWhenA304SaysTransferEncoding) {
  start_cache();
  ASSERT_TRUE(origin_
                  ->script("r", tagged("v1", Fields{{"Cache-Control", "max-age=3600"},
                                                    {"ETag", "\"v1\""},
                                                    {"Transfer-Encoding", "chunked"}}))
                  .ok());
  get("r");
  pass(seconds{2});
  const Response freshened = get("r");
  EXPECT_EQ(freshened.content, "content of v1");
  EXPECT_EQ(field(freshened, "Content-Length"), "13");
  EXPECT_EQ(field(freshened, "Transfer-Encoding"), "(absent)");
  EXPECT_EQ(field(freshened, "Cache-Control"), "max-age=3600");
}

TEST_F(ReferenceCacheTest, TheFaultTransferEncodingFrom304SendsBothFramings) {
  start_cache({"transfer-encoding-from-304"});
  ASSERT_TRUE(origin_
                  ->script("r", tagged("v1", Fields{{"Cache-Control", "max-age=3600"},
                                                    {"ETag", "\"v1\""},
                                                    {"Transfer-Encoding", "chunked"}}))
                  .ok());
  get("r");
  pass(seconds{2});
  const Response both = get("r");
  EXPECT_EQ(both.content, "content of v1");
  EXPECT_EQ(field(both, "Content-Length"), "13");
  EXPECT_EQ(field(both, "Transfer-Encoding"), "chunked");
}

OriginScript variant(const std::string& language, const std::string& content) {
  OriginScript script;
  script.fields = {{"Cache-Control", "max-age=3600"},
                   {"ETag", "\"" + language + "\""},
                   {"Vary", "Accept-Language"},
                   {"Content-Language", language}};
  script.content = content;
  return script;
}

TEST_F(ReferenceCacheTest, StoresOneResponsePerVariantAndServesEachItsOwn) {
  start_cache();
  ASSERT_TRUE(origin_->script("r", variant("en", "hello")).ok());
  EXPECT_EQ(get("r", {{"Accept-Language", "en"}}).content, "hello");
  ASSERT_TRUE(origin_->script("r", variant("fr", "bonjour")).ok());
  EXPECT_EQ(get("r", {{"Accept-Language", "fr"}}).content, "bonjour");
  EXPECT_EQ(get("r", {{"Accept-Language", "en"}}).content, "hello");
  EXPECT_EQ(get("r", {{"Accept-Language", "fr"}}).content, "bonjour");
  // No Accept-Language is a variant of its own.
  EXPECT_EQ(get("r").content, "bonjour");
  EXPECT_EQ(origin_->received_count("r"), 3u);
}

TEST_F(ReferenceCacheTest, TheFaultIgnoreVaryServesAnyStoredVariant) {
  start_cache({"ignore-vary-when-selecting"});
  ASSERT_TRUE(origin_->script("r", variant("en", "hello")).ok());
  get("r", {{"Accept-Language", "en"}});
  ASSERT_TRUE(origin_->script("r", variant("fr", "bonjour")).ok());
  EXPECT_EQ(get("r", {{"Accept-Language", "fr"}}).content, "hello");
  EXPECT_EQ(origin_->received_count("r"), 1u);
}

TEST(ReferenceCacheStartTest, RejectsAnUnknownFaultAndAnUpstreamThatIsNoHttpUrl) {
  auto unknown = ReferenceCache::start({.upstream = "http://127.0.0.1:1", .faults = {"nope"}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().message, "unknown cache fault 'nope' (see --list-faults)");
  auto https = ReferenceCache::start({.upstream = "https://127.0.0.1:1"});
  ASSERT_FALSE(https.ok());
  EXPECT_EQ(https.error().message,
            "the upstream must be an http:// URL, got 'https://127.0.0.1:1'");
}

TEST(ReferenceCacheStartTest, AnUnreachableOriginIs502) {
  // A port that was free a moment ago: nobody listens there.
  auto origin = InstrumentedOrigin::start({});
  ASSERT_TRUE(origin.ok());
  const std::string upstream = (*origin)->base_url();
  (*origin)->stop();
  origin->reset();
  auto cache = ReferenceCache::start({.upstream = upstream});
  ASSERT_TRUE(cache.ok()) << cache.error().message;
  WireClient client(*parse_url((*cache)->base_url()), {});
  Request request;
  request.target = "/anything";
  Sent sent = client.send(request);
  ASSERT_TRUE(sent.exchange.ok()) << sent.exchange.error;
  EXPECT_EQ(sent.exchange.response->status, 502);
}

}  // namespace
}  // namespace condspec
