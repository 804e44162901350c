#include "src/cases/loader.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <utility>
#include <variant>

namespace condspec {
namespace {

constexpr std::string_view kCatalog = R"(requirements:
  - id: 9110-13.1.2-weak-compare
    rfc: "9110"
    section: "13.1.2"
    level: MUST
    summary: If-None-Match uses the weak comparison.
    link: https://www.rfc-editor.org/rfc/rfc9110#section-13.1.2
  - id: 9110-15.4.5-no-content
    rfc: "9110"
    section: 15.4.5
    level: MUST NOT
    summary: >-
      A 304 has no content.
    link: https://www.rfc-editor.org/rfc/rfc9110#section-15.4.5
  - id: 9110-8.8.2.1-lm-near-date
    rfc: "9110"
    section: "8.8.2.1"
    level: SHOULD
    summary: Read LM close to Date.
    link: https://www.rfc-editor.org/rfc/rfc9110#section-8.8.2.1
    observable: false
    unobservable_reason: internal timing
)";

std::vector<Requirement> catalog() {
  auto c = parse_catalog(kCatalog, "cases/requirements.yaml");
  EXPECT_TRUE(c.ok()) << render(c.error());
  return c.ok() ? *c : std::vector<Requirement>{};
}

std::string catalog_error(std::string_view yaml) {
  auto c = parse_catalog(yaml, "cases/requirements.yaml");
  return c.ok() ? "(ok)" : render(c.error());
}

std::string case_error(std::string_view yaml) {
  auto s = parse_case_file(yaml, "cases/t.yaml", catalog(), nullptr);
  return s.ok() ? "(ok)" : render(s.error());
}

// A valid file with one scenario; `step2` is spliced in as the second step
// (indented as a list item under steps:), `needs` as the needs list.
std::string with_second_step(std::string_view step2, std::string_view needs = "[etag]") {
  return std::string(R"(section: "13.1.2"
title: If-None-Match
scenarios:
  - id: inm
    title: t
    needs: )") +
         std::string(needs) + R"(
    steps:
      - id: first
        assume: { status: [200] }
)" + std::string(step2);
}

// ---------------------------------------------------------------------------
// The catalog

TEST(ParseCatalog, ReadsEveryKey) {
  auto c = parse_catalog(kCatalog, "cases/requirements.yaml");
  ASSERT_TRUE(c.ok()) << render(c.error());
  ASSERT_EQ(c->size(), 3u);
  const Requirement& first = (*c)[0];
  EXPECT_EQ(first.id, "9110-13.1.2-weak-compare");
  EXPECT_EQ(first.rfc, "9110");
  EXPECT_EQ(first.section, "13.1.2");
  EXPECT_EQ(first.level, Level::must);
  EXPECT_EQ(first.summary, "If-None-Match uses the weak comparison.");
  EXPECT_EQ(first.link, "https://www.rfc-editor.org/rfc/rfc9110#section-13.1.2");
  EXPECT_TRUE(first.observable);
  EXPECT_EQ(first.where, (SourceLocation{"cases/requirements.yaml", 2, 5}));
  EXPECT_EQ((*c)[1].level, Level::must_not);
  EXPECT_EQ((*c)[1].summary, "A 304 has no content.");
  EXPECT_EQ((*c)[2].level, Level::should);
  EXPECT_FALSE((*c)[2].observable);
  EXPECT_EQ((*c)[2].unobservable_reason, "internal timing");
}

TEST(ParseCatalog, TheRealCatalogLoads) {
  std::ifstream in(std::string(CONDSPEC_SOURCE_DIR) + "/cases/requirements.yaml");
  if (!in) GTEST_SKIP() << "no cases/requirements.yaml yet";
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto c = parse_catalog(text, "cases/requirements.yaml");
  ASSERT_TRUE(c.ok()) << render(c.error());
  EXPECT_GT(c->size(), 10u);
}

constexpr std::string_view kOneRequirement = R"(requirements:
  - id: 9110-13.1.2-weak-compare
    rfc: "9110"
    section: "13.1.2"
    level: MUST
    summary: s
    link: https://www.rfc-editor.org/rfc/rfc9110#section-13.1.2
)";

std::string replaced(std::string_view text, std::string_view from, std::string_view to) {
  std::string s(text);
  const size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

TEST(ParseCatalogErrors, UnknownKey) {
  EXPECT_EQ(catalog_error(replaced(kOneRequirement, "    summary", "    sumary")),
            "cases/requirements.yaml:2:5: missing required key 'summary' in requirement\n"
            "  - id: 9110-13.1.2-weak-compare\n"
            "    ^\n"
            "cases/requirements.yaml:6:5: unknown key 'sumary' in requirement (expected one of: "
            "id, rfc, section, level, summary, link, observable, unobservable_reason)\n"
            "    sumary: s\n"
            "    ^");
}

TEST(ParseCatalogErrors, MissingKey) {
  EXPECT_EQ(catalog_error(replaced(kOneRequirement, "    level: MUST\n", "")),
            "cases/requirements.yaml:2:5: missing required key 'level' in requirement\n"
            "  - id: 9110-13.1.2-weak-compare\n"
            "    ^");
}

TEST(ParseCatalogErrors, BadId) {
  EXPECT_EQ(catalog_error(replaced(kOneRequirement, "9110-13.1.2-weak-compare", "weak_compare")),
            "cases/requirements.yaml:2:9: requirement id 'weak_compare' must look like "
            "<rfc>-<section>-<slug>, e.g. 9110-13.1.2-weak-compare\n"
            "  - id: weak_compare\n"
            "        ^");
}

TEST(ParseCatalogErrors, IdDisagreesWithSection) {
  EXPECT_EQ(catalog_error(replaced(kOneRequirement, "\"13.1.2\"", "\"13.1.3\"")),
            "cases/requirements.yaml:2:9: requirement id '9110-13.1.2-weak-compare' does not "
            "start with its rfc and section ('9110-13.1.3-')\n"
            "  - id: 9110-13.1.2-weak-compare\n"
            "        ^");
}

TEST(ParseCatalogErrors, BadRfcAndSection) {
  EXPECT_EQ(catalog_error(replaced(replaced(kOneRequirement, "\"9110\"", "RFC9110"), "\"13.1.2\"",
                                   "13.1.2a")),
            "cases/requirements.yaml:3:10: 'rfc' must be an RFC number such as \"9110\", got "
            "'RFC9110'\n"
            "    rfc: RFC9110\n"
            "         ^\n"
            "cases/requirements.yaml:4:14: 'section' must be a section number such as "
            "\"13.1.2\", got '13.1.2a'\n"
            "    section: 13.1.2a\n"
            "             ^");
}

TEST(ParseCatalogErrors, BadLevel) {
  EXPECT_EQ(catalog_error(replaced(kOneRequirement, "level: MUST", "level: must")),
            "cases/requirements.yaml:5:12: 'level' must be one of: MUST, MUST NOT, SHOULD, "
            "SHOULD NOT, MAY; got 'must'\n"
            "    level: must\n"
            "           ^");
}

TEST(ParseCatalogErrors, BadLink) {
  EXPECT_EQ(catalog_error(
                replaced(kOneRequirement, "https://www.rfc-editor.org/rfc/rfc9110#", "rfc9110#")),
            "cases/requirements.yaml:7:11: 'link' must be an http(s) URL, got "
            "'rfc9110#section-13.1.2'\n"
            "    link: rfc9110#section-13.1.2\n"
            "          ^");
}

TEST(ParseCatalogErrors, EmptySummary) {
  EXPECT_EQ(catalog_error(replaced(kOneRequirement, "summary: s", "summary: \"\"")),
            "cases/requirements.yaml:6:14: 'summary' must not be empty\n"
            "    summary: \"\"\n"
            "             ^");
}

TEST(ParseCatalogErrors, SummaryMentionsAnUnknownRequirement) {
  EXPECT_EQ(catalog_error(replaced(kOneRequirement, "summary: s",
                                   "summary: judged as 9110-13.1.5-weak-never- true")),
            "cases/requirements.yaml:2:5: requirement '9110-13.1.2-weak-compare' mentions "
            "unknown requirement '9110-13.1.5-weak-never'\n"
            "  - id: 9110-13.1.2-weak-compare\n"
            "    ^");
  // Every id of a text, each as long as it goes: a '-' that no letter or
  // digit follows ends it, and so does any other character.
  EXPECT_EQ(catalog_error(replaced(kOneRequirement, "summary: s",
                                   "summary: '9112-6.1-a-b-c, (9110-1-x_y) and 9110-2.3.4-z.'")),
            "cases/requirements.yaml:2:5: requirement '9110-13.1.2-weak-compare' mentions "
            "unknown requirement '9112-6.1-a-b-c'\n"
            "  - id: 9110-13.1.2-weak-compare\n"
            "    ^\n"
            "cases/requirements.yaml:2:5: requirement '9110-13.1.2-weak-compare' mentions "
            "unknown requirement '9110-1-x'\n"
            "  - id: 9110-13.1.2-weak-compare\n"
            "    ^\n"
            "cases/requirements.yaml:2:5: requirement '9110-13.1.2-weak-compare' mentions "
            "unknown requirement '9110-2.3.4-z'\n"
            "  - id: 9110-13.1.2-weak-compare\n"
            "    ^");
  // Not ids: inside a word, four digits after the 9, a section ending in a
  // dot or empty, no slug, an uppercase slug.
  EXPECT_TRUE(parse_catalog(replaced(kOneRequirement, "summary: s",
                                     "summary: x9110-1-a 91100-1-a 9110-1.-a 9110--a 9110-1- "
                                     "9110-1-A 911"),
                            "cases/requirements.yaml")
                  .ok());
  // The row itself and the ids of other rows are fine.
  EXPECT_TRUE(parse_catalog(replaced(kOneRequirement, "summary: s",
                                     "summary: unlike 9110-13.1.2-weak-compare"),
                            "cases/requirements.yaml")
                  .ok());
}

TEST(ParseCatalogErrors, DuplicateId) {
  std::string twice = std::string(kOneRequirement) +
                      std::string(kOneRequirement).substr(std::string("requirements:\n").size());
  EXPECT_EQ(catalog_error(twice),
            "cases/requirements.yaml:8:5: duplicate requirement id '9110-13.1.2-weak-compare' "
            "(first defined at cases/requirements.yaml:2:5)\n"
            "  - id: 9110-13.1.2-weak-compare\n"
            "    ^");
}

TEST(ParseCatalogErrors, UnobservableReasonRules) {
  EXPECT_EQ(catalog_error(std::string(kOneRequirement) + "    observable: false\n"),
            "cases/requirements.yaml:2:5: missing required key 'unobservable_reason' in "
            "requirement (needed when observable is false)\n"
            "  - id: 9110-13.1.2-weak-compare\n"
            "    ^");
  EXPECT_EQ(catalog_error(std::string(kOneRequirement) + "    unobservable_reason: x\n"),
            "cases/requirements.yaml:8:5: 'unobservable_reason' is only allowed when observable "
            "is false\n"
            "    unobservable_reason: x\n"
            "    ^");
  EXPECT_EQ(catalog_error(std::string(kOneRequirement) + "    observable: maybe\n"),
            "cases/requirements.yaml:8:17: 'observable' must be true or false, got 'maybe'\n"
            "    observable: maybe\n"
            "                ^");
}

TEST(ParseCatalogErrors, TopLevel) {
  EXPECT_EQ(catalog_error(""),
            "cases/requirements.yaml:1:1: catalog must be a mapping, got nothing");
  EXPECT_EQ(catalog_error("requirement: []\n"),
            "cases/requirements.yaml:1:1: unknown key 'requirement' in catalog (expected one of: "
            "extends, requirements)\n"
            "requirement: []\n"
            "^\n"
            "cases/requirements.yaml:1:1: missing required key 'requirements' in catalog\n"
            "requirement: []\n"
            "^");
  EXPECT_EQ(catalog_error("requirements: []\n"),
            "cases/requirements.yaml:1:15: 'requirements' must be a non-empty list, got a list\n"
            "requirements: []\n"
            "              ^");
}

TEST(ParseCatalogErrors, InvalidYaml) {
  EXPECT_EQ(catalog_error("requirements: [a, b\nx: 1\n"),
            "cases/requirements.yaml:2:2: invalid YAML: did not find expected ',' or ']' (while "
            "parsing a flow sequence at 1:15)\n"
            "x: 1\n"
            " ^");
}

// ---------------------------------------------------------------------------
// Scenario files: a complete valid file, checked value by value.

constexpr std::string_view kValidFile = R"(section: "13.1.2"
title: If-None-Match
scenarios:
  - id: inm-weak-form
    title: If-None-Match with the weak form gets 304
    why: >-
      Weak comparison.
    tags: [etag, weak-comparison]
    needs: [strong-etag, unsafe-url]
    steps:
      - id: first
        assume: { status: [200, 203] }
      - id: revalidate
        request:
          method: HEAD
          version: HTTP/1.0
          headers:
            If-None-Match: "W/{{ opaque(first.etag) }}"
            If-Modified-Since: '{{ rfc850(shift(first.last_modified, -1d)) }}'
          body: plain {{ first.status }}
        expect:
          - status: 304
            requirement: 9110-13.1.2-weak-compare
          - field: { name: ETag, present: true }
            requirement: 9110-13.1.2-weak-compare
          - field: { name: Vary, absent: true }
            requirement: 9110-13.1.2-weak-compare
          - field: { name: ETag, equals: "{{ first.etag }}" }
            requirement: 9110-13.1.2-weak-compare
          - field: { name: Date, matches: '[A-Z][a-z]{2}, .*' }
            requirement: 9110-13.1.2-weak-compare
          - same_fields_as: { step: first, fields: [ETag, Vary], compare: presence }
            requirement: 9110-15.4.5-no-content
          - same_fields_as: { step: first, fields: [ETag] }
            requirement: 9110-15.4.5-no-content
          - no_content: true
            requirement: 9110-15.4.5-no-content
          - content_equals: { step: first, range: "0-9" }
            requirement: 9110-15.4.5-no-content
          - content_equals: { step: first }
            requirement: 9110-15.4.5-no-content
          - content_length_consistent: { step: first }
            requirement: 9110-15.4.5-no-content
          - last_modified_not_after_date: true
            requirement: 9110-15.4.5-no-content
          - etag_syntax: true
            requirement: 9110-15.4.5-no-content
          - date_syntax: [Date, Last-Modified]
            requirement: 9110-15.4.5-no-content
          - content_length_exact: true
            requirement: 9110-15.4.5-no-content
          - exclusive_fields: [Content-Length, Transfer-Encoding]
            requirement: 9110-15.4.5-no-content
          - stored_as_sent: { step: first }
            requirement: 9110-15.4.5-no-content
          - strong_etag_differs: { step: first }
            requirement: 9110-15.4.5-no-content
          - same_fields_as: { step: first, fields: [ETag], compare: value-if-present }
            requirement: 9110-15.4.5-no-content
          - responds: true
            requirement: 9110-15.4.5-no-content
      - id: write
        request:
          method: PUT
          resource: unsafe
          headers:
            - If-Match: '"a"'
            - If-Match: "{{ first.etag }}"
  - id: second-scenario
    title: Another
    steps:
      - id: only
)";

