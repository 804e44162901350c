#include "src/engine/checks.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "src/engine/outcome.h"
#include "src/http/fields.h"
#include "src/http/http_date.h"

namespace condspec {
namespace {

using std::chrono::sys_days;

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.starts_with(prefix);
}
bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}
using namespace std::chrono_literals;

const Seconds kNow = sys_days{std::chrono::year{2024} / 5 / 1} + 12h;

Requirement requirement(Level level = Level::must) {
  Requirement r;
  r.id = "9110-15.4.5-carry-fields";
  r.rfc = "9110";
  r.section = "15.4.5";
  r.level = level;
  r.summary = "A 304 carries the fields that a 200 to the same request would have carried.";
  r.link = "https://www.rfc-editor.org/rfc/rfc9110#section-15.4.5";
  return r;
}

Exchange exchange(int status, Fields fields, std::string content = "", std::string method = "GET") {
  Exchange e;
  e.request_bytes = method + " / HTTP/1.1\r\nHost: example.test\r\n\r\n";
  Response r;
  r.version = "HTTP/1.1";
  r.status = status;
  r.fields = std::move(fields);
  r.content = std::move(content);
  e.response = std::move(r);
  e.stray_checked = true;
  return e;
}

Template literal(std::string text) {
  Template t;
  t.pieces.push_back({text, std::nullopt});
  t.source = text;
  return t;
}

// A check of `spec` on step "again", with step "first" as the earlier step.
struct Harness {
  Exchange first = exchange(200,
                            {{"ETag", "\"abc\""},
                             {"Vary", "Accept-Encoding, Cookie"},
                             {"Cache-Control", "max-age=60"},
                             {"Content-Length", "11"}},
                            "hello world");
  Exchange again = exchange(304, {{"ETag", "\"abc\""}});

  CheckResult run(CheckSpec spec, Level level = Level::must) const {
    RenderContext context{{{"first", &*first.response}}, kNow};
    CheckInput in{"again", again, {{"first", &first}}, &context, kNow};
    Expectation e{std::move(spec), "9110-15.4.5-carry-fields", {}};
    return evaluate_check(e, requirement(level), in);
  }
};

const std::string kSummary =
    "A 304 carries the fields that a 200 to the same request would have carried.";

// ---------------------------------------------------------------------------
// A response cut short (Exchange::cut_short): its head is judged by the
// kinds that judge only the head; content and framing say it was cut short.

Harness cut_short_416() {
  Harness h;
  Response head = *h.again.response;
  head.status = 416;
  head.framing = Framing::content_length;
  head.fields = Fields{};
  head.fields.add("Content-Length", "4096");
  h.again.response.reset();
  h.again.cut_short = head;
  h.again.error = "connection closed after 0 of 4096 content bytes";
  return h;
}

TEST(CutShort, TheHeadIsJudgedByTheKindsOfTheHeadAlone) {
  Harness h = cut_short_416();
  auto status = h.run(StatusCheck{{200}});
  EXPECT_EQ(status.outcome, Outcome::fail);
  EXPECT_EQ(status.actual, "status 416");
}

TEST(CutShort, TheContentCannotBeJudged) {
  Harness h = cut_short_416();
  auto content = h.run(ContentCheck{"first", {}});
  EXPECT_EQ(content.outcome, Outcome::error);
  EXPECT_EQ(content.expected, "the whole content");
  EXPECT_EQ(content.actual, "connection closed after 0 of 4096 content bytes");
  EXPECT_EQ(content.message,
            "Step 'again' got a response cut short (connection closed after 0 of 4096 content "
            "bytes), so its content cannot be judged.");
}

TEST(CutShort, FewerBytesThanContentLengthBreakTheFraming) {
  Harness h = cut_short_416();
  auto framing = h.run(ContentLengthExactCheck{});
  EXPECT_EQ(framing.outcome, Outcome::fail);
  EXPECT_EQ(framing.expected, "4096 bytes of content (Content-Length)");
  EXPECT_EQ(framing.actual, "0 bytes, then the connection ended");
  EXPECT_EQ(framing.message,
            "The 416 response announced Content-Length: 4096, but the server ended the "
            "connection after 0 bytes of content.");
}

// ---------------------------------------------------------------------------
// A response whose chunks are not chunks (Exchange::undecodable), as Apache
// httpd's mod_cache sends after a 304 with Transfer-Encoding (D14): its head
// is judged by the kinds of the head alone, its content by none, and
// framing_decodable says what the framing is.

Harness undecodable_200() {
  Harness h;
  Response head = *h.again.response;
  head.status = 200;
  head.framing = Framing::chunked;
  head.fields = Fields{};
  head.fields.add("Transfer-Encoding", "chunked");
  h.again.response.reset();
  h.again.undecodable = head;
  h.again.error = "invalid chunk size 'version 1'";
  return h;
}

TEST(Undecodable, TheHeadIsJudgedByTheKindsOfTheHeadAlone) {
  Harness h = undecodable_200();
  EXPECT_EQ(h.run(StatusCheck{{200}}).outcome, Outcome::pass);
  auto exclusive = h.run(ExclusiveFieldsCheck{{"Content-Length", "Transfer-Encoding"}});
  EXPECT_EQ(exclusive.outcome, Outcome::pass);
  EXPECT_EQ(exclusive.actual, "Transfer-Encoding: chunked");
}

TEST(Undecodable, TheContentCannotBeJudged) {
  Harness h = undecodable_200();
  auto content = h.run(ContentCheck{"first", {}});
  EXPECT_EQ(content.outcome, Outcome::error);
  EXPECT_EQ(content.expected, "the whole content");
  EXPECT_EQ(content.actual, "invalid chunk size 'version 1'");
  EXPECT_EQ(content.message,
            "Step 'again' got a response whose chunked content cannot be decoded (invalid chunk "
            "size 'version 1'), so its content cannot be judged.");
  EXPECT_EQ(h.run(ContentLengthExactCheck{}).outcome, Outcome::error);
}

TEST(Undecodable, ContentThatIsNotChunksBreaksTheFraming) {
  Harness h = undecodable_200();
  auto framing = h.run(FramingDecodableCheck{});
  EXPECT_EQ(framing.outcome, Outcome::fail);
  EXPECT_EQ(framing.expected, "content framed as the head announces");
  EXPECT_EQ(framing.actual,
            "Transfer-Encoding: chunked, then content that is not chunks (invalid chunk size "
            "'version 1')");
  EXPECT_EQ(framing.message,
            "The 200 response says Transfer-Encoding: chunked, but its content is not in chunks "
            "(invalid chunk size 'version 1'), so no recipient can frame it.");
}

TEST(Undecodable, TheServerAnswered) {
  Harness h = undecodable_200();
  auto responds = h.run(RespondsCheck{});
  EXPECT_EQ(responds.outcome, Outcome::pass);
  EXPECT_EQ(responds.actual, "status 200, its chunked content not decodable");
}

TEST(FramingDecodable, AResponseReadByItsFramingPasses) {
  Harness h;
  h.again = exchange(200, {{"Content-Length", "11"}}, "hello world");
  h.again.response->framing = Framing::content_length;
  auto framing = h.run(FramingDecodableCheck{});
  EXPECT_EQ(framing.outcome, Outcome::pass);
  EXPECT_EQ(framing.actual, "11 bytes of content (Content-Length)");
  h.again.response->framing = Framing::chunked;
  h.again.response->fields = Fields{};
  h.again.response->fields.add("Transfer-Encoding", "chunked");
  EXPECT_EQ(h.run(FramingDecodableCheck{}).actual,
            "11 bytes of content in chunks (Transfer-Encoding: chunked)");
}

// A connection cut short can happen to any response: never a fail of the
// framing, and never a pass.
TEST(FramingDecodable, ContentCutShortIsAnError) {
  Harness h = cut_short_416();
  auto framing = h.run(FramingDecodableCheck{});
  EXPECT_EQ(framing.outcome, Outcome::error);
  EXPECT_EQ(framing.message,
            "Step 'again' got a response cut short (connection closed after 0 of 4096 content "
            "bytes), so its content cannot be judged.");
}

TEST(FramingDecodable, NoResponseIsAnError) {
  Harness h;
  h.again.response.reset();
  h.again.error = "connection refused";
  EXPECT_EQ(h.run(FramingDecodableCheck{}).outcome, Outcome::error);
}

// ---------------------------------------------------------------------------
// Common fields and the level -> outcome mapping

TEST(Checks, ResultCarriesStepAndRequirementFromTheCatalog) {
  Harness h;
  auto r = h.run(StatusCheck{{304}}, Level::should);
  EXPECT_EQ(r.step, "again");
  EXPECT_EQ(r.requirement, "9110-15.4.5-carry-fields");
  EXPECT_EQ(r.rfc, "9110");
  EXPECT_EQ(r.section, "15.4.5");
  EXPECT_EQ(r.level, Level::should);
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.message, kSummary);
}

