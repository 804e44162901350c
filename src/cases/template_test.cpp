#include "src/cases/template.h"

#include <gtest/gtest.h>

#include <chrono>

#include "src/http/fields.h"

namespace condspec {
namespace {

using namespace std::chrono;

const SourceLocation kAt{"cases/x.yaml", 7, 20};

// 1994-11-06 08:49:37 UTC, the RFC's example date.
Seconds example_date() {
  return sys_days{year{1994} / November / 6} + 8h + 49min + 37s;
}

std::string parse_error(std::string_view text) {
  auto t = parse_template(text, kAt);
  if (t.ok()) return "(parsed)";
  return render(t.error());
}

std::string check_error(std::string_view text, std::vector<std::string> earlier = {"first"}) {
  auto t = parse_template(text, kAt);
  if (!t.ok()) return "parse: " + render(t.error());
  auto status = check_template(*t, earlier);
  if (status.ok()) return "(ok)";
  return render(status.error());
}

class RenderTest : public ::testing::Test {
 protected:
  RenderTest() {
    first_.status = 200;
    first_.fields = Fields{{"ETag", "\"abc\""},
                           {"Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT"},
                           {"Date", "Mon, 07 Nov 1994 08:49:37 GMT"},
                           {"Vary", "Accept"},
                           {"vary", "Accept-Encoding"}};
    first_.content = "hello";
    context_.steps["first"] = &first_;
    context_.now = example_date() + days(10);
  }

  std::string rendered(std::string_view text) {
    auto t = parse_template(text, kAt);
    if (!t.ok()) return "parse: " + render(t.error());
    auto status = check_template(*t, {"first"});
    if (!status.ok()) return "check: " + render(status.error());
    auto out = render(*t, context_);
    if (!out.ok()) return "render: " + out.error().message;
    return *out;
  }