// kValidFile, parsed: each test below reads one part of it.
class ValidCaseFile : public ::testing::Test {
 protected:
  void SetUp() override {
    auto parsed = parse_case_file(kValidFile, "cases/t.yaml", catalog(), &info);
    ASSERT_TRUE(parsed.ok()) << render(parsed.error());
    ASSERT_EQ(parsed->size(), 2u);
    scenarios = std::move(*parsed);
  }

  CaseFile info;
  std::vector<Scenario> scenarios;
};

TEST_F(ValidCaseFile, ReadsTheFileAndItsScenarios) {
  EXPECT_EQ(info.path, "cases/t.yaml");
  EXPECT_EQ(info.section, "13.1.2");
  EXPECT_EQ(info.title, "If-None-Match");
  const Scenario& s = scenarios[0];
  EXPECT_EQ(s.id, "inm-weak-form");
  EXPECT_EQ(s.title, "If-None-Match with the weak form gets 304");
  EXPECT_EQ(s.why, "Weak comparison.");
  EXPECT_EQ(s.section, "13.1.2");
  EXPECT_EQ(s.file, "cases/t.yaml");
  EXPECT_EQ(s.tags, (std::vector<std::string>{"etag", "weak-comparison"}));
  EXPECT_EQ(s.needs, (std::vector<std::string>{"strong-etag", "unsafe-url"}));
  EXPECT_EQ(s.where, (SourceLocation{"cases/t.yaml", 4, 5}));
  EXPECT_TRUE(s.unsafe());
  ASSERT_EQ(s.steps.size(), 3u);

  const Scenario& second = scenarios[1];
  EXPECT_EQ(second.id, "second-scenario");
  EXPECT_TRUE(second.needs.empty());
  EXPECT_FALSE(second.unsafe());
  ASSERT_EQ(second.steps.size(), 1u);
  EXPECT_EQ(second.steps[0].id, "only");
}

TEST_F(ValidCaseFile, ReadsTheRequestOfEachStep) {
  const std::vector<Step>& steps = scenarios[0].steps;
  ASSERT_EQ(steps.size(), 3u);
  const Step& first = steps[0];
  EXPECT_EQ(first.id, "first");
  EXPECT_EQ(first.where, (SourceLocation{"cases/t.yaml", 11, 9}));
  EXPECT_EQ(first.request.method, "GET");
  EXPECT_EQ(first.request.resource, Resource::target);
  EXPECT_EQ(first.request.version, "HTTP/1.1");
  EXPECT_TRUE(first.request.fields.empty());
  EXPECT_FALSE(first.request.body.has_value());
  EXPECT_EQ(first.assume_status, (std::vector<int>{200, 203}));
  EXPECT_TRUE(first.expect.empty());

  const Step& revalidate = steps[1];
  EXPECT_EQ(revalidate.request.method, "HEAD");
  EXPECT_EQ(revalidate.request.version, "HTTP/1.0");
  ASSERT_EQ(revalidate.request.fields.size(), 2u);
  EXPECT_EQ(revalidate.request.fields[0].first, "If-None-Match");
  const Template& inm = revalidate.request.fields[0].second;
  EXPECT_EQ(inm.source, "W/{{ opaque(first.etag) }}");
  EXPECT_EQ(inm.where, (SourceLocation{"cases/t.yaml", 18, 29}));
  ASSERT_EQ(inm.pieces.size(), 2u);
  EXPECT_EQ(inm.pieces[1].expression->where, (SourceLocation{"cases/t.yaml", 18, 34}));
  EXPECT_EQ(revalidate.request.fields[1].first, "If-Modified-Since");
  EXPECT_EQ(revalidate.request.fields[1].second.where, (SourceLocation{"cases/t.yaml", 19, 33}));
  ASSERT_TRUE(revalidate.request.body.has_value());
  EXPECT_EQ(revalidate.request.body->source, "plain {{ first.status }}");
  EXPECT_EQ(revalidate.request.body->where, (SourceLocation{"cases/t.yaml", 20, 17}));

  const Step& write = steps[2];
  EXPECT_EQ(write.request.method, "PUT");
  EXPECT_EQ(write.request.resource, Resource::unsafe);
  ASSERT_EQ(write.request.fields.size(), 2u);
  EXPECT_EQ(write.request.fields[0].first, "If-Match");
  EXPECT_EQ(write.request.fields[0].second.source, "\"a\"");
  EXPECT_EQ(write.request.fields[1].first, "If-Match");
}