TEST(Checks, BrokenCheckOutcomeFollowsTheLevel) {
  Harness h;
  h.again.response->status = 200;
  EXPECT_EQ(h.run(StatusCheck{{304}}, Level::must).outcome, Outcome::fail);
  EXPECT_EQ(h.run(StatusCheck{{304}}, Level::must_not).outcome, Outcome::fail);
  EXPECT_EQ(h.run(StatusCheck{{304}}, Level::should).outcome, Outcome::warn);
  EXPECT_EQ(h.run(StatusCheck{{304}}, Level::should_not).outcome, Outcome::warn);
  EXPECT_EQ(h.run(StatusCheck{{304}}, Level::may).outcome, Outcome::info);
  EXPECT_EQ(h.run(StatusCheck{{304}}, Level::may).level, Level::may);
}

TEST(Checks, NoResponseIsAnError) {
  Harness h;
  h.again.response.reset();
  h.again.error = "connection refused";
  auto r = h.run(StatusCheck{{304}});
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_EQ(r.expected, "a response");
  EXPECT_EQ(r.actual, "");
  EXPECT_EQ(r.message,
            "Step 'again' got no response (connection refused), so it cannot be judged.");
}

// ---------------------------------------------------------------------------
// status

TEST(StatusCheck, Pass) {
  Harness h;
  auto r = h.run(StatusCheck{{304}});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.expected, "status 304");
  EXPECT_EQ(r.actual, "status 304");
  EXPECT_EQ(r.message, kSummary);
}

TEST(StatusCheck, Broken) {
  Harness h;
  h.again.response->status = 200;
  auto r = h.run(StatusCheck{{304}});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.expected, "status 304");
  EXPECT_EQ(r.actual, "status 200");
  EXPECT_EQ(r.message, "The server answered 200 where 304 was expected.");
}

TEST(StatusCheck, BrokenBySplitRequestAnsweredEarlySaysSo) {
  Harness h;
  h.again.response->status = 200;
  h.again.first_write_bytes = 45;
  h.again.answered_before_request_end = true;
  auto r = h.run(StatusCheck{{304}});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.message,
            "The server answered 200 where 304 was expected. It answered after the first 45 "
            "bytes of the request, before the rest of the header section was sent.");
  h.again.response->status = 304;
  EXPECT_EQ(h.run(StatusCheck{{304}}).outcome, Outcome::pass);
}

TEST(StatusCheck, TwoAllowed) {
  Harness h;
  h.again.response->status = 412;
  auto r = h.run(StatusCheck{{200, 304}});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.expected, "status 200 or 304");
  EXPECT_EQ(r.actual, "status 412");
  EXPECT_EQ(r.message, "The server answered 412 where 200 or 304 was expected.");
  h.again.response->status = 200;
  EXPECT_EQ(h.run(StatusCheck{{200, 304}}).outcome, Outcome::pass);
}

TEST(StatusCheck, SeveralAllowed) {
  Harness h;
  h.again.response->status = 416;
  auto r = h.run(StatusCheck{{200, 206, 304}});
  EXPECT_EQ(r.expected, "one of 200, 206, 304");
  EXPECT_EQ(r.message, "The server answered 416 where one of 200, 206, 304 was expected.");
  h.again.response->status = 206;
  EXPECT_EQ(h.run(StatusCheck{{200, 206, 304}}).outcome, Outcome::pass);
}

// ---------------------------------------------------------------------------
// field

TEST(FieldCheck, PresentPassAndBroken) {
  Harness h;
  auto r = h.run(FieldCheck{"etag", FieldCheck::Op::present, {}});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.expected, "etag present");
  EXPECT_EQ(r.actual, "etag: \"abc\"");

  r = h.run(FieldCheck{"Date", FieldCheck::Op::present, {}});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.expected, "Date present");
  EXPECT_EQ(r.actual, "Date absent");
  EXPECT_EQ(r.message, "The response has no Date field.");
}

TEST(FieldCheck, AbsentPassAndBroken) {
  Harness h;
  auto r = h.run(FieldCheck{"Content-Range", FieldCheck::Op::absent, {}});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.expected, "Content-Range absent");
  EXPECT_EQ(r.actual, "Content-Range absent");

  h.again.response->fields.add("Content-Range", "bytes 0-0/11");
  r = h.run(FieldCheck{"Content-Range", FieldCheck::Op::absent, {}}, Level::should_not);
  EXPECT_EQ(r.outcome, Outcome::warn);
  EXPECT_EQ(r.expected, "Content-Range absent");
  EXPECT_EQ(r.actual, "Content-Range: bytes 0-0/11");
  EXPECT_EQ(r.message, "The response carries Content-Range, which was expected to be absent.");
}

TEST(FieldCheck, EqualsComparesTheCombinedValue) {
  Harness h;
  h.again.response->fields.add("Cache-Control", "max-age=60");
  h.again.response->fields.add("Cache-Control", "public");
  auto r =
      h.run(FieldCheck{"Cache-Control", FieldCheck::Op::equals, literal("max-age=60, public")});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.expected, "Cache-Control: max-age=60, public");
  EXPECT_EQ(r.actual, "Cache-Control: max-age=60, public");

  r = h.run(FieldCheck{"Cache-Control", FieldCheck::Op::equals, literal("max-age=60")});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.expected, "Cache-Control: max-age=60");
  EXPECT_EQ(r.actual, "Cache-Control: max-age=60, public");
  EXPECT_EQ(r.message, "Cache-Control has a different value than expected.");
}

TEST(FieldCheck, EqualsAbsentFieldIsBroken) {
  Harness h;
  auto r = h.run(FieldCheck{"Last-Modified", FieldCheck::Op::equals,
                            literal("Tue, 30 Apr 2024 12:00:00 GMT")});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.expected, "Last-Modified: Tue, 30 Apr 2024 12:00:00 GMT");
  EXPECT_EQ(r.actual, "Last-Modified absent");
  EXPECT_EQ(r.message, "The response has no Last-Modified field.");
}

Template reference(std::vector<std::string> path, std::string source) {
  Expression x;
  x.kind = Expression::Kind::reference;
  x.path = std::move(path);
  Template t;
  t.pieces.push_back({"", x});
  t.source = std::move(source);
  return t;
}

TEST(FieldCheck, EqualsRendersTheTemplateWithEarlierSteps) {
  Harness h;
  auto r = h.run(
      FieldCheck{"ETag", FieldCheck::Op::equals, reference({"first", "etag"}, "{{ first.etag }}")});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.expected, "ETag: \"abc\"");
  EXPECT_EQ(r.actual, "ETag: \"abc\"");
}

TEST(FieldCheck, EqualsTemplateThatCannotRenderIsAnError) {
  Harness h;
  h.first.response->fields.remove("ETag");
  auto r = h.run(
      FieldCheck{"ETag", FieldCheck::Op::equals, reference({"first", "etag"}, "{{ first.etag }}")});
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_EQ(r.expected, "ETag: {{ first.etag }}");
  EXPECT_EQ(r.actual, "");
  // The reason after the colon is the template renderer's.
  EXPECT_TRUE(starts_with(r.message, "The expected value of ETag could not be computed: "))
      << r.message;
  EXPECT_TRUE(contains(r.message, "first")) << r.message;
  EXPECT_TRUE(r.message.ends_with(".")) << r.message;
}

TEST(FieldCheck, DiffersPassesOnAnotherValueOrNone) {
  Harness h;
  FieldCheck differs{"ETag", FieldCheck::Op::differs,
                     reference({"first", "etag"}, "{{ first.etag }}")};
  h.again.response->fields.set("ETag", "\"xyz\"");
  auto r = h.run(differs);
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.expected, "ETag absent or other than \"abc\"");
  EXPECT_EQ(r.actual, "ETag: \"xyz\"");
  h.again.response->fields.remove("ETag");
  EXPECT_EQ(h.run(differs).outcome, Outcome::pass);
  // The weak form is another value: the scenario decides what that means.
  h.again.response->fields.set("ETag", "W/\"abc\"");
  EXPECT_EQ(h.run(differs).outcome, Outcome::pass);
}

TEST(FieldCheck, DiffersFailsOnTheSameValue) {
  Harness h;
  h.again.response->fields.set("ETag", "\"abc\"");
  auto r = h.run(FieldCheck{"ETag", FieldCheck::Op::differs,
                            reference({"first", "etag"}, "{{ first.etag }}")});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.actual, "ETag: \"abc\"");
  EXPECT_EQ(r.message, "ETag has the value it was expected to differ from.");
  h.first.response->fields.remove("ETag");
  r = h.run(FieldCheck{"ETag", FieldCheck::Op::differs,
                       reference({"first", "etag"}, "{{ first.etag }}")});
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_TRUE(starts_with(r.message, "The value ETag must differ from could not be computed: "))
      << r.message;
}