  Response first_;
  RenderContext context_;
};

TEST(ParseTemplate, SplitsLiteralsAndPlaceholders) {
  auto t = parse_template("W/{{ opaque(first.etag) }}x", kAt);
  ASSERT_TRUE(t.ok()) << render(t.error());
  ASSERT_EQ(t->pieces.size(), 3u);
  EXPECT_EQ(t->pieces[0].literal, "W/");
  ASSERT_TRUE(t->pieces[1].expression.has_value());
  const Expression& call = *t->pieces[1].expression;
  EXPECT_EQ(call.kind, Expression::Kind::call);
  EXPECT_EQ(call.name, "opaque");
  EXPECT_EQ(call.where, (SourceLocation{"cases/x.yaml", 7, 25}));
  ASSERT_EQ(call.arguments.size(), 1u);
  EXPECT_EQ(call.arguments[0].path, (std::vector<std::string>{"first", "etag"}));
  EXPECT_EQ(call.arguments[0].where.column, 32);
  EXPECT_EQ(t->pieces[2].literal, "x");
  EXPECT_EQ(t->source, "W/{{ opaque(first.etag) }}x");
  EXPECT_FALSE(t->is_literal());
}

TEST(ParseTemplate, PlainTextIsOneLiteral) {
  auto t = parse_template("\"condspec-no-match\" } {", kAt);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->pieces.size(), 1u);
  EXPECT_TRUE(t->is_literal());
  EXPECT_TRUE(parse_template("", kAt)->pieces.empty());
}

TEST(ParseTemplate, ReadsLiteralsAndDurations) {
  auto t = parse_template("{{shift(now,-30m)}}{{ '{{' }}{{ +2h }}", kAt);
  ASSERT_FALSE(t.ok());  // a bare duration is refused, see below
  t = parse_template("{{shift(now,-30m)}}{{ '{{' }}", kAt);
  ASSERT_TRUE(t.ok()) << render(t.error());
  EXPECT_EQ(t->pieces[0].expression->arguments[1].seconds, -1800);
  EXPECT_EQ(t->pieces[0].expression->arguments[1].text, "-30m");
  EXPECT_EQ(t->pieces[1].expression->kind, Expression::Kind::string);
  EXPECT_EQ(t->pieces[1].expression->text, "{{");
}

TEST(ParseTemplate, LocatesAcrossLineBreaks) {
  EXPECT_EQ(parse_error("a\nbc {{ x"), "cases/x.yaml:8:4: unterminated '{{' in template");
}

TEST(ParseTemplateErrors, Unterminated) {
  EXPECT_EQ(parse_error("W/{{ first.etag"), "cases/x.yaml:7:22: unterminated '{{' in template");
}

TEST(ParseTemplateErrors, Empty) {
  EXPECT_EQ(parse_error("a{{  }}"), "cases/x.yaml:7:21: empty '{{ }}' in template");
}

TEST(ParseTemplateErrors, UnknownFunction) {
  EXPECT_EQ(parse_error("{{ wek(first.etag) }}"),
            "cases/x.yaml:7:23: unknown function 'wek' (known: weak, strong, opaque, imf, rfc850, "
            "asctime, shift, lower, upper, swapcase)");
}

TEST(ParseTemplateErrors, AValueThatCanNeverBeADateWhereADateIsNeeded) {
  EXPECT_EQ(parse_error("{{ imf(first.etag) }}"),
            "cases/x.yaml:7:27: imf() needs a date, got 'first.etag'");
  EXPECT_EQ(parse_error("{{ shift(weak(first.etag), -1d) }}"),
            "cases/x.yaml:7:29: shift() needs a date, got 'weak(...)'");
  // Field values and literals may hold dates: judged when rendered.
  EXPECT_EQ(parse_error("{{ imf(first.field.Expires) }}"), "(parsed)");
  EXPECT_EQ(parse_error("{{ rfc850('Sun, 06 Nov 1994 08:49:37 GMT') }}"), "(parsed)");
}

TEST(ParseTemplateErrors, WrongArgumentCount) {
  EXPECT_EQ(parse_error("{{ weak(first.etag, 'x') }}"),
            "cases/x.yaml:7:23: weak() takes 1 argument, got 2");
  EXPECT_EQ(parse_error("{{ shift(now) }}"), "cases/x.yaml:7:23: shift() takes 2 arguments, got 1");
  EXPECT_EQ(parse_error("{{ lower() }}"), "cases/x.yaml:7:23: lower() takes 1 argument, got 0");
}

TEST(ParseTemplateErrors, MissingCloseParen) {
  EXPECT_EQ(parse_error("{{ weak(first.etag }}"),
            "cases/x.yaml:7:39: expected ')' or ',' in the call of weak(), got '}}'");
}

TEST(ParseTemplateErrors, TrailingGarbage) {
  EXPECT_EQ(parse_error("{{ first.etag x }}"),
            "cases/x.yaml:7:34: expected '}}' after the expression, got 'x'");
}

TEST(ParseTemplateErrors, UnexpectedCharacter) {
  EXPECT_EQ(parse_error("{{ #x }}"),
            "cases/x.yaml:7:23: expected a reference, a function call, a 'string' or a duration, "
            "got '#'");
  EXPECT_EQ(parse_error("{{ weak(,) }}"),
            "cases/x.yaml:7:28: expected a reference, a function call, a 'string' or a "
            "duration, got ','");
}

TEST(ParseTemplateErrors, MissingArgument) {
  EXPECT_EQ(parse_error("{{ weak(first.etag, }}"),
            "cases/x.yaml:7:40: expected an expression, got '}}'");
}

TEST(ParseTemplateErrors, NameAfterDot) {
  EXPECT_EQ(parse_error("{{ first. }}"), "cases/x.yaml:7:29: expected a name after '.', got ' '");
}

TEST(ParseTemplateErrors, UnterminatedString) {
  EXPECT_EQ(parse_error("{{ 'abc }}"),
            "cases/x.yaml:7:23: unterminated string literal (missing the closing ')");
}

TEST(ParseTemplateErrors, BadDurations) {
  EXPECT_EQ(parse_error("{{ shift(now, -d) }}"),
            "cases/x.yaml:7:35: expected digits after '-' in a duration such as -1d, got 'd'");
  EXPECT_EQ(parse_error("{{ shift(now, +5y) }}"),
            "cases/x.yaml:7:36: duration '+5' needs a unit: s, m, h or d");
  EXPECT_EQ(parse_error("{{ shift(now, +99999999999999999999d) }}"),
            "cases/x.yaml:7:34: duration '+99999999999999999999d' is too large (at most 100 "
            "years)");
  EXPECT_EQ(parse_error("{{ shift(now, +36601d) }}"),
            "cases/x.yaml:7:34: duration '+36601d' is too large (at most 100 years)");
}

TEST(ParseTemplateErrors, DurationOutsideShift) {
  EXPECT_EQ(parse_error("{{ -1d }}"),
            "cases/x.yaml:7:23: a duration ('-1d') can only be the second argument of shift()");
  EXPECT_EQ(parse_error("{{ imf(+1s) }}"),
            "cases/x.yaml:7:27: imf() needs a date, got the duration '+1s'");
  EXPECT_EQ(parse_error("{{ weak(+1s) }}"),
            "cases/x.yaml:7:28: weak() needs text, got the duration '+1s'");
  EXPECT_EQ(parse_error("{{ shift(now, now) }}"),
            "cases/x.yaml:7:34: shift() needs a duration such as -1d as its second argument");
}

TEST(CheckTemplateErrors, UnknownStep) {
  EXPECT_EQ(check_error("{{ frist.etag }}"),
            "cases/x.yaml:7:23: unknown step 'frist' (earlier steps: first)");
  EXPECT_EQ(check_error("{{ weak(b.etag) }}", {"a", "c"}),
            "cases/x.yaml:7:28: unknown step 'b' (earlier steps: a, c)");
  EXPECT_EQ(check_error("{{ first.etag }}", {}),
            "cases/x.yaml:7:23: unknown step 'first' (there are no earlier steps)");
}

TEST(CheckTemplateErrors, UnknownReference) {
  EXPECT_EQ(check_error("{{ first.etga }}"),
            "cases/x.yaml:7:23: unknown reference 'first.etga' (known: status, etag, "
            "last_modified, date, content_length, field.NAME)");
  EXPECT_EQ(check_error("{{ first.etag.x }}"),
            "cases/x.yaml:7:23: unknown reference 'first.etag.x' (known: status, etag, "
            "last_modified, date, content_length, field.NAME)");
  EXPECT_EQ(check_error("{{ first.field.Vary.x }}"),
            "cases/x.yaml:7:23: unknown reference 'first.field.Vary.x' (known: status, etag, "
            "last_modified, date, content_length, field.NAME)");
}

TEST(CheckTemplateErrors, IncompleteReferences) {
  EXPECT_EQ(check_error("{{ first }}"),
            "cases/x.yaml:7:23: reference 'first' names a step but no value (known: status, "
            "etag, last_modified, date, content_length, field.NAME)");
  EXPECT_EQ(check_error("{{ first.field }}"),
            "cases/x.yaml:7:23: reference 'first.field' needs a field name, e.g. "
            "first.field.Cache-Control");
  EXPECT_EQ(check_error("{{ now.date }}"),
            "cases/x.yaml:7:23: unknown reference 'now.date' ('now' is the tester's clock and "
            "has no fields)");
}

TEST(CheckTemplate, AcceptsEveryReferenceAndFunction) {
  EXPECT_EQ(check_error("{{ first.status }}{{ first.etag }}{{ first.last_modified }}"
                        "{{ first.date }}{{ first.content_length }}{{ first.field.Cache-Control }}"
                        "{{ now }}{{ weak(first.etag) }}{{ strong('W/\"x\"') }}"
                        "{{ opaque(first.etag) }}{{ imf(now) }}{{ rfc850(first.date) }}"
                        "{{ asctime(first.field.Expires) }}{{ shift(first.last_modified, +1s) }}"
                        "{{ lower('A') }}{{ upper('a') }}{{ swapcase('aB') }}"),
            "(ok)");
}

TEST_F(RenderTest, References) {
  EXPECT_EQ(rendered("{{ first.status }} {{first.etag}} {{ first.content_length }}"),
            "200 \"abc\" 5");
  EXPECT_EQ(rendered("{{ first.last_modified }}"), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(rendered("{{ first.date }}"), "Mon, 07 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(rendered("{{ now }}"), "Wed, 16 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(rendered("{{ first.field.VARY }}"), "Accept, Accept-Encoding");
}

TEST_F(RenderTest, TagFunctionsAcceptEitherForm) {
  EXPECT_EQ(rendered("{{ weak(first.etag) }}"), "W/\"abc\"");
  EXPECT_EQ(rendered("{{ strong(first.etag) }}"), "\"abc\"");
  EXPECT_EQ(rendered("{{ opaque(first.etag) }}"), "abc");
  EXPECT_EQ(rendered("{{ strong('W/\"x y\"') }}"),
            "render: strong() needs an entity-tag such as "
            "\"x\" or W/\"x\", got 'W/\"x y\"'");
  EXPECT_EQ(rendered("{{ strong('W/\"xy\"') }}, {{ weak(weak('\"\"')) }}"), "\"xy\", W/\"\"");
  EXPECT_EQ(rendered("{{ weak('abc') }}"),
            "render: weak() needs an entity-tag such as \"x\" or W/\"x\", got 'abc'");
}

TEST_F(RenderTest, DateFunctions) {
  EXPECT_EQ(rendered("{{ rfc850(first.last_modified) }}"), "Sunday, 06-Nov-94 08:49:37 GMT");
  EXPECT_EQ(rendered("{{ asctime(first.last_modified) }}"), "Sun Nov  6 08:49:37 1994");
  EXPECT_EQ(rendered("{{ imf(shift(first.last_modified, -1d)) }}"),
            "Sat, 05 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(rendered("{{ shift(first.date, +1s) }}"), "Mon, 07 Nov 1994 08:49:38 GMT");
  EXPECT_EQ(rendered("{{ shift(now, -2h) }}"), "Wed, 16 Nov 1994 06:49:37 GMT");
  // A field value (text) is read as an HTTP-date in any of the three forms.
  EXPECT_EQ(rendered("{{ imf('Sunday, 06-Nov-94 08:49:37 GMT') }}"),
            "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(rendered("{{ imf(first.field.Date) }}"), "Mon, 07 Nov 1994 08:49:37 GMT");
  // A field value that is not a date is only found out when rendering.
  EXPECT_EQ(rendered("{{ imf(first.field.ETag) }}"),
            "render: imf() needs an HTTP-date, got '\"abc\"'");
}

TEST_F(RenderTest, CaseFunctions) {
  EXPECT_EQ(rendered("{{ lower('AbC-1') }}/{{ upper('AbC-1') }}/{{ swapcase('AbC-1') }}"),
            "abc-1/ABC-1/aBc-1");
  EXPECT_EQ(rendered("{{ lower(first.date) }}"), "mon, 07 nov 1994 08:49:37 gmt");
}

TEST_F(RenderTest, MissingValuesAreReasons) {
  first_.fields = Fields{{"Last-Modified", "yesterday"}};
  EXPECT_EQ(rendered("{{ first.etag }}"), "render: step 'first' sent no ETag");
  EXPECT_EQ(rendered("{{ first.date }}"), "render: step 'first' sent no Date");
  EXPECT_EQ(rendered("{{ first.field.Cache-Control }}"),
            "render: step 'first' sent no Cache-Control");
  EXPECT_EQ(rendered("{{ first.last_modified }}"),
            "render: step 'first' sent an invalid Last-Modified 'yesterday'");
  context_.steps["first"] = nullptr;
  EXPECT_EQ(rendered("{{ first.status }}"), "render: step 'first' has no response");
}

// The worked example of docs/case-format.md, verbatim.
TEST_F(RenderTest, DocumentedWorkedExample) {
  first_.fields = Fields{{"ETag", "\"v42\""}, {"Last-Modified", "Tue, 15 Nov 1994 12:45:26 GMT"}};
  EXPECT_EQ(rendered("{{ first.etag }}"), "\"v42\"");
  EXPECT_EQ(rendered("{{ weak(first.etag) }}"), "W/\"v42\"");
  EXPECT_EQ(rendered("\"{{ opaque(first.etag) }}-other\""), "\"v42-other\"");
  EXPECT_EQ(rendered("{{ first.last_modified }}"), "Tue, 15 Nov 1994 12:45:26 GMT");
  EXPECT_EQ(rendered("{{ rfc850(shift(first.last_modified, -1d)) }}"),
            "Monday, 14-Nov-94 12:45:26 GMT");
  EXPECT_EQ(rendered("{{ asctime(first.last_modified) }}"), "Tue Nov 15 12:45:26 1994");
  EXPECT_EQ(rendered("{{ lower(imf(first.last_modified)) }}"), "tue, 15 nov 1994 12:45:26 gmt");
}

TEST_F(RenderTest, LiteralTemplatesRenderAsWritten) {
  EXPECT_EQ(rendered("\"condspec-no-match\""), "\"condspec-no-match\"");
  EXPECT_EQ(rendered(""), "");
}

}  // namespace
}  // namespace condspec