TEST_F(ValidCaseFile, ReadsEveryCheckKind) {
  ASSERT_EQ(scenarios[0].steps.size(), 3u);
  const auto& x = scenarios[0].steps[1].expect;
  ASSERT_EQ(x.size(), 20u);
  EXPECT_EQ(x[0].requirement, "9110-13.1.2-weak-compare");
  EXPECT_EQ(x[0].where, (SourceLocation{"cases/t.yaml", 22, 13}));
  EXPECT_EQ(std::get<StatusCheck>(x[0].check).allowed, std::vector<int>{304});
  const auto& present = std::get<FieldCheck>(x[1].check);
  EXPECT_EQ(present.name, "ETag");
  EXPECT_EQ(present.op, FieldCheck::Op::present);
  EXPECT_EQ(std::get<FieldCheck>(x[2].check).op, FieldCheck::Op::absent);
  const auto& equals = std::get<FieldCheck>(x[3].check);
  EXPECT_EQ(equals.op, FieldCheck::Op::equals);
  EXPECT_EQ(equals.value.source, "{{ first.etag }}");
  EXPECT_FALSE(equals.value.is_literal());
  const auto& regex = std::get<FieldCheck>(x[4].check);
  EXPECT_EQ(regex.op, FieldCheck::Op::matches);
  EXPECT_EQ(regex.value.source, "[A-Z][a-z]{2}, .*");
  EXPECT_TRUE(regex.value.is_literal());
  const auto& same = std::get<SameFieldsCheck>(x[5].check);
  EXPECT_EQ(same.step, "first");
  EXPECT_EQ(same.fields, (std::vector<std::string>{"ETag", "Vary"}));
  EXPECT_TRUE(same.presence_only);
  EXPECT_FALSE(std::get<SameFieldsCheck>(x[6].check).presence_only);
  EXPECT_EQ(x[7].requirement, "9110-15.4.5-no-content");
  EXPECT_TRUE(std::holds_alternative<NoContentCheck>(x[7].check));
  const auto& ranged = std::get<ContentCheck>(x[8].check);
  EXPECT_EQ(ranged.step, "first");
  ASSERT_TRUE(ranged.range.has_value());
  EXPECT_EQ(*ranged.range, (std::pair<std::uint64_t, std::uint64_t>{0, 9}));
  EXPECT_FALSE(std::get<ContentCheck>(x[9].check).range.has_value());
  EXPECT_EQ(std::get<ContentLengthCheck>(x[10].check).step, "first");
  EXPECT_TRUE(std::holds_alternative<LastModifiedNotAfterDateCheck>(x[11].check));
  EXPECT_TRUE(std::holds_alternative<EtagSyntaxCheck>(x[12].check));
  EXPECT_EQ(std::get<DateSyntaxCheck>(x[13].check).fields,
            (std::vector<std::string>{"Date", "Last-Modified"}));
  EXPECT_TRUE(std::holds_alternative<ContentLengthExactCheck>(x[14].check));
  EXPECT_EQ(std::get<ExclusiveFieldsCheck>(x[15].check).fields,
            (std::vector<std::string>{"Content-Length", "Transfer-Encoding"}));
  EXPECT_EQ(std::get<StoredAsSentCheck>(x[16].check).step, "first");
  EXPECT_EQ(std::get<StrongTagDiffersCheck>(x[17].check).step, "first");
  EXPECT_TRUE(std::get<SameFieldsCheck>(x[18].check).only_when_present);
  EXPECT_FALSE(std::get<SameFieldsCheck>(x[18].check).presence_only);
  EXPECT_FALSE(std::get<SameFieldsCheck>(x[5].check).only_when_present);
  EXPECT_TRUE(std::holds_alternative<RespondsCheck>(x[19].check));
}

// ---------------------------------------------------------------------------
// Scenario file diagnostics: one test per message, full text.

FieldCheck second_step_field(std::string_view check_line) {
  auto parsed = parse_case_file(with_second_step("      - id: second\n"
                                                 "        expect:\n" +
                                                 std::string(check_line) +
                                                 "            requirement: "
                                                 "9110-13.1.2-weak-compare\n"),
                                "cases/t.yaml", catalog(), nullptr);
  EXPECT_TRUE(parsed.ok()) << render(parsed.error());
  if (!parsed.ok()) return {};
  return std::get<FieldCheck>((*parsed)[0].steps[1].expect[0].check);
}

TEST(ParseCaseFile, ListsTakesOneMemberOrSeveral) {
  auto one = second_step_field("          - field: { name: Vary, lists: Accept-Encoding }\n");
  EXPECT_EQ(one.op, FieldCheck::Op::lists);
  EXPECT_EQ(one.members, std::vector<std::string>{"Accept-Encoding"});
  auto two =
      second_step_field("          - field: { name: Vary, lists: [Accept-Encoding, '*'] }\n");
  EXPECT_EQ(two.members, (std::vector<std::string>{"Accept-Encoding", "*"}));
  EXPECT_EQ(two.describe(), "Vary lists Accept-Encoding or *");
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        expect:\n"
                                        "          - field: { name: Vary, lists: [] }\n"
                                        "            requirement: 9110-13.1.2-weak-compare\n")),
            "cases/t.yaml:12:41: 'lists' needs at least one member\n"
            "          - field: { name: Vary, lists: [] }\n"
            "                                        ^");
}

TEST(ParseCaseFile, MeansGivesAPatternItsWords) {
  auto check = second_step_field(
      "          - field: { name: ETag, matches: '[^\\\\]*', means: has no backslash }\n");
  EXPECT_EQ(check.op, FieldCheck::Op::matches);
  EXPECT_EQ(check.means, "has no backslash");
  EXPECT_EQ(check.describe(), "ETag has no backslash");
  EXPECT_EQ(
      case_error(with_second_step("      - id: second\n"
                                  "        expect:\n"
                                  "          - field: { name: ETag, present: true, means: x }\n"
                                  "            requirement: 9110-13.1.2-weak-compare\n")),
      "cases/t.yaml:12:49: 'means' belongs to 'matches' only (the words for a pattern)\n"
      "          - field: { name: ETag, present: true, means: x }\n"
      "                                                ^");
}

TEST(ParseCaseFile, DiffersIsATemplateLikeEquals) {
  auto parsed = parse_case_file(with_second_step("      - id: second\n"
                                                 "        expect:\n"
                                                 "          - field: { name: ETag, differs: "
                                                 "\"{{ first.etag }}\" }\n"
                                                 "            requirement: "
                                                 "9110-13.1.2-weak-compare\n"),
                                "cases/t.yaml", catalog(), nullptr);
  ASSERT_TRUE(parsed.ok()) << render(parsed.error());
  const auto& check = std::get<FieldCheck>((*parsed)[0].steps[1].expect[0].check);
  EXPECT_EQ(check.op, FieldCheck::Op::differs);
  EXPECT_EQ(check.value.source, "{{ first.etag }}");
  EXPECT_FALSE(check.value.is_literal());
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        expect:\n"
                                        "          - field: { name: ETag, differs: "
                                        "\"{{ secnd.etag }}\" }\n"
                                        "            requirement: 9110-13.1.2-weak-compare\n")),
            "cases/t.yaml:12:47: unknown step 'secnd' (earlier steps: first)\n"
            "          - field: { name: ETag, differs: \"{{ secnd.etag }}\" }\n"
            "                                              ^");
}

TEST(ParseCaseFileErrors, UnknownKeyInStep) {
  EXPECT_EQ(case_error(with_second_step("      - id: second\n        expekt: []\n")),
            "cases/t.yaml:11:9: unknown key 'expekt' in step (expected one of: id, request, "
            "origin, pause, assume, expect)\n"
            "        expekt: []\n"
            "        ^");
}

TEST(ParseCaseFileErrors, StatusNotAnInteger) {
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        expect:\n"
                                        "          - status: ok\n"
                                        "            requirement: 9110-13.1.2-weak-compare\n")),
            "cases/t.yaml:12:21: 'status' must be an integer or a list of integers, got 'ok'\n"
            "          - status: ok\n"
            "                    ^");
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        assume: { status: [200, x] }\n")),
            "cases/t.yaml:11:33: 'status' must be an integer or a list of integers, got 'x'\n"
            "        assume: { status: [200, x] }\n"
            "                                ^");
}

TEST(ParseCaseFileErrors, StatusOutOfRange) {
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        assume: { status: 999 }\n")),
            "cases/t.yaml:11:27: status 999 is not a status code (100-599)\n"
            "        assume: { status: 999 }\n"
            "                          ^");
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        assume: { status: [] }\n")),
            "cases/t.yaml:11:27: 'status' must list at least one status code\n"
            "        assume: { status: [] }\n"
            "                          ^");
}

TEST(ParseCaseFileErrors, MissingRequirement) {
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        expect:\n"
                                        "          - status: 304\n")),
            "cases/t.yaml:12:13: missing required key 'requirement' in expectation\n"
            "          - status: 304\n"
            "            ^");
}

TEST(ParseCaseFileErrors, TwoChecksInOneItem) {
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        expect:\n"
                                        "          - status: 304\n"
                                        "            field: { name: ETag, present: true }\n"
                                        "            requirement: 9110-13.1.2-weak-compare\n")),
            "cases/t.yaml:12:13: expectation has 2 checks ('status', 'field'); use one check per "
            "item\n"
            "          - status: 304\n"
            "            ^");
}

TEST(ParseCaseFileErrors, NoCheckInItem) {
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        expect:\n"
                                        "          - requirement: 9110-13.1.2-weak-compare\n")),
            "cases/t.yaml:12:13: expectation has no check (expected one of: status, field, "
            "same_fields_as, no_content, content_equals, content_length_consistent, "
            "last_modified_not_after_date, etag_syntax, date_syntax, date_whitespace, "
            "date_near_now, content_length_exact, exclusive_fields, stored_as_sent, "
            "strong_etag_differs, responds, content_length_matches_data, absent_fields, "
            "upstream_requests, "
            "upstream_field, not_stale, one_field_line, framing_decodable)\n"
            "          - requirement: 9110-13.1.2-weak-compare\n"
            "            ^");
}

TEST(ParseCaseFileErrors, FramingAndWritableChecks) {
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        expect:\n"
                                        "          - exclusive_fields: [Content-Length]\n"
                                        "            requirement: 9110-13.1.2-weak-compare\n")),
            "cases/t.yaml:12:31: 'exclusive_fields' must list at least two field names\n"
            "          - exclusive_fields: [Content-Length]\n"
            "                              ^");
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        expect:\n"
                                        "          - content_length_exact: false\n"
                                        "            requirement: 9110-13.1.2-weak-compare\n")),
            "cases/t.yaml:12:35: 'content_length_exact' must be true (leave the check out "
            "instead of writing false)\n"
            "          - content_length_exact: false\n"
            "                                  ^");
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        expect:\n"
                                        "          - stored_as_sent: { step: later }\n"
                                        "            requirement: 9110-13.1.2-weak-compare\n")),
            "cases/t.yaml:12:37: unknown step 'later' (earlier steps: first)\n"
            "          - stored_as_sent: { step: later }\n"
            "                                    ^");
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        expect:\n"
                                        "          - strong_etag_differs: { stp: first }\n"
                                        "            requirement: 9110-13.1.2-weak-compare\n")),
            "cases/t.yaml:12:34: missing required key 'step' in strong_etag_differs\n"
            "          - strong_etag_differs: { stp: first }\n"
            "                                 ^\n"
            "cases/t.yaml:12:36: unknown key 'stp' in strong_etag_differs (expected one of: "
            "step)\n"
            "          - strong_etag_differs: { stp: first }\n"
            "                                   ^");
}