TEST(FieldCheck, EqualsTemplateWithoutRenderContextIsAnError) {
  Harness h;
  CheckInput in{"again", h.again, {{"first", &h.first}}, nullptr, kNow};
  Expectation e{
      FieldCheck{"ETag", FieldCheck::Op::equals, reference({"first", "etag"}, "{{ first.etag }}")},
      "9110-15.4.5-carry-fields",
      {}};
  auto r = evaluate_check(e, requirement(), in);
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_EQ(r.message,
            "The expected value of ETag could not be computed: no earlier responses are "
            "available to render it.");
}

TEST(FieldCheck, MatchesWholeValue) {
  Harness h;
  auto r = h.run(FieldCheck{"ETag", FieldCheck::Op::matches, literal("\"[a-z]+\"")});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.expected, "ETag matches \"[a-z]+\"");
  EXPECT_EQ(r.actual, "ETag: \"abc\"");

  // Only part of the value matches: not enough.
  r = h.run(FieldCheck{"ETag", FieldCheck::Op::matches, literal("[a-z]+")}, Level::may);
  EXPECT_EQ(r.outcome, Outcome::info);
  EXPECT_EQ(r.expected, "ETag matches [a-z]+");
  EXPECT_EQ(r.actual, "ETag: \"abc\"");
  EXPECT_EQ(r.message, "ETag does not match the expected pattern.");
}

TEST(FieldCheck, MatchesAbsentFieldIsBroken) {
  Harness h;
  auto r = h.run(FieldCheck{"Age", FieldCheck::Op::matches, literal("[0-9]+")});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.actual, "Age absent");
  EXPECT_EQ(r.message, "The response has no Age field.");
}

// The first response's check, for fields only it carries (Vary).
CheckResult judge_first(const Harness& h, FieldCheck check) {
  CheckInput in{"first", h.first, {}, nullptr, kNow};
  Expectation e{std::move(check), "9110-15.4.5-carry-fields", {}};
  return evaluate_check(e, requirement(), in);
}

TEST(FieldCheck, MatchesWithMeansSaysItInWords) {
  Harness h;
  FieldCheck check{"ETag", FieldCheck::Op::matches, literal("[^\\\\]*")};
  check.means = "has no backslash";
  EXPECT_EQ(check.describe(), "ETag has no backslash");
  auto r = h.run(check);
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.expected, "ETag has no backslash");
  check.value = literal("W/.*");
  check.means = "is weak";
  r = h.run(check);
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.expected, "ETag is weak");
  EXPECT_EQ(r.message, "Expected: ETag is weak; it does not.");
}

TEST(FieldCheck, ListsFindsAMemberOfACommaSeparatedValue) {
  Harness h;  // Vary: Accept-Encoding, Cookie
  FieldCheck check{"Vary", FieldCheck::Op::lists, {}};
  check.members = {"accept-encoding", "*"};
  EXPECT_EQ(check.describe(), "Vary lists accept-encoding or *");
  auto r = judge_first(h, check);
  EXPECT_EQ(r.outcome, Outcome::pass) << r.message;
  EXPECT_EQ(r.expected, "Vary lists accept-encoding or *");
  EXPECT_EQ(r.actual, "Vary: Accept-Encoding, Cookie");

  check.members = {"Accept-Language", "Origin", "*"};
  r = judge_first(h, check);
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.expected, "Vary lists Accept-Language, Origin or *");
  EXPECT_EQ(r.message, "Vary does not list Accept-Language, Origin or *.");

  check.members = {"Accept"};  // a prefix of a member is not a member
  EXPECT_EQ(judge_first(h, check).outcome, Outcome::fail);

  check.members = {"Cookie"};
  r = h.run(check);  // the 304 carries no Vary
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.actual, "Vary absent");
  EXPECT_EQ(r.message, "The response has no Vary field.");
}

TEST(FieldCheck, BadRegexIsAnError) {
  Harness h;
  auto r = h.run(FieldCheck{"ETag", FieldCheck::Op::matches, literal("([a-z")});
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_EQ(r.expected, "ETag matches ([a-z");
  EXPECT_TRUE(starts_with(r.message, "The pattern for ETag is not a usable regular expression: "))
      << r.message;
}

// ---------------------------------------------------------------------------
// same_fields_as

TEST(SameFieldsCheck, ValuePass) {
  Harness h;
  h.again.response->fields.add("Vary", "cookie,  accept-encoding, Cookie");
  auto r = h.run(SameFieldsCheck{"first", {"ETag", "Vary", "Expires"}, false});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.expected, "ETag: \"abc\"; Vary: Accept-Encoding, Cookie (as in step first)");
  EXPECT_EQ(r.actual, "ETag: \"abc\"; Vary: cookie,  accept-encoding, Cookie");
  EXPECT_EQ(r.message, kSummary);
}

TEST(SameFieldsCheck, MissingField) {
  Harness h;
  h.again.response->fields.remove("ETag");
  auto r = h.run(SameFieldsCheck{"first", {"ETag"}, false});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.expected, "ETag: \"abc\" (as in step first)");
  EXPECT_EQ(r.actual, "ETag absent");
  EXPECT_EQ(r.message,
            "The 304 response does not carry ETag, which the 200 response of step 'first' "
            "carried.");
}

TEST(SameFieldsCheck, ValueIfPresentAllowsAnAbsentField) {
  Harness h;
  h.first.response->fields.add("Last-Modified", "Wed, 01 May 2024 12:00:00 GMT");
  SameFieldsCheck check{"first", {"Last-Modified"}, false, true};
  EXPECT_EQ(h.run(check).outcome, Outcome::pass);
  h.again.response->fields.add("Last-Modified", "Wed, 01 May 2024 12:00:01 GMT");
  auto r = h.run(check);
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.expected, "Last-Modified: Wed, 01 May 2024 12:00:00 GMT (as in step first)");
  EXPECT_EQ(r.actual, "Last-Modified: Wed, 01 May 2024 12:00:01 GMT");
  EXPECT_EQ(r.message,
            "The 304 response carries a different Last-Modified than the 200 response of step "
            "'first'.");
}

TEST(SameFieldsCheck, MissingAndDifferentFieldsAreAllReported) {
  Harness h;
  h.again.response->fields = {{"ETag", "\"xyz\""}, {"Vary", "Accept-Encoding"}};
  auto r = h.run(SameFieldsCheck{"first", {"ETag", "Cache-Control", "Vary"}, false});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.expected,
            "ETag: \"abc\"; Cache-Control: max-age=60; Vary: Accept-Encoding, Cookie (as in step "
            "first)");
  EXPECT_EQ(r.actual, "ETag: \"xyz\"; Cache-Control absent; Vary: Accept-Encoding");
  EXPECT_EQ(r.message,
            "The 304 response does not carry Cache-Control, and carries a different ETag and "
            "Vary than the 200 response of step 'first'.");
}

TEST(SameFieldsCheck, DifferentOnly) {
  Harness h;
  h.again.response->fields = {{"ETag", "W/\"abc\""}};
  auto r = h.run(SameFieldsCheck{"first", {"ETag"}, false}, Level::should);
  EXPECT_EQ(r.outcome, Outcome::warn);
  EXPECT_EQ(r.expected, "ETag: \"abc\" (as in step first)");
  EXPECT_EQ(r.actual, "ETag: W/\"abc\"");
  EXPECT_EQ(r.message,
            "The 304 response carries a different ETag than the 200 response of step 'first'.");
}

TEST(SameFieldsCheck, PresenceMode) {
  Harness h;
  h.again.response->fields = {{"ETag", "\"other\""}};
  auto r = h.run(SameFieldsCheck{"first", {"ETag"}, true});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.expected, "ETag present (as in step first)");
  EXPECT_EQ(r.actual, "ETag present");

  r = h.run(SameFieldsCheck{"first", {"ETag", "Cache-Control", "Vary"}, true});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.expected, "Cache-Control, Vary present (as in step first)");
  EXPECT_EQ(r.actual, "Cache-Control, Vary absent");
  EXPECT_EQ(r.message,
            "The 304 response does not carry Cache-Control and Vary, which the 200 response of "
            "step 'first' carried.");
}

TEST(SameFieldsCheck, NothingToCompare) {
  Harness h;
  auto r = h.run(SameFieldsCheck{"first", {"Expires", "Content-Location"}, false});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.expected, "nothing to carry (step first has none of Expires, Content-Location)");
  EXPECT_EQ(r.actual, "-");
  EXPECT_EQ(r.message,
            "Step 'first' has none of Expires, Content-Location, so there is nothing to compare.");
}

TEST(SameFieldsCheck, EarlierStepWithoutResponseIsAnError) {
  Harness h;
  h.first.response.reset();
  auto r = h.run(SameFieldsCheck{"first", {"ETag"}, false});
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_EQ(r.expected, "fields as in step first");
  EXPECT_EQ(r.message, "Step 'first' got no response, so there is nothing to compare with.");
}

TEST(SameFieldsCheck, UnknownStepIsAnError) {
  Harness h;
  auto r = h.run(SameFieldsCheck{"later", {"ETag"}, false});
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_EQ(r.message,
            "Step 'later' is not an earlier step of this scenario, so there is nothing to compare "
            "with.");
}

// ---------------------------------------------------------------------------
// no_content

TEST(NoContentCheck, Pass) {
  Harness h;
  auto r = h.run(NoContentCheck{});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.expected, "no content after the header section");
  EXPECT_EQ(r.actual, "no content");
  EXPECT_EQ(r.message, kSummary);
}

TEST(NoContentCheck, StrayBytesAreBroken) {
  Harness h;
  h.again.stray_bytes = "hello\r\n";
  auto r = h.run(NoContentCheck{});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.expected, "no content after the header section");
  EXPECT_EQ(r.actual, "7 bytes after the header section: hello\\r\\n\n");
  EXPECT_EQ(r.message, "The 304 response is followed by 7 bytes, but it cannot have content.");
}

TEST(NoContentCheck, ShowsOnlyTheFirst200Bytes) {
  Harness h;
  h.again.stray_bytes = std::string(250, 'x');
  auto r = h.run(NoContentCheck{});
  EXPECT_EQ(r.actual, "250 bytes after the header section: " + std::string(200, 'x') + "...");
}

TEST(NoContentCheck, ContentOnHeadIsBroken) {
  Harness h;
  h.again = exchange(200, {}, std::string("\x01", 1), "HEAD");
  auto r = h.run(NoContentCheck{});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.actual, "1 byte of content: \\x01");
  EXPECT_EQ(r.message,
            "The 200 response to HEAD has 1 byte of content, but it cannot have content.");
}

TEST(NoContentCheck, ContentAndStrayBytes) {
  Harness h;
  h.again.response->content = "ab";
  h.again.stray_bytes = "c";
  auto r = h.run(NoContentCheck{});
  EXPECT_EQ(r.actual, "2 bytes of content: ab; 1 byte after the header section: c");
  EXPECT_EQ(r.message,
            "The 304 response has 2 bytes of content and is followed by 1 byte, but it cannot "
            "have content.");
}

TEST(NoContentCheck, UncheckedStrayBytesAreAnError) {
  Harness h;
  h.again.stray_checked = false;
  auto r = h.run(NoContentCheck{});
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_EQ(r.expected, "no content after the header section");
  EXPECT_EQ(r.actual, "");
  EXPECT_EQ(r.message,
            "Nothing was read after the response, so content after its header section could not "
            "be ruled out.");
}

// ---------------------------------------------------------------------------
// content_equals

TEST(ContentCheck, WholeContentPass) {
  Harness h;
  h.again.response->content = "hello world";
  auto r = h.run(ContentCheck{"first", std::nullopt});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.expected, "11 bytes (as in step first): hello world");
  EXPECT_EQ(r.actual, "11 bytes: hello world");
}

TEST(ContentCheck, WholeContentBroken) {
  Harness h;
  h.again.response->content = "hello there";
  auto r = h.run(ContentCheck{"first", std::nullopt});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.expected, "11 bytes (as in step first): hello world");
  EXPECT_EQ(r.actual, "11 bytes: hello there");
  EXPECT_EQ(r.message,
            "The content differs from the content of step 'first' (first difference at byte 6).");
}

TEST(ContentCheck, RangePassAndBroken) {
  Harness h;
  h.again.response->content = "h";
  auto r = h.run(ContentCheck{"first", std::pair<std::uint64_t, std::uint64_t>{0, 0}});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.expected, "1 byte (bytes 0-0 of step first): h");
  EXPECT_EQ(r.actual, "1 byte: h");

  h.again.response->content = "hello world";
  r = h.run(ContentCheck{"first", std::pair<std::uint64_t, std::uint64_t>{6, 10}});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.expected, "5 bytes (bytes 6-10 of step first): world");
  EXPECT_EQ(r.actual, "11 bytes: hello world");
  EXPECT_EQ(r.message,
            "The content differs from bytes 6-10 of the content of step 'first' (first difference "
            "at byte 0).");
}

TEST(ContentCheck, ShorterContentDiffersWhereItEnds) {
  Harness h;
  h.again.response->content = "hello";
  auto r = h.run(ContentCheck{"first", std::nullopt});
  EXPECT_EQ(r.message,
            "The content differs from the content of step 'first' (first difference at byte 5).");
}

TEST(ContentCheck, RangeOutsideTheEarlierContentIsAnError) {
  Harness h;
  auto r = h.run(ContentCheck{"first", std::pair<std::uint64_t, std::uint64_t>{5, 11}});
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_EQ(r.expected, "content bytes 5-11 of step first");
  EXPECT_EQ(r.message, "The range 5-11 lies outside the 11 bytes of content of step 'first'.");
}

// A suffix is the last N bytes, and all of them when the content is shorter
// (RFC 9110 14.1.2); a 206 that holds the first bytes instead differs.
TEST(ContentCheck, SuffixIsTheLastBytes) {
  Harness h;
  ContentCheck last_five{"first", std::nullopt, 5};
  h.again.response->content = "world";
  auto r = h.run(last_five);
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.expected, "5 bytes (the last 5 bytes of step first): world");
  h.again.response->content = "hello ";
  r = h.run(last_five);
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.message,
            "The content differs from the last 5 bytes of the content of step 'first' (first "
            "difference at byte 0).");
  h.again.response->content = "hello world";
  EXPECT_EQ(h.run(ContentCheck{"first", std::nullopt, 500}).outcome, Outcome::pass);
}

// ---------------------------------------------------------------------------
// content_length_consistent

TEST(ContentLengthCheck, AbsentPasses) {
  Harness h;
  auto r = h.run(ContentLengthCheck{"first"});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.expected, "Content-Length: 11 (the content length of step first)");
  EXPECT_EQ(r.actual, "Content-Length absent");
  EXPECT_EQ(r.message, "The response has no Content-Length, so there is nothing to compare.");
}

TEST(ContentLengthCheck, EqualPasses) {
  Harness h;
  h.again.response->fields.add("Content-Length", "11");
  auto r = h.run(ContentLengthCheck{"first"});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.actual, "Content-Length: 11");
  EXPECT_EQ(r.message, kSummary);
}

TEST(ContentLengthCheck, ZeroOnA304IsBroken) {
  Harness h;
  h.again.response->fields.add("Content-Length", "0");
  auto r = h.run(ContentLengthCheck{"first"});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.expected, "Content-Length: 11 (the content length of step first)");
  EXPECT_EQ(r.actual, "Content-Length: 0");
  EXPECT_EQ(r.message,
            "Content-Length says 0 bytes, but the content of step 'first' is 11 bytes long.");
}

TEST(ContentLengthCheck, InvalidOrRepeatedValueIsBroken) {
  Harness h;
  h.again.response->fields.add("Content-Length", "-1");
  auto r = h.run(ContentLengthCheck{"first"});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.actual, "Content-Length: -1");
  EXPECT_EQ(r.message, "Content-Length is not a single non-negative integer.");

  h.again.response->fields.set("Content-Length", "11");
  h.again.response->fields.add("Content-Length", "11");
  r = h.run(ContentLengthCheck{"first"});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.actual, "Content-Length: 11, 11");
  EXPECT_EQ(r.message, "Content-Length is not a single non-negative integer.");
}

TEST(ContentLengthCheck, EarlierWithoutValidContentLengthUsesItsContentSize) {
  Harness h;
  h.first.response->fields.set("Content-Length", "eleven");
  h.again.response->fields.add("Content-Length", "11");
  auto r = h.run(ContentLengthCheck{"first"});
  EXPECT_EQ(r.outcome, Outcome::pass);
  // A HEAD baseline: no content, but Content-Length says what a GET would carry.
  h.first.response->fields.set("Content-Length", "1234");
  h.first.response->content.clear();
  r = h.run(ContentLengthCheck{"first"});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.expected, "Content-Length: 1234 (the content length of step first)");
}

TEST(ContentLengthCheck, EarlierStepWithoutResponseIsAnError) {
  Harness h;
  h.first.response.reset();
  auto r = h.run(ContentLengthCheck{"first"});
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_EQ(r.expected, "Content-Length as in step first");
  EXPECT_EQ(r.message, "Step 'first' got no response, so there is nothing to compare with.");
}

// ---------------------------------------------------------------------------
// last_modified_not_after_date

TEST(LastModifiedNotAfterDateCheck, Pass) {
  Harness h;
  h.again.response->fields.add("Last-Modified", "Tue, 30 Apr 2024 12:00:00 GMT");
  h.again.response->fields.add("Date", "Wed, 01 May 2024 12:00:00 GMT");
  auto r = h.run(LastModifiedNotAfterDateCheck{});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.expected, "Last-Modified no later than Date");
  EXPECT_EQ(r.actual,
            "Last-Modified: Tue, 30 Apr 2024 12:00:00 GMT; Date: Wed, 01 May 2024 12:00:00 GMT");
  EXPECT_EQ(r.message, kSummary);
}