TEST(ParseCaseFileErrors, UnknownRequirement) {
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        expect:\n"
                                        "          - status: 304\n"
                                        "            requirement: 9110-13.1.2-nope\n")),
            "cases/t.yaml:13:26: unknown requirement '9110-13.1.2-nope'\n"
            "            requirement: 9110-13.1.2-nope\n"
            "                         ^");
}

TEST(ParseCaseFileErrors, UnknownFact) {
  EXPECT_EQ(case_error(with_second_step("", "[etag, strong-etags]")),
            "cases/t.yaml:6:19: unknown fact 'strong-etags' in needs (known: unsafe-url, etag, "
            "strong-etag, weak-etag, no-etag, last-modified, old-last-modified, no-last-modified, "
            "same-content, stable, etag-follows-content, if-none-match, if-none-match-star, "
            "if-none-match-evaluated, if-modified-since, if-match-evaluated, if-match, "
            "if-unmodified-since, partial-content, ranges, no-ranges, gzip, gzip-distinct-etags, "
            "missing-404, cache-stores)\n"
            "    needs: [etag, strong-etags]\n"
            "                  ^");
}

TEST(ParseCaseFileErrors, UnsafeMethodNeedsUnsafeUrl) {
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        request: { method: PUT }\n")),
            "cases/t.yaml:11:28: step 'second' uses PUT; a scenario with unsafe methods must "
            "list 'unsafe-url' in needs\n"
            "        request: { method: PUT }\n"
            "                           ^\n"
            "cases/t.yaml:11:28: step 'second' uses PUT; unsafe methods may only be sent to "
            "'resource: unsafe'\n"
            "        request: { method: PUT }\n"
            "                           ^");
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        request: { method: DELETE }\n",
                                        "[unsafe-url]")),
            "cases/t.yaml:11:28: step 'second' uses DELETE; unsafe methods may only be sent to "
            "'resource: unsafe'\n"
            "        request: { method: DELETE }\n"
            "                           ^");
}

TEST(ParseCaseFileErrors, ResourcesNeedTheirFacts) {
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        request: { resource: unsafe }\n")),
            "cases/t.yaml:11:30: step 'second' uses 'resource: unsafe'; the scenario must list "
            "'unsafe-url' in needs\n"
            "        request: { resource: unsafe }\n"
            "                             ^");
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        request: { resource: missing }\n")),
            "cases/t.yaml:11:30: step 'second' uses 'resource: missing'; the scenario must list "
            "'missing-404' in needs\n"
            "        request: { resource: missing }\n"
            "                             ^");
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        request: { resource: elsewhere }\n")),
            "cases/t.yaml:11:30: 'resource' must be one of: target, unsafe, missing; got "
            "'elsewhere'\n"
            "        request: { resource: elsewhere }\n"
            "                             ^");
}

TEST(ParseCaseFile, SplitBeforeNamesAFieldTheStepSends) {
  auto parsed = parse_case_file(with_second_step("      - id: second\n"
                                                 "        request:\n"
                                                 "          headers: { Accept: '*/*', "
                                                 "If-None-Match: '\"x\"' }\n"
                                                 "          split_before: if-none-match\n"),
                                "cases/t.yaml", catalog(), nullptr);
  ASSERT_TRUE(parsed.ok()) << render(parsed.error());
  EXPECT_EQ((*parsed)[0].steps[1].request.split_before, "if-none-match");
  EXPECT_EQ((*parsed)[0].steps[0].request.split_before, "");
}

TEST(ParseCaseFileErrors, SplitBefore) {
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        request:\n"
                                        "          headers: { If-None-Match: '\"x\"' }\n"
                                        "          split_before: If-Match\n")),
            "cases/t.yaml:13:25: 'split_before' names 'If-Match', which step 'second' does not "
            "send (it sends: If-None-Match)\n"
            "          split_before: If-Match\n"
            "                        ^");
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        request: { split_before: Host }\n")),
            "cases/t.yaml:11:34: 'split_before' names 'Host', which step 'second' does not send "
            "(it sends no header fields)\n"
            "        request: { split_before: Host }\n"
            "                                 ^");
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        request:\n"
                                        "          headers: { If-None-Match: '\"x\"' }\n"
                                        "          split_before: If None\n")),
            "cases/t.yaml:13:25: 'If None' is not a valid field name (a token such as "
            "If-None-Match)\n"
            "          split_before: If None\n"
            "                        ^");
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        request:\n"
                                        "          headers: { If-None-Match: '\"x\"' }\n"
                                        "          split_before: [If-None-Match]\n")),
            "cases/t.yaml:13:25: 'split_before' must be a string, got a list\n"
            "          split_before: [If-None-Match]\n"
            "                        ^");
}

TEST(ParseCaseFileErrors, MethodMustBeUppercaseToken) {
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        request: { method: get }\n")),
            "cases/t.yaml:11:28: method 'get' must be an uppercase token such as GET\n"
            "        request: { method: get }\n"
            "                           ^");
}

TEST(ParseCaseFileErrors, Version) {
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        request: { version: HTTP/2 }\n")),
            "cases/t.yaml:11:29: 'version' must be HTTP/1.1 or HTTP/1.0, got 'HTTP/2'\n"
            "        request: { version: HTTP/2 }\n"
            "                            ^");
}

TEST(ParseCaseFileErrors, FieldNameNotAToken) {
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        request:\n"
                                        "          headers: { \"If None\": x }\n")),
            "cases/t.yaml:12:22: 'If None' is not a valid field name (a token such as "
            "If-None-Match)\n"
            "          headers: { \"If None\": x }\n"
            "                     ^");
}

TEST(ParseCaseFileErrors, HeaderValueMissing) {
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        request:\n"
                                        "          headers:\n"
                                        "            If-None-Match:\n")),
            "cases/t.yaml:13:13: the value of field 'If-None-Match' must be a string, got "
            "nothing (write '' for an empty value)\n"
            "            If-None-Match:\n"
            "            ^");
}

TEST(ParseCaseFileErrors, DuplicateHeaderInMappingForm) {
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        request:\n"
                                        "          headers:\n"
                                        "            If-Match: '\"a\"'\n"
                                        "            If-Match: '\"b\"'\n")),
            "cases/t.yaml:14:13: duplicate field 'If-Match' in headers (first at 13:13); to send "
            "a field twice, use the list form\n"
            "            If-Match: '\"b\"'\n"
            "            ^");
}

TEST(ParseCaseFileErrors, HeaderListItemWithTwoFields) {
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        request:\n"
                                        "          headers:\n"
                                        "            - { A: x, B: y }\n")),
            "cases/t.yaml:13:15: each item of 'headers' must be a mapping with one field, such as "
            "- If-None-Match: '\"x\"'; got 2 fields\n"
            "            - { A: x, B: y }\n"
            "              ^");
}

TEST(ParseCaseFileErrors, TemplateErrorInPlainScalar) {
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        request:\n"
                                        "          headers:\n"
                                        "            If-None-Match: W/{{ wek(first.etag) }}\n")),
            "cases/t.yaml:13:33: unknown function 'wek' (known: weak, strong, opaque, imf, "
            "rfc850, asctime, shift, lower, upper, swapcase)\n"
            "            If-None-Match: W/{{ wek(first.etag) }}\n"
            "                                ^");
}

TEST(ParseCaseFileErrors, TemplateErrorInQuotedScalars) {
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        request:\n"
                                        "          headers:\n"
                                        "            If-None-Match: \"{{ weak(first.etga) }}\"\n")),
            "cases/t.yaml:13:37: unknown reference 'first.etga' (known: status, etag, "
            "last_modified, date, content_length, field.NAME)\n"
            "            If-None-Match: \"{{ weak(first.etga) }}\"\n"
            "                                    ^");
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        request:\n"
                                        "          headers:\n"
                                        "            If-None-Match: '\"{{ frist.etag }}\"'\n")),
            "cases/t.yaml:13:33: unknown step 'frist' (earlier steps: first)\n"
            "            If-None-Match: '\"{{ frist.etag }}\"'\n"
            "                                ^");
}

TEST(ParseCaseFileErrors, TemplateErrorInBlockScalar) {
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        request:\n"
                                        "          body: |\n"
                                        "            line one\n"
                                        "            {{ weak(first.etag, first.etag) }}\n")),
            "cases/t.yaml:14:4: weak() takes 1 argument, got 2\n"
            "            {{ weak(first.etag, first.etag) }}\n"
            "   ^");
}

TEST(ParseCaseFileErrors, TemplateUsesALaterStep) {
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        request:\n"
                                        "          headers: { If-Match: \"{{ third.etag }}\" }\n"
                                        "      - id: third\n")),
            "cases/t.yaml:12:36: unknown step 'third' (earlier steps: first)\n"
            "          headers: { If-Match: \"{{ third.etag }}\" }\n"
            "                                   ^");
}

TEST(ParseCaseFileErrors, UnterminatedPlaceholder) {
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        request: { body: \"{{ first.etag\" }\n")),
            "cases/t.yaml:11:27: unterminated '{{' in template\n"
            "        request: { body: \"{{ first.etag\" }\n"
            "                          ^");
}

TEST(ParseCaseFileErrors, CheckNamesUnknownStep) {
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        expect:\n"
                                        "          - content_equals: { step: second }\n"
                                        "            requirement: 9110-15.4.5-no-content\n")),
            "cases/t.yaml:12:37: unknown step 'second' (earlier steps: first)\n"
            "          - content_equals: { step: second }\n"
            "                                    ^");
}

TEST(ParseCaseFileErrors, InvalidRegex) {
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        expect:\n"
                                        "          - field: { name: ETag, matches: '\"[a-z' }\n"
                                        "            requirement: 9110-13.1.2-weak-compare\n")),
            "cases/t.yaml:12:43: 'matches' is not a valid regular expression: mismatched [ and ]\n"
            "          - field: { name: ETag, matches: '\"[a-z' }\n"
            "                                          ^");
}