TEST(LastModifiedNotAfterDateCheck, EqualDatesPass) {
  Harness h;
  h.again.response->fields.add("Last-Modified", "Wed, 01 May 2024 12:00:00 GMT");
  // An obsolete form still parses: syntax is date_syntax's business.
  h.again.response->fields.add("Date", "Wednesday, 01-May-24 12:00:00 GMT");
  EXPECT_EQ(h.run(LastModifiedNotAfterDateCheck{}).outcome, Outcome::pass);
}

TEST(LastModifiedNotAfterDateCheck, Broken) {
  Harness h;
  h.again.response->fields.add("Last-Modified", "Wed, 01 May 2024 13:00:00 GMT");
  h.again.response->fields.add("Date", "Wed, 01 May 2024 12:00:00 GMT");
  auto r = h.run(LastModifiedNotAfterDateCheck{}, Level::must_not);
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.expected, "Last-Modified no later than Date");
  EXPECT_EQ(r.actual,
            "Last-Modified: Wed, 01 May 2024 13:00:00 GMT; Date: Wed, 01 May 2024 12:00:00 GMT");
  EXPECT_EQ(r.message, "Last-Modified is 3600 seconds later than the Date of the same response.");
}

TEST(LastModifiedNotAfterDateCheck, NothingToCompare) {
  Harness h;
  auto r = h.run(LastModifiedNotAfterDateCheck{});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.actual, "Last-Modified absent; Date absent");
  EXPECT_EQ(r.message,
            "Nothing to compare: the response has no Last-Modified and the response has no Date.");

  h.again.response->fields.add("Last-Modified", "yesterday");
  h.again.response->fields.add("Date", "Wed, 01 May 2024 12:00:00 GMT");
  r = h.run(LastModifiedNotAfterDateCheck{});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.message, "Nothing to compare: Last-Modified is not an HTTP-date.");
}

// ---------------------------------------------------------------------------
// etag_syntax

TEST(EtagSyntaxCheck, ValidTagsPass) {
  Harness h;
  auto r = h.run(EtagSyntaxCheck{});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.expected, "ETag absent or one entity-tag, e.g. \"xyz\" or W/\"xyz\"");
  EXPECT_EQ(r.actual, "ETag: \"abc\"");
  EXPECT_EQ(r.message, kSummary);
  h.again.response->fields.set("ETag", "W/\"\"");
  EXPECT_EQ(h.run(EtagSyntaxCheck{}).outcome, Outcome::pass);
}

TEST(EtagSyntaxCheck, AbsentPasses) {
  Harness h;
  h.again.response->fields.remove("ETag");
  auto r = h.run(EtagSyntaxCheck{});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.actual, "ETag absent");
  EXPECT_EQ(r.message, "The response has no ETag, so there is nothing to check.");
}

TEST(EtagSyntaxCheck, InvalidTagIsBroken) {
  Harness h;
  h.again.response->fields.set("ETag", "abc");
  auto r = h.run(EtagSyntaxCheck{});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.actual, "ETag: abc");
  EXPECT_EQ(r.message,
            "The ETag value is not an entity-tag: an optional W/ followed by a double-quoted "
            "string without spaces or quotes.");
  h.again.response->fields.set("ETag", "w/\"abc\"");
  EXPECT_EQ(h.run(EtagSyntaxCheck{}).outcome, Outcome::fail);
}

TEST(EtagSyntaxCheck, TwoLinesAreBroken) {
  Harness h;
  h.again.response->fields.add("ETag", "\"def\"");
  auto r = h.run(EtagSyntaxCheck{}, Level::must);
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.actual, "2 ETag lines: \"abc\"; \"def\"");
  EXPECT_EQ(r.message,
            "The response has 2 ETag field lines, but an ETag holds exactly one entity-tag.");
}

// ---------------------------------------------------------------------------
// date_syntax

TEST(DateSyntaxCheck, Pass) {
  Harness h;
  h.again.response->fields.add("Date", "Wed, 01 May 2024 12:00:00 GMT");
  auto r = h.run(DateSyntaxCheck{{"Date", "Last-Modified"}});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.expected, "Date in IMF-fixdate form");
  EXPECT_EQ(r.actual, "Date: Wed, 01 May 2024 12:00:00 GMT");
  EXPECT_EQ(r.message, kSummary);
}

TEST(DateSyntaxCheck, NonePresentPasses) {
  Harness h;
  auto r = h.run(DateSyntaxCheck{{"Date", "Last-Modified"}});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.expected, "Date, Last-Modified in IMF-fixdate form when present");
  EXPECT_EQ(r.actual, "none present");
  EXPECT_EQ(r.message,
            "The response has none of Date, Last-Modified, so there is nothing to check.");
}

TEST(DateSyntaxCheck, ObsoleteFormsAndGarbageAreBroken) {
  Harness h;
  h.again.response->fields.add("Date", "Wed, 01 May 2024 12:00:00 GMT");
  h.again.response->fields.add("Last-Modified", "Tuesday, 30-Apr-24 12:00:00 GMT");
  h.again.response->fields.add("Expires", "0");
  auto r = h.run(DateSyntaxCheck{{"Date", "Last-Modified", "Expires"}});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.expected,
            "Last-Modified, Expires in IMF-fixdate form, e.g. Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(r.actual, "Last-Modified: Tuesday, 30-Apr-24 12:00:00 GMT; Expires: 0");
  EXPECT_EQ(r.message,
            "Last-Modified uses the obsolete RFC 850 form instead of IMF-fixdate; Expires is not "
            "an HTTP-date at all.");
}

TEST(DateSyntaxCheck, AsctimeIsBroken) {
  Harness h;
  h.again.response->fields.add("Date", "Wed May  1 12:00:00 2024");
  auto r = h.run(DateSyntaxCheck{{"Date"}}, Level::should);
  EXPECT_EQ(r.outcome, Outcome::warn);
  EXPECT_EQ(r.message, "Date uses the obsolete asctime form instead of IMF-fixdate.");
}

// Two lines are RFC 9110 5.3's concern (one_field_line); here each line is
// judged as a date, so two good ones pass.
TEST(DateSyntaxCheck, RepeatedLinesAreEachJudgedAsDates) {
  Harness h;
  h.again.response->fields.add("Date", "Wed, 01 May 2024 12:00:00 GMT");
  h.again.response->fields.add("Date", "Wed, 01 May 2024 12:00:00 GMT");
  auto r = h.run(DateSyntaxCheck{{"Date"}});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.actual, "2 Date lines: Wed, 01 May 2024 12:00:00 GMT; Wed, 01 May 2024 12:00:00 GMT");
}

TEST(DateSyntaxCheck, ABadLineAmongRepeatedLinesIsBroken) {
  Harness h;
  h.again.response->fields.add("Date", "Wed, 01 May 2024 12:00:00 GMT");
  h.again.response->fields.add("Date", "Wednesday, 01-May-24 12:00:00 GMT");
  auto r = h.run(DateSyntaxCheck{{"Date"}});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.message, "One Date line uses the obsolete RFC 850 form instead of IMF-fixdate.");
}

// ---------------------------------------------------------------------------
// one_field_line

TEST(OneFieldLineCheck, OneLineEachPasses) {
  Harness h;
  h.again.response->fields.add("Date", "Wed, 01 May 2024 12:00:00 GMT");
  auto r = h.run(OneFieldLineCheck{{"Date", "Last-Modified"}});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.expected, "Date and Last-Modified on one field line each");
  EXPECT_EQ(r.actual, "no field repeated");
}

TEST(OneFieldLineCheck, TwoEqualDateLinesAreBroken) {
  Harness h;
  h.again.response->fields.add("Date", "Wed, 01 May 2024 12:00:00 GMT");
  h.again.response->fields.add("Date", "Wed, 01 May 2024 12:00:00 GMT");
  auto r = h.run(OneFieldLineCheck{{"Date", "Last-Modified", "Expires"}});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.expected, "Date, Last-Modified and Expires on one field line each");
  EXPECT_EQ(r.actual, "2 Date lines: Wed, 01 May 2024 12:00:00 GMT; Wed, 01 May 2024 12:00:00 GMT");
  EXPECT_EQ(r.message,
            "Date appears on 2 field lines; a field that is not a list is sent once (RFC 9110 "
            "5.3).");
}

// ---------------------------------------------------------------------------
// date_whitespace

TEST(DateWhitespaceCheck, SingleSpacesPass) {
  Harness h;
  h.again.response->fields.add("Date", "Wed, 01 May 2024 12:00:00 GMT");
  auto r = h.run(DateWhitespaceCheck{{"Date", "Expires"}});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.expected, "Date without extra whitespace");
  EXPECT_EQ(r.actual, "Date: \"Wed, 01 May 2024 12:00:00 GMT\"");
}

TEST(DateWhitespaceCheck, DoubledSpaceIsBrokenButSyntaxIsNot) {
  Harness h;
  h.again.response->fields.add("Expires", "Wed,  01 May 2024 12:00:00\tGMT");
  auto r = h.run(DateWhitespaceCheck{{"Date", "Expires"}});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.expected, "Expires with single spaces only, e.g. Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(r.actual, "Expires: \"Wed,  01 May 2024 12:00:00\\x09GMT\"");
  EXPECT_EQ(r.message,
            "Expires contains whitespace beyond the single spaces of the HTTP-date grammar.");
  // The form itself is IMF-fixdate: date_syntax leaves the spaces to this check.
  EXPECT_EQ(h.run(DateSyntaxCheck{{"Expires"}}).outcome, Outcome::pass);
}

TEST(DateWhitespaceCheck, ValuesThatAreNoDateAreLeftToDateSyntax) {
  Harness h;
  h.again.response->fields.add("Expires", "0");
  auto r = h.run(DateWhitespaceCheck{{"Expires"}});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.message, "The response has no date in Expires, so there is nothing to check.");
}

// ---------------------------------------------------------------------------
// date_near_now

TEST(DateNearNowCheck, WithinTolerancePasses) {
  Harness h;
  h.again.response->fields.add("Date", format_imf_fixdate(kNow - 299s));
  EXPECT_EQ(h.run(DateNearNowCheck{300}, Level::should).outcome, Outcome::pass);
}

TEST(DateNearNowCheck, AnHourBehindIsBroken) {
  Harness h;
  h.again.response->fields.add("Date", format_imf_fixdate(kNow - 1h));
  auto r = h.run(DateNearNowCheck{300}, Level::should);
  EXPECT_EQ(r.outcome, Outcome::warn);
  EXPECT_EQ(r.expected,
            "Date within 300 seconds of condspec's clock (" + format_imf_fixdate(kNow) + ")");
  EXPECT_EQ(r.message,
            "Date is 3600 seconds behind condspec's clock; the tolerance is 300 seconds. (If "
            "condspec's own clock is wrong, so is this finding.)");
  h.again.response->fields.set("Date", format_imf_fixdate(kNow + 400s));
  EXPECT_EQ(h.run(DateNearNowCheck{300}, Level::should).message,
            "Date is 400 seconds ahead of condspec's clock; the tolerance is 300 seconds. (If "
            "condspec's own clock is wrong, so is this finding.)");
}

TEST(DateNearNowCheck, MissingDateIsLeftToOtherChecks) {
  Harness h;
  auto r = h.run(DateNearNowCheck{300}, Level::should);
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.actual, "Date absent");
}

}  // namespace
}  // namespace condspec

namespace condspec {
namespace {

Exchange with_fields(int status, Fields fields) {
  Exchange ex;
  ex.response = Response{};
  ex.response->status = status;
  ex.response->fields = std::move(fields);
  ex.stray_checked = true;
  return ex;
}

CheckResult same_cache_control_result(Fields earlier_fields, Fields later_fields) {
  Requirement r;
  r.id = "9110-15.4.5-cache-control";
  r.rfc = "9110";
  r.section = "15.4.5";
  r.level = Level::must;
  r.summary = "carried";
  Exchange first = with_fields(200, std::move(earlier_fields));
  Exchange later = with_fields(304, std::move(later_fields));
  Expectation e{SameFieldsCheck{"first", {"Cache-Control"}, false}, r.id, {}};
  CheckInput in{"revalidate",
                later,
                {{"first", &first}},
                nullptr,
                Seconds{std::chrono::sys_days{std::chrono::year{2026} / 1 / 1}}};
  return evaluate_check(e, r, in);
}

TEST(SameCacheControl, DirectivesCompareAsASetWhateverTheirOrderAndSpacing) {
  auto r = same_cache_control_result({{"Cache-Control", "max-age=60, public"}},
                                     {{"Cache-Control", "PUBLIC,max-age=60"}});
  EXPECT_EQ(r.outcome, Outcome::pass) << r.actual;
  auto quoted = same_cache_control_result({{"Cache-Control", "no-cache=\"Set-Cookie, X\""}},
                                          {{"Cache-Control", "no-cache=\"Set-Cookie, X\""}});
  EXPECT_EQ(quoted.outcome, Outcome::pass);
}

TEST(SameCacheControl, MaxAgeMayCountDownByTheTimeBetweenTheResponses) {
  auto r = same_cache_control_result(
      {{"Date", "Thu, 01 Jan 2026 00:00:00 GMT"}, {"Cache-Control", "max-age=3600"}},
      {{"Date", "Thu, 01 Jan 2026 00:00:05 GMT"}, {"Cache-Control", "max-age=3595"}});
  EXPECT_EQ(r.outcome, Outcome::pass) << r.actual;
  auto grew = same_cache_control_result(
      {{"Date", "Thu, 01 Jan 2026 00:00:00 GMT"}, {"Cache-Control", "max-age=3600"}},
      {{"Date", "Thu, 01 Jan 2026 00:00:05 GMT"}, {"Cache-Control", "max-age=3700"}});
  EXPECT_EQ(grew.outcome, Outcome::fail);
  auto dropped = same_cache_control_result({{"Cache-Control", "max-age=60, public"}},
                                           {{"Cache-Control", "max-age=60"}});
  EXPECT_EQ(dropped.outcome, Outcome::fail);
}

TEST(FieldMatches, ValuesTooLongToMatchSafelyAreNotJudged) {
  Requirement r;
  r.id = "x";
  r.level = Level::must;
  Exchange ex = with_fields(200, {{"X-Long", std::string(5000, 'a')}});
  FieldCheck check;
  check.name = "X-Long";
  check.op = FieldCheck::Op::matches;
  check.value.source = "a*";
  check.value.pieces.push_back({"a*", std::nullopt});
  Expectation e{check, "x", {}};
  CheckInput in{"s", ex, {}, nullptr, Seconds{}};
  auto result = evaluate_check(e, r, in);
  EXPECT_EQ(result.outcome, Outcome::error);
  EXPECT_EQ(result.message,
            "X-Long is 5000 bytes long; values over 4096 bytes are not matched against patterns.");
}

}  // namespace
}  // namespace condspec

namespace condspec {
namespace {

// ---------------------------------------------------------------------------
// content_length_exact

Harness framed_by_content_length() {
  Harness h;
  h.again = exchange(200, {{"Content-Length", "5"}}, "hello");
  h.again.response->framing = Framing::content_length;
  return h;
}

TEST(ContentLengthExactCheck, NothingAfterTheContentPasses) {
  Harness h = framed_by_content_length();
  auto r = h.run(ContentLengthExactCheck{});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.expected,
            "5 bytes of content (Content-Length), then nothing before the next response");
  EXPECT_EQ(r.actual, "5 bytes of content, nothing after it");
  EXPECT_EQ(r.message, kSummary);
}

TEST(ContentLengthExactCheck, BytesBeyondTheLengthAreBrokenAndShown) {
  Harness h = framed_by_content_length();
  h.again.stray_bytes = "!\n";
  auto r = h.run(ContentLengthExactCheck{});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.actual, "5 bytes of content, then 2 bytes: !\\n\n");
  EXPECT_EQ(r.message,
            "The 200 response announced 5 bytes of content, but 2 bytes more followed it before "
            "the next response.");
}

TEST(ContentLengthExactCheck, OtherFramingHasNothingToCheck) {
  Harness h = framed_by_content_length();
  h.again.response->framing = Framing::chunked;
  h.again.stray_bytes = "x";  // not this check's business
  auto r = h.run(ContentLengthExactCheck{});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.actual, "not framed by Content-Length");
  EXPECT_EQ(r.message,
            "The response is not framed by Content-Length, so there is nothing to check.");
}

TEST(ContentLengthExactCheck, UncheckedStrayBytesAreAnError) {
  Harness h = framed_by_content_length();
  h.again.stray_checked = false;
  auto r = h.run(ContentLengthExactCheck{});
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_EQ(r.message,
            "Nothing was read after the response, so bytes beyond its Content-Length could not "
            "be ruled out.");
}

// ---------------------------------------------------------------------------
// exclusive_fields

TEST(ExclusiveFieldsCheck, OneOrNonePasses) {
  Harness h;
  ExclusiveFieldsCheck check{{"Content-Length", "Transfer-Encoding"}};
  h.again = exchange(200, {{"Content-Length", "5"}}, "hello");
  auto r = h.run(check);
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.expected, "at most one of Content-Length, Transfer-Encoding");
  EXPECT_EQ(r.actual, "Content-Length: 5");
  h.again = exchange(200, {}, "hello");
  EXPECT_EQ(h.run(check).actual, "none present");
}

TEST(ExclusiveFieldsCheck, BothAreBroken) {
  Harness h;
  h.again = exchange(200, {{"Transfer-Encoding", "chunked"}, {"Content-Length", "5"}}, "hello");
  auto r = h.run(ExclusiveFieldsCheck{{"Content-Length", "Transfer-Encoding"}});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.actual, "Content-Length: 5; Transfer-Encoding: chunked");
  EXPECT_EQ(r.message,
            "The response carries Content-Length and Transfer-Encoding, but at most one of them "
            "may be sent.");
}