TEST(ParseCaseFileErrors, FieldCheckConditions) {
  EXPECT_EQ(
      case_error(with_second_step("      - id: second\n"
                                  "        expect:\n"
                                  "          - field: { name: ETag, present: true, equals: x }\n"
                                  "            requirement: 9110-13.1.2-weak-compare\n")),
      "cases/t.yaml:12:20: field check has 2 conditions ('present', 'equals'); use exactly "
      "one\n"
      "          - field: { name: ETag, present: true, equals: x }\n"
      "                   ^");
  EXPECT_EQ(
      case_error(with_second_step("      - id: second\n"
                                  "        expect:\n"
                                  "          - field: { name: ETag }\n"
                                  "            requirement: 9110-13.1.2-weak-compare\n")),
      "cases/t.yaml:12:20: field check needs one of: present, absent, equals, differs, lists, "
      "matches\n"
      "          - field: { name: ETag }\n"
      "                   ^");
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        expect:\n"
                                        "          - field: { name: ETag, absent: false }\n"
                                        "            requirement: 9110-13.1.2-weak-compare\n")),
            "cases/t.yaml:12:42: 'absent' must be true (leave the check out instead of writing "
            "false)\n"
            "          - field: { name: ETag, absent: false }\n"
            "                                         ^");
}

TEST(ParseCaseFileErrors, Ranges) {
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        expect:\n"
                                        "          - content_equals: { step: first, range: 5-2 }\n"
                                        "            requirement: 9110-15.4.5-no-content\n")),
            "cases/t.yaml:12:51: 'range' 5-2 ends before it starts\n"
            "          - content_equals: { step: first, range: 5-2 }\n"
            "                                                  ^");
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        expect:\n"
                                        "          - content_equals: { step: first, range: 5- }\n"
                                        "            requirement: 9110-15.4.5-no-content\n")),
            "cases/t.yaml:12:51: 'range' must be first-last byte positions such as \"0-0\", or a "
            "suffix length such as \"-5\", got "
            "'5-'\n"
            "          - content_equals: { step: first, range: 5- }\n"
            "                                                  ^");
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        expect:\n"
                                        "          - content_equals: { step: first, range: -0 }\n"
                                        "            requirement: 9110-15.4.5-no-content\n")),
            "cases/t.yaml:12:51: 'range' -0 asks for no bytes: a suffix range has a length above "
            "0\n"
            "          - content_equals: { step: first, range: -0 }\n"
            "                                                  ^");
}

TEST(ParseCaseFileErrors, CompareValue) {
  EXPECT_EQ(
      case_error(with_second_step("      - id: second\n"
                                  "        expect:\n"
                                  "          - same_fields_as: { step: first, fields: [ETag], "
                                  "compare: exact }\n"
                                  "            requirement: 9110-15.4.5-no-content\n")),
      "cases/t.yaml:12:69: 'compare' must be value, presence or value-if-present, got "
      "'exact'\n"
      "          - same_fields_as: { step: first, fields: [ETag], compare: exact }\n"
      "                                                                    ^");
}

TEST(ParseCaseFileErrors, DateNearNowTolerance) {
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        expect:\n"
                                        "          - date_near_now: 0\n"
                                        "            requirement: 9110-15.4.5-no-content\n")),
            "cases/t.yaml:12:28: 'date_near_now' must be a number of seconds from 1 to 86400, "
            "got '0'\n"
            "          - date_near_now: 0\n"
            "                           ^");
}

TEST(ParseCaseFileErrors, NoContentFalse) {
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        expect:\n"
                                        "          - no_content: false\n"
                                        "            requirement: 9110-15.4.5-no-content\n")),
            "cases/t.yaml:12:25: 'no_content' must be true (leave the check out instead of "
            "writing false)\n"
            "          - no_content: false\n"
            "                        ^");
}

TEST(ParseCaseFileErrors, DateSyntaxNeedsFields) {
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        expect:\n"
                                        "          - date_syntax: []\n"
                                        "            requirement: 9110-15.4.5-no-content\n")),
            "cases/t.yaml:12:26: 'date_syntax' must list at least one field name\n"
            "          - date_syntax: []\n"
            "                         ^");
}

TEST(ParseCaseFileErrors, BadIds) {
  EXPECT_EQ(case_error(replaced(with_second_step("      - id: Second\n"), "id: inm", "id: Inm_1")),
            "cases/t.yaml:4:9: scenario id 'Inm_1' must be lowercase letters and digits joined "
            "by '-', e.g. inm-weak-tag\n"
            "  - id: Inm_1\n"
            "        ^\n"
            "cases/t.yaml:10:13: step id 'Second' must start with a lowercase letter and use "
            "only a-z, 0-9 and '_', e.g. first\n"
            "      - id: Second\n"
            "            ^");
  EXPECT_EQ(case_error(with_second_step("      - id: now\n")),
            "cases/t.yaml:10:13: step id 'now' is reserved: templates use 'now' for the tester's "
            "clock\n"
            "      - id: now\n"
            "            ^");
  EXPECT_EQ(case_error(replaced(with_second_step(""), "    title: t\n",
                                "    title: t\n    tags: [Weak]\n")),
            "cases/t.yaml:6:12: tag 'Weak' must be lowercase letters and digits joined by '-', "
            "e.g. weak-comparison\n"
            "    tags: [Weak]\n"
            "           ^");
}

TEST(ParseCaseFileErrors, WrongTypes) {
  EXPECT_EQ(case_error(replaced(with_second_step("      - first\n"), "title: t", "title: [t]")),
            "cases/t.yaml:5:12: 'title' must be a string, got a list\n"
            "    title: [t]\n"
            "           ^\n"
            "cases/t.yaml:10:9: step must be a mapping, got 'first'\n"
            "      - first\n"
            "        ^");
  EXPECT_EQ(case_error(with_second_step("      - id: second\n        request: GET\n")),
            "cases/t.yaml:11:18: request must be a mapping, got 'GET'\n"
            "        request: GET\n"
            "                 ^");
}

TEST(ParseCaseFileErrors, DuplicateStepId) {
  EXPECT_EQ(case_error(with_second_step("      - id: first\n")),
            "cases/t.yaml:10:9: duplicate step id 'first' (first defined at cases/t.yaml:8:9)\n"
            "      - id: first\n"
            "        ^");
}

TEST(ParseCaseFileErrors, DuplicateScenarioId) {
  const std::string file = with_second_step("") +
                           "  - id: inm\n"
                           "    title: again\n"
                           "    steps: [{ id: a }]\n";
  EXPECT_EQ(case_error(file),
            "cases/t.yaml:10:5: duplicate scenario id 'inm' (first defined at cases/t.yaml:4:5)\n"
            "  - id: inm\n"
            "    ^");
}

TEST(ParseCaseFileErrors, DuplicateKey) {
  EXPECT_EQ(case_error(with_second_step("      - id: second\n        id: third\n")),
            "cases/t.yaml:11:9: duplicate key 'id' in step (first at 10:9)\n"
            "        id: third\n"
            "        ^");
}

TEST(ParseCaseFileErrors, TopLevel) {
  EXPECT_EQ(case_error("section: \"1\"\ntitle: x\nscenarios: []\nextra: 1\n"),
            "cases/t.yaml:3:12: 'scenarios' must be a non-empty list, got a list\n"
            "scenarios: []\n"
            "           ^\n"
            "cases/t.yaml:4:1: unknown key 'extra' in case file (expected one of: section, "
            "title, scenarios)\n"
            "extra: 1\n"
            "^");
  EXPECT_EQ(case_error("- a\n"),
            "cases/t.yaml:1:1: case file must be a mapping, got a list\n"
            "- a\n"
            "^");
  EXPECT_EQ(case_error("section: \"1\"\ntitle: x\nscenarios:\n  - id: a\n    title: t\n"
                       "    steps:\n"),
            "cases/t.yaml:6:5: 'steps' must be a non-empty list, got nothing\n"
            "    steps:\n"
            "    ^");
}

TEST(ParseCaseFileErrors, InvalidYaml) {
  EXPECT_EQ(case_error("title: x\n  bad: 1\n"),
            "cases/t.yaml:2:6: invalid YAML: mapping values are not allowed in this context\n"
            "  bad: 1\n"
            "     ^");
}

// Diagnostics quote the file; control bytes in it are escaped, so each
// diagnostic stays on one line and nothing reaches the terminal as a control
// sequence (found by fuzzing). YAML allows none outside escapes: a raw one is
// a syntax error at its own byte.
TEST(ParseCaseFileErrors, ControlBytesInDiagnosticsAreEscaped) {
  EXPECT_EQ(case_error("title: \"a\\\x01\"\n"),
            "cases/t.yaml:1:11: invalid YAML: control characters are not allowed: 0x01\n"
            "title: \"a\\\\x01\"\n"
            "          ^");
  EXPECT_EQ(catalog_error("\"\\e[31m\": 1\nrequirements: [x]\n"),
            "cases/requirements.yaml:1:1: unknown key '\\x1b[31m' in catalog (expected one of: "
            "extends, requirements)\n"
            "\"\\e[31m\": 1\n"
            "^\n"
            "cases/requirements.yaml:2:16: requirement must be a mapping, got 'x'\n"
            "requirements: [x]\n"
            "               ^");
}

TEST(ParseCaseFileErrors, CollectsEveryProblemInFileOrder) {
  EXPECT_EQ(case_error(with_second_step("      - id: second\n"
                                        "        expekt: []\n"
                                        "        request: { method: get, body: \"{{ x\" }\n"
                                        "        assume: { status: 99 }\n")),
            "cases/t.yaml:11:9: unknown key 'expekt' in step (expected one of: id, request, "
            "origin, pause, assume, expect)\n"
            "        expekt: []\n"
            "        ^\n"
            "cases/t.yaml:12:28: method 'get' must be an uppercase token such as GET\n"
            "        request: { method: get, body: \"{{ x\" }\n"
            "                           ^\n"
            "cases/t.yaml:12:40: unterminated '{{' in template\n"
            "        request: { method: get, body: \"{{ x\" }\n"
            "                                       ^\n"
            "cases/t.yaml:13:27: status 99 is not a status code (100-599)\n"
            "        assume: { status: 99 }\n"
            "                          ^");
}

// ---------------------------------------------------------------------------
// load_suite

class LoadSuiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(CONDSPEC_BINARY_DIR) /
           ("loader-test-" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void write(const std::string& name, std::string_view text) { std::ofstream(dir_ / name) << text; }

  static std::string scenario_file(std::string_view id) {
    return "section: \"13.1.2\"\ntitle: T\nscenarios:\n  - id: " + std::string(id) +
           "\n    title: t\n    steps: [{ id: a }]\n";
  }

  std::filesystem::path dir_;
};

TEST_F(LoadSuiteTest, LoadsCatalogAndFilesSortedByName) {
  write("requirements.yaml", kCatalog);
  write("b.yaml", scenario_file("from-b"));
  write("a.yaml", scenario_file("from-a"));
  write("notes.txt", "not a case file");
  auto suite = load_suite(dir_);
  ASSERT_TRUE(suite.ok()) << render(suite.error());
  EXPECT_EQ(suite->requirements.size(), 3u);
  ASSERT_EQ(suite->files.size(), 2u);
  EXPECT_EQ(suite->files[0].path, (dir_ / "a.yaml").string());
  EXPECT_EQ(suite->files[0].section, "13.1.2");
  EXPECT_EQ(suite->files[0].title, "T");
  EXPECT_EQ(suite->files[1].path, (dir_ / "b.yaml").string());
  ASSERT_EQ(suite->scenarios.size(), 2u);
  EXPECT_EQ(suite->scenarios[0].id, "from-a");
  EXPECT_EQ(suite->scenarios[1].id, "from-b");
  EXPECT_EQ(suite->scenarios[1].file, (dir_ / "b.yaml").string());
  EXPECT_NE(suite->scenario("from-a"), nullptr);
  EXPECT_NE(suite->requirement("9110-15.4.5-no-content"), nullptr);
}

TEST_F(LoadSuiteTest, ReportsScenarioIdsUsedInTwoFiles) {
  write("requirements.yaml", kCatalog);
  write("a.yaml", scenario_file("same"));
  write("b.yaml", scenario_file("same"));
  auto suite = load_suite(dir_);
  ASSERT_FALSE(suite.ok());
  EXPECT_EQ(render(suite.error()), (dir_ / "b.yaml").string() +
                                       ":4:5: duplicate scenario id 'same' (first defined at " +
                                       (dir_ / "a.yaml").string() + ":4:5)\n" +
                                       "  - id: same\n"
                                       "    ^");
}

TEST_F(LoadSuiteTest, CollectsErrorsOfEveryFile) {
  write("requirements.yaml", kCatalog);
  write("a.yaml", "section: \"1\"\ntitle: x\n");
  write("b.yaml", "section: \"1\"\nscenarios: []\n");
  auto suite = load_suite(dir_);
  ASSERT_FALSE(suite.ok());
  EXPECT_EQ(render(suite.error()),
            (dir_ / "a.yaml").string() + ":1:1: missing required key 'scenarios' in case file\n" +
                "section: \"1\"\n"
                "^\n" +
                (dir_ / "b.yaml").string() + ":1:1: missing required key 'title' in case file\n" +
                "section: \"1\"\n"
                "^\n" +
                (dir_ / "b.yaml").string() +
                ":2:12: 'scenarios' must be a non-empty list, got a list\n"
                "scenarios: []\n"
                "           ^");
}

// The files are read several at a time; the suite and the diagnostics are
// still in file order, whichever file was read first.
TEST_F(LoadSuiteTest, ManyFilesKeepTheirOrderAndSoDoTheirErrors) {
  write("requirements.yaml", kCatalog);
  std::string expected_errors;
  for (int i = 1; i <= 40; ++i) {
    const std::string name = "f" + std::to_string(i) + ".yaml";
    // Every fifth file repeats the scenario of the file before it.
    const bool repeats = i % 5 == 0;
    write(name, scenario_file("s" + std::to_string(repeats ? i - 1 : i)));
    if (repeats)
      expected_errors += (dir_ / name).string() + ":4:5: duplicate scenario id 's" +
                         std::to_string(i - 1) + "' (first defined at " +
                         (dir_ / ("f" + std::to_string(i - 1) + ".yaml")).string() +
                         ":4:5)\n  - id: s" + std::to_string(i - 1) + "\n    ^\n";
  }
  auto suite = load_suite(dir_);
  ASSERT_FALSE(suite.ok());
  EXPECT_EQ(render(suite.error()) + "\n", expected_errors);

  for (int i = 5; i <= 40; i += 5)
    std::filesystem::remove(dir_ / ("f" + std::to_string(i) + ".yaml"));
  auto loaded = load_suite(dir_);
  ASSERT_TRUE(loaded.ok()) << render(loaded.error());
  ASSERT_EQ(loaded->scenarios.size(), 32u);
  ASSERT_EQ(loaded->files.size(), 32u);
  size_t k = 0;
  for (int i = 1; i <= 40; ++i) {
    if (i % 5 == 0) continue;
    EXPECT_EQ(loaded->scenarios[k].id, "s" + std::to_string(i));
    EXPECT_EQ(loaded->files[k].path, (dir_ / ("f" + std::to_string(i) + ".yaml")).string());
    ++k;
  }
}

TEST_F(LoadSuiteTest, StopsAtABrokenCatalog) {
  write("requirements.yaml", "requirements: 1\n");
  write("a.yaml", scenario_file("a"));
  auto suite = load_suite(dir_);
  ASSERT_FALSE(suite.ok());
  EXPECT_EQ(render(suite.error()), (dir_ / "requirements.yaml").string() +
                                       ":1:15: 'requirements' must be a non-empty list, got '1'\n"
                                       "requirements: 1\n"
                                       "              ^");
}

TEST_F(LoadSuiteTest, MissingCatalogOrDirectory) {
  auto suite = load_suite(dir_);
  ASSERT_FALSE(suite.ok());
  EXPECT_EQ(render(suite.error()),
            (dir_ / "requirements.yaml").string() + ": cannot read the requirement catalog");
  auto missing = load_suite(dir_ / "nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(render(missing.error()),
            (dir_ / "nope").string() +
                ": not a directory (expected the cases directory with requirements.yaml)");
}

// A scenario's RFC (how reports name and sort its section): that of a
// requirement it judges in its own section, else its file name's, else that
// of its first requirement, else 9110.
TEST_F(LoadSuiteTest, ScenarioRfcComesFromItsSectionsRequirementThenItsFileName) {
  write("requirements.yaml", std::string(kCatalog) + R"(  - id: 9113-8.1.1-content-length-data
    rfc: "9113"
    section: "8.1.1"
    level: MUST
    summary: content-length equals the DATA payload.
    link: https://www.rfc-editor.org/rfc/rfc9113#section-8.1.1
)");
  auto file = [](std::string_view section, std::string_view id, std::string_view requirement) {
    return "section: \"" + std::string(section) +
           "\"\ntitle: T\nscenarios:\n  - id: " + std::string(id) +
           "\n    title: t\n    steps:\n      - id: a\n        expect:\n          - status: "
           "200\n            requirement: " +
           std::string(requirement) + "\n";
  };
  write("9113-8.1.1-own-section.yaml",
        file("8.1.1", "own-section", "9113-8.1.1-content-length-data"));
  write("9110-15.4.5-other-rfc-row.yaml",
        file("15.4.5", "file-name", "9113-8.1.1-content-length-data"));
  write("mine.yaml", file("6.3", "first-requirement", "9113-8.1.1-content-length-data"));
  write("none.yaml", scenario_file("no-requirement"));
  auto suite = load_suite(dir_);
  ASSERT_TRUE(suite.ok()) << render(suite.error());
  std::map<std::string, std::string> rfc_of;
  for (const auto& s : suite->scenarios) rfc_of[s.id] = s.rfc;
  EXPECT_EQ(rfc_of["own-section"], "9113");
  EXPECT_EQ(rfc_of["file-name"], "9110");
  EXPECT_EQ(rfc_of["first-requirement"], "9113");
  EXPECT_EQ(rfc_of["no-requirement"], "9110");
}

TEST_F(LoadSuiteTest, NamesFilesAsGiven) {
  write("requirements.yaml", kCatalog);
  write("a.yaml", "section: \"1\"\ntitle: x\n");
  const auto relative = std::filesystem::relative(dir_);
  auto suite = load_suite(relative);
  ASSERT_FALSE(suite.ok());
  EXPECT_EQ(render(suite.error()),
            relative.string() +
                "/a.yaml:1:1: missing required key 'scenarios' in case file\n"
                "section: \"1\"\n"
                "^");
}

// The shipped cases say every expectation in words: a field pattern always
// has `means`, so no report shows a regular expression.
TEST(ShippedCases, EveryPatternIsSaidInWords) {
  auto suite = load_suite(std::string(CONDSPEC_SOURCE_DIR) + "/cases");
  ASSERT_TRUE(suite.ok()) << render(suite.error());
  for (const auto& scenario : suite->scenarios)
    for (const auto& step : scenario.steps)
      for (const auto& e : step.expect)
        if (const auto* field = std::get_if<FieldCheck>(&e.check);
            field && field->op == FieldCheck::Op::matches) {
          EXPECT_FALSE(field->means.empty())
              << scenario.id << " step " << step.id << ": 'matches' without 'means'";
        }
}

// `protocols`: which protocols a scenario is judged over.
constexpr std::string_view kFramingCatalog = R"(requirements:
  - id: 9110-15.4.5-no-content
    rfc: "9110"
    section: "15.4.5"
    level: MUST
    summary: A 304 has no content.
    link: https://www.rfc-editor.org/rfc/rfc9110#section-15.4.5
  - id: 9112-6.3-cl-body-match
    rfc: "9112"
    section: "6.3"
    level: MUST
    summary: Exactly Content-Length bytes.
    link: https://www.rfc-editor.org/rfc/rfc9112#section-6.3
  - id: 9113-8.2.2-no-connection-fields
    rfc: "9113"
    section: "8.2.2"
    level: MUST NOT
    summary: No connection-specific fields.
    link: https://www.rfc-editor.org/rfc/rfc9113#section-8.2.2
)";

// One scenario with `extra` (indented scenario keys, e.g. "    protocols:
// [h2]\n") and one step whose request is `request` and whose one check
// names `requirement`.
std::string scenario_with(std::string_view extra, std::string_view request,
                          std::string_view requirement = "9110-15.4.5-no-content") {
  return std::string(R"(section: "6.3"
title: t
scenarios:
  - id: s
    title: t
)") + std::string(extra) +
         "    steps:\n      - id: first\n        request: " + std::string(request) +
         "\n        expect:\n          - status: 200\n            requirement: " +
         std::string(requirement) + "\n";
}