// ---------------------------------------------------------------------------
// stored_as_sent

Harness after_put(Fields put_answer, std::string stored) {
  Harness h;
  h.first = exchange(204, std::move(put_answer));
  h.first.request_bytes =
      "PUT /w HTTP/1.1\r\nHost: example.test\r\nContent-Length: 4\r\n\r\na\nb\n";
  h.again = exchange(200, {{"ETag", "\"x\""}}, std::move(stored));
  return h;
}

TEST(StoredAsSentCheck, ContentAsSentPasses) {
  Harness h = after_put({{"ETag", "\"x\""}}, "a\nb\n");
  auto r = h.run(StoredAsSentCheck{"first"});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.expected, "4 bytes (sent by step first, answered with ETag: \"x\"): a\\n\nb\\n\n");
  EXPECT_EQ(r.actual, "4 bytes: a\\n\nb\\n\n");
}

TEST(StoredAsSentCheck, ChangedContentAfterValidatorsIsBroken) {
  Harness h = after_put({{"ETag", "\"x\""}, {"Last-Modified", "Wed, 01 May 2024 12:00:00 GMT"}},
                        "a\r\nb\r\n");
  auto r = h.run(StoredAsSentCheck{"first"});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.actual, "6 bytes: a\\r\\n\nb\\r\\n\n");
  EXPECT_EQ(r.message,
            "The response to step 'first' carried ETag: \"x\" and Last-Modified: Wed, 01 May "
            "2024 12:00:00 GMT, which says the content was stored exactly as sent, but the "
            "content now differs from what that step sent (first difference at byte 1).");
}

TEST(StoredAsSentCheck, ChangedContentWithoutValidatorsPasses) {
  Harness h = after_put({}, "a\r\nb\r\n");
  auto r = h.run(StoredAsSentCheck{"first"});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.message,
            "The response to step 'first' carries no validator, so it promised nothing about how "
            "the content was stored.");
}

TEST(StoredAsSentCheck, EarlierStepWithoutResponseIsAnError) {
  Harness h = after_put({}, "a");
  h.first.response.reset();
  EXPECT_EQ(h.run(StoredAsSentCheck{"first"}).outcome, Outcome::error);
}

// ---------------------------------------------------------------------------
// strong_etag_differs

TEST(StrongTagDiffersCheck, NewTagForNewContentPasses) {
  Harness h;
  h.again = exchange(200, {{"ETag", "\"def\""}}, "other");
  auto r = h.run(StrongTagDiffersCheck{"first"});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.expected, "a strong ETag other than that of step first");
  EXPECT_EQ(r.actual, "ETag: \"def\"");
}

TEST(StrongTagDiffersCheck, SameStrongTagForOtherContentIsBroken) {
  Harness h;
  h.again = exchange(200, {{"ETag", "\"abc\""}}, "other");
  auto r = h.run(StrongTagDiffersCheck{"first"});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.message,
            "The content differs from that of step 'first', but both carry the strong ETag "
            "\"abc\".");
}

TEST(StrongTagDiffersCheck, SameContentOrWeakTagsHaveNothingToCompare) {
  Harness h;
  h.again = exchange(200, {{"ETag", "\"abc\""}}, "hello world");
  auto r = h.run(StrongTagDiffersCheck{"first"});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.message, "The content equals that of step 'first', so the tags may be equal.");
  h.again = exchange(200, {{"ETag", "W/\"abc\""}}, "other");
  r = h.run(StrongTagDiffersCheck{"first"});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.message,
            "This response or that of step 'first' has no strong ETag, so there is nothing to "
            "compare.");
}

}  // namespace
}  // namespace condspec

namespace condspec {
namespace {

TEST(SameFieldsCheck, ValueIfPresentComparesOnlyFieldsBothHave) {
  Harness h;
  SameFieldsCheck check{"first", {"ETag", "Vary"}, false, true};
  h.again = exchange(200, {{"ETag", "\"abc\""}});
  auto r = h.run(check);
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.expected, "ETag: \"abc\" (as in step first)");
  h.again = exchange(200, {{"ETag", "\"new\""}});
  r = h.run(check);
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.message,
            "The 200 response carries a different ETag than the 200 response of step 'first'.");
  h.again = exchange(200, {});
  r = h.run(check);
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.message,
            "This response and that of step 'first' have none of ETag, Vary in common, so there "
            "is nothing to compare.");
}

}  // namespace
}  // namespace condspec

namespace condspec {
namespace {

TEST(RespondsCheck, AnyResponsePasses) {
  Harness h;
  h.again = exchange(400, {});
  auto r = h.run(RespondsCheck{});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.expected, "an HTTP response (any status)");
  EXPECT_EQ(r.actual, "status 400");
}

TEST(RespondsCheck, ADroppedRequestIsBroken) {
  Harness h;
  h.again = Exchange{};
  h.again.error = "connection closed without a response";
  h.again.closed_without_response = true;
  auto r = h.run(RespondsCheck{}, Level::should);
  EXPECT_EQ(r.outcome, Outcome::warn);
  EXPECT_EQ(r.actual, "connection closed without a response");
  EXPECT_EQ(r.message, "The server closed the connection without answering the request.");
}

TEST(RespondsCheck, OtherFailuresCannotBeJudged) {
  Harness h;
  h.again = Exchange{};
  h.again.error = "timed out after 2000 ms waiting for the response head (0 bytes received)";
  auto r = h.run(RespondsCheck{});
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_EQ(r.message,
            "The request got no response (timed out after 2000 ms waiting for the response head "
            "(0 bytes received)), for a reason other than the server closing the connection.");
}

// --- upstream checks (cache runs) ---

struct UpstreamHarness {
  Exchange client = exchange(200, {{"ETag", "\"v1\""}}, "version 1");
  std::vector<UpstreamExchange> upstream;
  bool cache_run = true;

  void add(Fields fields) {
    UpstreamExchange u;
    u.request.target = "/c/x/h1/s";
    u.request.fields = std::move(fields);
    u.response.status = 304;
    upstream.push_back(std::move(u));
  }

  CheckResult run(CheckSpec spec) const {
    RenderContext context{{}, kNow};
    CheckInput in{"validate", client, {}, &context, kNow};
    if (cache_run) in.upstream = &upstream;
    Expectation e{std::move(spec), "9111-4.3.1-send-etag", {}};
    Requirement r = requirement();
    r.id = "9111-4.3.1-send-etag";
    return evaluate_check(e, r, in);
  }
};

FieldCheck upstream_condition(FieldCheck::Op op, std::string name, std::string value = "") {
  return FieldCheck{std::move(name), op, literal(std::move(value))};
}

TEST(UpstreamRequestsCheck, CountsWhatReachedTheOrigin) {
  UpstreamHarness h;
  auto r = h.run(UpstreamRequestsCheck{{0}});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.hop, Hop::upstream);
  EXPECT_EQ(r.expected, "0 upstream requests");
  EXPECT_EQ(r.actual, "0 upstream requests");

  r = h.run(UpstreamRequestsCheck{{1}});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.expected, "1 upstream request");
  EXPECT_EQ(r.message,
            "The cache answered from its store: the origin received no request during this step.");

  h.add({});
  h.add({});
  r = h.run(UpstreamRequestsCheck{{0, 1}});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.expected, "0 or 1 upstream requests");
  EXPECT_EQ(r.actual, "2 upstream requests");
  EXPECT_EQ(r.message, "The origin received 2 upstream requests during this step.");
}

TEST(UpstreamRequestsCheck, OutsideACacheRunItCannotBeJudged) {
  UpstreamHarness h;
  h.cache_run = false;
  auto r = h.run(UpstreamRequestsCheck{{1}});
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_EQ(r.message,
            "This check judges what a cache sends upstream; it is judged only by "
            "`condspec cache`.");
}

TEST(UpstreamFieldCheck, JudgesEveryRequestThatWentUpstream) {
  UpstreamHarness h;
  h.add({{"If-None-Match", "\"v1\""}});
  auto r = h.run(
      UpstreamFieldCheck{upstream_condition(FieldCheck::Op::equals, "If-None-Match", "\"v1\"")});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.hop, Hop::upstream);
  EXPECT_EQ(r.actual, "If-None-Match: \"v1\"");

  h.upstream[0].request.fields = {{"If-None-Match", "W/\"v1\""}};
  r = h.run(
      UpstreamFieldCheck{upstream_condition(FieldCheck::Op::equals, "If-None-Match", "\"v1\"")});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.expected, "If-None-Match: \"v1\"");
  EXPECT_EQ(r.actual, "If-None-Match: W/\"v1\"");
  EXPECT_EQ(r.message, "If-None-Match has a different value than expected.");

  h.add({});
  r = h.run(UpstreamFieldCheck{upstream_condition(FieldCheck::Op::present, "If-Modified-Since")});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.actual, "request 1: If-Modified-Since absent");
  EXPECT_EQ(r.message, "Request 1 of 2 the cache sent upstream has no If-Modified-Since field.");
}