Loaded<std::vector<Scenario>> parse_framing(const std::string& yaml) {
  auto catalog = parse_catalog(kFramingCatalog, "cases/requirements.yaml");
  EXPECT_TRUE(catalog.ok());
  return parse_case_file(yaml, "cases/t.yaml", *catalog, nullptr);
}

std::vector<Protocol> protocols_of(const std::string& yaml) {
  auto parsed = parse_framing(yaml);
  EXPECT_TRUE(parsed.ok()) << render(parsed.error());
  return parsed.ok() ? (*parsed)[0].protocols : std::vector<Protocol>{};
}

std::string framing_error(const std::string& yaml) {
  auto parsed = parse_framing(yaml);
  return parsed.ok() ? "(ok)" : render(parsed.error());
}

TEST(ParseCaseFileProtocols, WithoutTheKeyEveryProtocolTheScenarioCanBeJudgedOver) {
  const std::vector<Protocol> all{Protocol::http1_1, Protocol::h2, Protocol::h2c};
  EXPECT_EQ(protocols_of(scenario_with("", "{ method: GET }")), all);
  EXPECT_EQ(protocols_of(scenario_with("", "{ version: HTTP/1.0 }")),
            std::vector<Protocol>{Protocol::http1_1});
  EXPECT_EQ(protocols_of(scenario_with(
                "", "{ headers: { If-None-Match: '\"x\"' }, split_before: If-None-Match }")),
            std::vector<Protocol>{Protocol::http1_1});
  EXPECT_EQ(protocols_of(scenario_with("", "{ method: GET }", "9112-6.3-cl-body-match")),
            std::vector<Protocol>{Protocol::http1_1});
  EXPECT_EQ(protocols_of(scenario_with("", "{ method: GET }", "9113-8.2.2-no-connection-fields")),
            (std::vector<Protocol>{Protocol::h2, Protocol::h2c}));
  auto parsed = parse_framing(scenario_with("", "{ version: HTTP/1.0 }"));
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE((*parsed)[0].protocols_stated);
}

TEST(ParseCaseFileProtocols, AListNarrowsInTheProtocolsOwnOrder) {
  EXPECT_EQ(protocols_of(scenario_with("    protocols: [h2c, http/1.1]\n", "{ method: GET }")),
            (std::vector<Protocol>{Protocol::http1_1, Protocol::h2c}));
  auto parsed = parse_framing(scenario_with("    protocols: [http/1.1]\n", "{ method: GET }"));
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE((*parsed)[0].protocols_stated);
}

TEST(ParseCaseFileProtocolsErrors, ListingAProtocolTheScenarioCannotBeJudgedOver) {
  EXPECT_EQ(
      framing_error(scenario_with("    protocols: [http/1.1, h2]\n", "{ version: HTTP/1.0 }")),
      "cases/t.yaml:6:16: 'protocols' lists h2, but step 'first' sends an HTTP/1.0 "
      "request: an HTTP/1.0 request cannot be sent over HTTP/2\n"
      "    protocols: [http/1.1, h2]\n"
      "               ^");
  EXPECT_EQ(framing_error(scenario_with("    protocols: [h2c]\n",
                                        "{ headers: { If-None-Match: '\"x\"' }, split_before: "
                                        "If-None-Match }")),
            "cases/t.yaml:6:16: 'protocols' lists h2c, but step 'first' sends its header section "
            "in two writes (split_before): a header section in two writes (split_before) is sent "
            "over HTTP/1.1 only\n"
            "    protocols: [h2c]\n"
            "               ^");
  EXPECT_EQ(framing_error(scenario_with("    protocols: [h2]\n", "{ method: GET }",
                                        "9112-6.3-cl-body-match")),
            "cases/t.yaml:6:16: 'protocols' lists h2, but it judges 9112-6.3-cl-body-match: "
            "HTTP/1.1 message framing (RFC 9112) is not used over HTTP/2, whose frames delimit "
            "messages (RFC 9113 8.1)\n"
            "    protocols: [h2]\n"
            "               ^");
  EXPECT_EQ(framing_error(scenario_with("    protocols: [http/1.1]\n", "{ method: GET }",
                                        "9113-8.2.2-no-connection-fields")),
            "cases/t.yaml:6:16: 'protocols' lists http/1.1, but it judges "
            "9113-8.2.2-no-connection-fields: HTTP/2 framing (RFC 9113) is not used over "
            "HTTP/1.1\n"
            "    protocols: [http/1.1]\n"
            "               ^");
}

TEST(ParseCaseFileProtocolsErrors, UnknownEmptyAndRepeatedProtocols) {
  EXPECT_EQ(framing_error(scenario_with("    protocols: [h3]\n", "{ method: GET }")),
            "cases/t.yaml:6:17: unknown protocol 'h3' in protocols (known: http/1.1, h2, h2c)\n"
            "    protocols: [h3]\n"
            "                ^");
  EXPECT_EQ(framing_error(scenario_with("    protocols: []\n", "{ method: GET }")),
            "cases/t.yaml:6:16: 'protocols' must list at least one protocol (http/1.1, h2, h2c)\n"
            "    protocols: []\n"
            "               ^");
  EXPECT_EQ(framing_error(scenario_with("    protocols: [h2, h2]\n", "{ method: GET }")),
            "cases/t.yaml:6:21: protocol 'h2' is listed twice\n"
            "    protocols: [h2, h2]\n"
            "                    ^");
}

TEST(ParseCaseFileProtocolsErrors, AScenarioNoProtocolCanCarry) {
  const std::string yaml = std::string(R"(section: "6.3"
title: t
scenarios:
  - id: s
    title: t
    steps:
      - id: first
        request: { version: HTTP/1.0 }
        expect:
          - status: 200
            requirement: 9113-8.2.2-no-connection-fields
)");
  EXPECT_EQ(framing_error(yaml),
            "cases/t.yaml:4:5: scenario 's' can be judged over no protocol: it judges "
            "9113-8.2.2-no-connection-fields, and step 'first' sends an HTTP/1.0 request\n"
            "  - id: s\n"
            "    ^");
}

// A case file is a regular file: a FIFO (which would block the reader for
// ever), a device, a directory or a dangling symlink named *.yaml is
// refused by name, never skipped silently. A symlink to a regular file is
// read.
TEST_F(LoadSuiteTest, RefusesCaseFilesThatAreNotRegularFiles) {
  write("requirements.yaml", kCatalog);
  write("real.txt", scenario_file("through-a-link"));
  std::filesystem::create_symlink("real.txt", dir_ / "a-link.yaml");
  ASSERT_EQ(mkfifo((dir_ / "b-fifo.yaml").c_str(), 0600), 0);
  std::filesystem::create_symlink("/dev/null", dir_ / "c-device.yaml");
  std::filesystem::create_directories(dir_ / "d-directory.yaml");
  std::filesystem::create_symlink("nowhere.yaml", dir_ / "e-dangling.yaml");
  auto suite = load_suite(dir_);
  ASSERT_FALSE(suite.ok());
  const std::string d = dir_.string();
  EXPECT_EQ(render(suite.error()),
            d + "/b-fifo.yaml: a case file must be a regular file; this is a FIFO\n" + d +
                "/c-device.yaml: a case file must be a regular file; this is a character device\n" +
                d + "/d-directory.yaml: a case file must be a regular file; this is a directory\n" +
                d +
                "/e-dangling.yaml: a case file must be a regular file; this is a symbolic "
                "link to nothing");
  std::filesystem::remove(dir_ / "b-fifo.yaml");
  std::filesystem::remove(dir_ / "c-device.yaml");
  std::filesystem::remove(dir_ / "d-directory.yaml");
  std::filesystem::remove(dir_ / "e-dangling.yaml");
  auto linked = load_suite(dir_);
  ASSERT_TRUE(linked.ok()) << render(linked.error());
  EXPECT_EQ(linked->scenarios.at(0).id, "through-a-link");
  // The catalog too: a FIFO there would hang the run before it began.
  std::filesystem::remove(dir_ / "requirements.yaml");
  ASSERT_EQ(mkfifo((dir_ / "requirements.yaml").c_str(), 0600), 0);
  auto fifo_catalog = load_suite(dir_);
  ASSERT_FALSE(fifo_catalog.ok());
  EXPECT_EQ(render(fifo_catalog.error()),
            d + "/requirements.yaml: a case file must be a regular file; this is a FIFO");
}

// Case files are bounded before they are read: 1 MiB each, 8 MiB for the
// folder. (Sparse files: nothing of them is ever read.)
TEST_F(LoadSuiteTest, BoundsTheSizeOfACaseFileAndOfTheFolder) {
  write("requirements.yaml", kCatalog);
  write("a.yaml", scenario_file("a"));
  std::filesystem::resize_file(dir_ / "a.yaml", 1024 * 1024 + 1);
  auto big = load_suite(dir_);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(render(big.error()),
            (dir_ / "a.yaml").string() +
                ": the file has 1048577 bytes; a case file may have at most 1048576 (1 MiB)");
  std::filesystem::resize_file(dir_ / "a.yaml", 1024 * 1024);
  for (char c = 'b'; c <= 'i'; ++c) {
    write(std::string(1, c) + ".yaml", "");
    std::filesystem::resize_file(dir_ / (std::string(1, c) + ".yaml"), 1024 * 1024);
  }
  auto folder = load_suite(dir_);
  ASSERT_FALSE(folder.ok());
  const auto all = 9 * 1024 * 1024 + std::filesystem::file_size(dir_ / "requirements.yaml");
  EXPECT_EQ(render(folder.error()),
            dir_.string() + ": the case files have " + std::to_string(all) +
                " bytes in all; a cases folder may have at most 8388608 (8 MiB)");
}