TEST(UpstreamFieldCheck, NothingUpstreamIsNothingToJudge) {
  UpstreamHarness h;
  auto r = h.run(UpstreamFieldCheck{upstream_condition(FieldCheck::Op::present, "If-None-Match")});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.expected, "If-None-Match present");
  EXPECT_EQ(r.actual, "no request went upstream");
  EXPECT_EQ(r.message, "No request went upstream during this step, so there is no field to judge.");
  h.add({{"If-Match", "\"v1\""}});
  r = h.run(UpstreamFieldCheck{upstream_condition(FieldCheck::Op::absent, "If-Match")});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.message,
            "The request the cache sent upstream carries If-Match, which was expected to be "
            "absent.");
}

TEST(UpstreamChecks, OnlyTheUpstreamKindsJudgeTheUpstreamHop) {
  EXPECT_TRUE(judges_upstream(UpstreamRequestsCheck{{1}}));
  EXPECT_TRUE(judges_upstream(UpstreamFieldCheck{}));
  EXPECT_FALSE(judges_upstream(StatusCheck{{304}}));
  Harness h;
  EXPECT_EQ(h.run(StatusCheck{{304}}).hop, Hop::client);
}

}  // namespace
}  // namespace condspec

namespace condspec {
namespace {

// ---------------------------------------------------------------------------
// not_stale

TEST(NotStaleCheck, AgeWithinMaxAgePasses) {
  Harness h;
  h.again.response->fields.set("Cache-Control", "public, max-age=1");
  h.again.response->fields.set("Age", "1");
  auto r = h.run(NotStaleCheck{});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.expected, "Age absent, or not above max-age");
  EXPECT_EQ(r.actual, "Age: 1, Cache-Control: public, max-age=1");
}

TEST(NotStaleCheck, AgeAboveMaxAgeIsBroken) {
  Harness h;
  h.again.response->fields.set("Cache-Control", "max-age=1");
  h.again.response->fields.set("Age", "2");
  auto r = h.run(NotStaleCheck{});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.message,
            "The cache sent a stale response: its Age (2 s) is above its max-age (1 s).");
}

TEST(NotStaleCheck, NoAgeOrNoMaxAgeHasNothingToJudge) {
  Harness h;
  auto r = h.run(NotStaleCheck{});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.message, "The response has no Age, so the cache does not say it is stale.");
  h.again.response->fields.set("Age", "5");
  r = h.run(NotStaleCheck{});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.message, "Age or max-age is not a number of seconds: nothing to compare.");
}

}  // namespace
}  // namespace condspec

namespace condspec {
namespace {

// An HTTP/2 exchange: the response as the HTTP/2 client records it, with the
// DATA frames received for `data_lengths`.
Exchange http2_exchange(int status, Fields fields, std::string content,
                        std::vector<uint32_t> data_lengths, std::string method = "GET") {
  Exchange e = exchange(status, std::move(fields), std::move(content), method);
  e.request_bytes = method + " / HTTP/2\r\n:method: " + method + "\r\n\r\n";
  e.response->version = "HTTP/2";
  const bool bodiless = status == 204 || status == 304 || method == "HEAD";
  e.response->framing = bodiless ? Framing::no_content : Framing::end_stream;
  e.frames.push_back({.sent = true, .type = 1, .flags = 0x5, .length = 30, .stream = 1});
  e.frames.push_back({.sent = false,
                      .type = 1,
                      .flags = uint8_t(data_lengths.empty() ? 0x5 : 0x4),
                      .length = 40,
                      .stream = 1});
  for (size_t i = 0; i < data_lengths.size(); ++i)
    e.frames.push_back({.sent = false,
                        .type = 0,
                        .flags = uint8_t(i + 1 == data_lengths.size() ? 0x1 : 0),
                        .length = data_lengths[i],
                        .stream = 1});
  return e;
}

TEST(NoContentCheck, OverHttp2DataPayloadOnA304IsBroken) {
  Harness h;
  h.again = http2_exchange(304, {{"etag", "\"abc\""}}, "", {5});
  h.again.stray_bytes = "hello";
  auto r = h.run(NoContentCheck{});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.expected, "no DATA payload after the HEADERS");
  EXPECT_EQ(r.actual, "5 bytes of DATA payload: hello");
  EXPECT_EQ(r.message,
            "The 304 response carries 5 bytes of DATA payload, but it cannot have content.");
}

TEST(NoContentCheck, OverHttp2HeadersThatEndTheStreamOrEmptyDataPass) {
  Harness h;
  h.again = http2_exchange(200, {}, "", {}, "HEAD");
  auto r = h.run(NoContentCheck{});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.actual, "no DATA payload");
  h.again = http2_exchange(304, {}, "", {0});  // an empty DATA frame ends the stream
  EXPECT_EQ(h.run(NoContentCheck{}).outcome, Outcome::pass);
  h.again.stray_checked = false;
  r = h.run(NoContentCheck{});
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_EQ(r.message,
            "The stream did not end, so DATA payload after the HEADERS could not be ruled out.");
}

TEST(RespondsCheck, OverHttp2AResetStreamIsADroppedRequest) {
  Harness h;
  h.again = Exchange{};
  h.again.frames = {{.sent = true, .type = 1, .flags = 0x5, .length = 30, .stream = 1},
                    {.sent = false, .type = 3, .flags = 0, .length = 4, .stream = 1}};
  h.again.error = "the server reset the stream (RST_STREAM INTERNAL_ERROR) before the response";
  h.again.closed_without_response = true;
  auto r = h.run(RespondsCheck{});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.actual, "stream reset without a response");
  EXPECT_EQ(r.message, "The server reset the stream (RST_STREAM) without answering the request.");
}

TEST(ContentLengthMatchesDataCheck, EqualLengthPasses) {
  Harness h;
  h.again = http2_exchange(200, {{"content-length", "11"}}, "hello world", {6, 5});
  auto r = h.run(ContentLengthMatchesDataCheck{});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.expected, "content-length, when present, equal to the DATA payload");
  EXPECT_EQ(r.actual, "content-length: 11; 2 DATA frames of 6 and 5 bytes");
  h.again = http2_exchange(200, {}, "hello world", {11});
  EXPECT_EQ(h.run(ContentLengthMatchesDataCheck{}).actual, "no content-length");
}

TEST(ContentLengthMatchesDataCheck, ADifferentLengthIsBroken) {
  Harness h;
  h.again = http2_exchange(200, {{"content-length", "10"}}, "hello world", {11});
  auto r = h.run(ContentLengthMatchesDataCheck{});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.actual, "content-length: 10; 1 DATA frame of 11 bytes");
  EXPECT_EQ(r.message,
            "The 200 response announced content-length 10, but the DATA frames of its stream "
            "carried 11 bytes.");
  h.again = http2_exchange(200, {{"content-length", "many"}}, "hello world", {11});
  r = h.run(ContentLengthMatchesDataCheck{});
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.message,
            "The 200 response carries content-length 'many', which is not a number of bytes.");
}

TEST(ContentLengthMatchesDataCheck, AResponseWithoutContentMayAnnounceAnyLength) {
  Harness h;
  h.again = http2_exchange(200, {{"content-length", "4096"}}, "", {}, "HEAD");
  auto r = h.run(ContentLengthMatchesDataCheck{});
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.actual, "a response without content");
  EXPECT_EQ(r.message,
            "The 200 response to HEAD cannot have content, so its content-length may announce "
            "the length a 200 would have (RFC 9113 8.1.1).");
}

TEST(ContentLengthMatchesDataCheck, OverHttp11ItCannotBeJudged) {
  Harness h;
  h.again = exchange(200, {{"Content-Length", "5"}}, "hello");
  auto r = h.run(ContentLengthMatchesDataCheck{});
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_EQ(r.message,
            "The response came over HTTP/1.1, which has no DATA frames to compare content-length "
            "with.");
}

TEST(AbsentFieldsCheck, NonePresentPasses) {
  Harness h;
  AbsentFieldsCheck check{{"Connection", "Keep-Alive", "Transfer-Encoding"}};
  h.again = http2_exchange(200, {{"content-length", "5"}}, "hello", {5});
  auto r = h.run(check);
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.expected, "none of Connection, Keep-Alive, Transfer-Encoding");
  EXPECT_EQ(r.actual, "none present");
}

TEST(AbsentFieldsCheck, AnyPresentIsBrokenAndShown) {
  Harness h;
  AbsentFieldsCheck check{{"Connection", "Keep-Alive", "Transfer-Encoding"}};
  h.again = http2_exchange(200, {{"connection", "keep-alive"}, {"keep-alive", "timeout=5"}},
                           "hello", {5});
  auto r = h.run(check);
  EXPECT_EQ(r.outcome, Outcome::fail);
  EXPECT_EQ(r.actual, "Connection: keep-alive; Keep-Alive: timeout=5");
  EXPECT_EQ(r.message, "The response carries Connection and Keep-Alive, which it must not.");
}

}  // namespace
}  // namespace condspec