// A file with many problems costs bounded memory and time: the first 100 of
// a file are shown, then how many more there were; each keeps only the part
// of its line around the column (what is shown of a line is cut to 120
// columns anyway).
TEST(ParseCaseFileErrors, ManyProblemsAreCappedAndLongLinesKeptAroundTheColumn) {
  std::string list;
  for (int i = 0; i < 300; ++i) list += i ? ",1" : "1";
  auto many = parse_case_file("section: \"13.1.2\"\ntitle: t\nscenarios: [" + list + "]\n",
                              "cases/t.yaml", catalog(), nullptr);
  ASSERT_FALSE(many.ok());
  ASSERT_EQ(many.error().size(), 101u);
  EXPECT_EQ(render(many.error().back()),
            "cases/t.yaml: 200 more problems are not shown (at most 100 of a file are)");
  EXPECT_EQ(
      render(many.error().front()),
      "cases/t.yaml:3:13: scenario must be a mapping, got '1'\n"
      "scenarios: [" +
          [] {
            std::string ones;
            for (int i = 0; i < 54; ++i) ones += "1,";
            return ones;
          }() +
          "...\n"
          "            ^");
  const std::string padding(100'000, 'x');
  const std::string line =
      "{section: \"13.1.2\", title: \"" + padding + "\", scenarios: [1], unknownkey: 1}";
  auto far = parse_case_file(line + "\n", "cases/t.yaml", catalog(), nullptr);
  ASSERT_FALSE(far.ok());
  const Diagnostic& unknown = far.error().back();
  ASSERT_TRUE(unknown.source_line.has_value());
  EXPECT_LE(unknown.source_line->size(), 2048u);
  Diagnostic whole = unknown;  // the same diagnostic with the whole line
  whole.source_line = line;
  whole.source_line_start = 0;
  EXPECT_EQ(render(unknown), render(whole));
  EXPECT_TRUE(render(unknown).starts_with("cases/t.yaml:1:100048: unknown key 'unknownkey'"))
      << render(unknown).substr(0, 300);
}

// Every node of the tree has a cost beside its text: nodes are counted as
// libyaml streams them and the first past the bound is never built, so a
// list of tiny items in a file within the size bound costs no more than the
// bound on nodes.
TEST(ParseCaseFileErrors, TooManyYamlNodesAreRefusedBeforeTheTreeIsBuilt) {
  std::string list;
  for (int i = 0; i < 100'000; ++i) list += "1,";
  auto many = parse_case_file("section: \"13.1.2\"\ntitle: t\nscenarios: [" + list + "1]\n",
                              "cases/t.yaml", catalog(), nullptr);
  ASSERT_FALSE(many.ok());
  ASSERT_EQ(many.error().size(), 1u);
  EXPECT_TRUE(render(many.error().front())
                  .starts_with("cases/t.yaml:3:199999: more than 100000 YAML nodes (values, lists "
                               "and mappings) in one file; at most 100000 are read\n"))
      << render(many.error().front()).substr(0, 300);
}
}  // namespace
}  // namespace condspec

namespace condspec {
namespace {

// ---------------------------------------------------------------------------
// Cache scenarios (`condspec cache`, docs/cache.md)

std::string cache_scenario(std::string_view first_step_extra, std::string_view step2) {
  return std::string(R"(section: "13.1.2"
title: If-None-Match
scenarios:
  - id: cache-inm
    title: t
    steps:
      - id: first
)") + std::string(first_step_extra) +
         R"(        assume: { status: [200] }
)" + std::string(step2);
}

constexpr std::string_view kOrigin = R"(        origin:
          headers:
            Cache-Control: max-age=1
            ETag: '"v1"'
          body: "one\n"
)";

TEST(ParseCacheScenario, OriginPauseAndUpstreamAssumptionsAreRead) {
  auto s = parse_case_file(cache_scenario(kOrigin, R"(      - id: stale
        pause: 1.5
        assume: { upstream_requests: [0, 1], upstream_conditional: true }
        expect:
          - upstream_field: { name: If-None-Match, equals: '"v1"' }
            requirement: 9110-13.1.2-weak-compare
)"),
                           "cases/t.yaml", catalog(), nullptr);
  ASSERT_TRUE(s.ok()) << render(s.error());
  const Scenario& scenario = s->front();
  EXPECT_TRUE(scenario.cache());
  const Step& first = scenario.steps[0];
  ASSERT_TRUE(first.origin);
  EXPECT_EQ(first.origin->status, 200);
  ASSERT_EQ(first.origin->fields.size(), 2u);
  EXPECT_EQ(first.origin->fields[0].first, "Cache-Control");
  const Step& stale = scenario.steps[1];
  EXPECT_EQ(stale.pause_ms, 1500);
  EXPECT_EQ(stale.assume_upstream_requests, (std::vector<int>{0, 1}));
  EXPECT_EQ(stale.assume_upstream_conditional, true);
  EXPECT_TRUE(stale.assume_status.empty());
}

TEST(ParseCacheScenarioErrors, APauseIsAtMostTwoSeconds) {
  EXPECT_EQ(case_error(cache_scenario(kOrigin, "      - id: stale\n        pause: 3\n")),
            "cases/t.yaml:15:16: 'pause' must be a number of seconds above 0 and at most 2, got "
            "'3'\n"
            "        pause: 3\n"
            "               ^");
}

TEST(ParseCacheScenarioErrors, UpstreamJudgementsNeedTheOriginScriptedFirst) {
  EXPECT_EQ(case_error(cache_scenario("", R"(      - id: stale
        expect:
          - upstream_requests: 1
            requirement: 9110-13.1.2-weak-compare
)")),
            "cases/t.yaml:7:9: scenario 'cache-inm' scripts the origin or judges what went "
            "upstream, so it is a cache scenario: its first step must script the origin "
            "('origin:')\n"
            "      - id: first\n"
            "        ^");
}

TEST(ParseCacheScenarioErrors, CacheScenariosSendOnlyGetAndHeadToTheirOwnResource) {
  EXPECT_EQ(case_error(cache_scenario(kOrigin,
                                      "      - id: gone\n        request: { method: OPTIONS }\n")),
            "cases/t.yaml:14:9: step 'gone' of a cache scenario sends OPTIONS to 'target'; cache "
            "scenarios send GET and HEAD to their own resource only\n"
            "      - id: gone\n"
            "        ^");
}

TEST(ParseCacheScenarioErrors, UpstreamRequestCountsAreSmallNumbers) {
  EXPECT_EQ(case_error(cache_scenario(kOrigin, R"(      - id: stale
        expect:
          - upstream_requests: 17
            requirement: 9110-13.1.2-weak-compare
)")),
            "cases/t.yaml:16:32: 'upstream_requests' must be a number of requests from 0 to 16, "
            "or a list of them; got '17'\n"
            "          - upstream_requests: 17\n"
            "                               ^");
}

constexpr std::string_view kAfter = R"(      - id: after
        assume: { status: [200] }
)";

TEST(ParseCacheScenario, HandlingIsRead) {
  auto s = parse_case_file(cache_scenario(kOrigin, std::string(kAfter) + R"(    handling:
      step: after
      repaired:
        - field: { name: ETag, equals: '"v1"' }
        - content_equals: { step: first }
      passed_through:
        - field: { name: ETag, absent: true }
      connection: first
)"),
                           "cases/t.yaml", catalog(), nullptr);
  ASSERT_TRUE(s.ok()) << render(s.error());
  ASSERT_TRUE(s->front().handling);
  const HandlingSpec& h = *s->front().handling;
  EXPECT_EQ(h.step, "after");
  EXPECT_EQ(h.repaired.size(), 2u);
  EXPECT_EQ(h.passed_through.size(), 1u);
  EXPECT_EQ(h.connection, "first");
}

TEST(ParseCacheScenarioErrors, HandlingBelongsToACacheScenario) {
  EXPECT_EQ(case_error(cache_scenario("", std::string(kAfter) + R"(    handling:
      step: after
      repaired:
        - status: 200
)")),
            "cases/t.yaml:11:5: 'handling' belongs to a cache scenario (its first step scripts "
            "the origin)\n"
            "    handling:\n"
            "    ^");
}

TEST(ParseCacheScenarioErrors, HandlingNamesOneOfTheScenariosSteps) {
  EXPECT_EQ(case_error(cache_scenario(kOrigin, std::string(kAfter) + R"(    handling:
      step: later
      repaired:
        - status: 200
)")),
            "cases/t.yaml:17:13: handling step 'later' is not a step of this scenario\n"
            "      step: later\n"
            "            ^");
}

TEST(ParseCacheScenarioErrors, HandlingNeedsRepairedChecks) {
  EXPECT_EQ(case_error(cache_scenario(kOrigin, std::string(kAfter) + R"(    handling:
      step: after
      repaired: []
)")),
            "cases/t.yaml:18:17: 'repaired' must list at least one check\n"
            "      repaired: []\n"
            "                ^");
}

TEST(ParseCacheScenarioErrors, HandlingChecksJudgeTheClientsResponse) {
  EXPECT_EQ(case_error(cache_scenario(kOrigin, std::string(kAfter) + R"(    handling:
      step: after
      repaired:
        - upstream_requests: 1
)")),
            "cases/t.yaml:19:11: 'upstream_requests' judges what went upstream; the checks of "
            "'handling' judge the response the client got\n"
            "        - upstream_requests: 1\n"
            "          ^");
}

TEST(ParseCacheScenarioErrors, HandlingChecksCompareOnlyWithEarlierSteps) {
  EXPECT_EQ(case_error(cache_scenario(kOrigin, std::string(kAfter) + R"(    handling:
      step: first
      repaired:
        - content_equals: { step: after }
)")),
            "cases/t.yaml:19:35: unknown step 'after' (there are no earlier steps)\n"
            "        - content_equals: { step: after }\n"
            "                                  ^");
}

TEST(ParseCacheScenarioErrors, HandlingConnectionNamesAnEarlierStep) {
  EXPECT_EQ(case_error(cache_scenario(kOrigin, std::string(kAfter) + R"(    handling:
      step: after
      repaired:
        - status: 200
      connection: after
)")),
            "cases/t.yaml:20:19: 'connection' must name a step before 'after' (whose upstream 304 "
            "the stray bytes followed), got 'after'\n"
            "      connection: after\n"
            "                  ^");
}

TEST(ParseCatalogErrors, ExtendsBelongsToTheCatalogOfACasesDirectory) {
  EXPECT_EQ(catalog_error(std::string("extends: ../requirements.yaml\n") + std::string(kCatalog)),
            "cases/requirements.yaml:1:10: 'extends' is only allowed in the catalog of a cases "
            "directory\n"
            "extends: ../requirements.yaml\n"
            "         ^");
}

}  // namespace
}  // namespace condspec
