// Fuzzes the case-file loader (src/cases/loader.h): YAML, the case format,
// templates and regular expressions, as a case author could (mis)write them.
//
// Input: one YAML document. It is read both as a requirement catalog
// (parse_catalog) and as a scenario file (parse_case_file) against a small
// fixed catalog.
//
// Properties: no crash, leak, UB or escaping exception; a failure is a list
// of diagnostics located in the file, each shown as its located message and,
// when it has a position, the source line and a caret, with no control byte
// reaching the terminal; what loads keeps
// the promises the runner relies on: every expectation names a catalog
// requirement, and an unsafe method only ever goes to `resource: unsafe` in a
// scenario that needs `unsafe-url` (so it is never sent to the URL under
// test).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "src/cases/facts.h"
#include "src/cases/loader.h"
#include "src/core/text.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

constexpr std::string_view kCatalog = R"(requirements:
  - id: 9110-13.1.2-weak-compare
    rfc: "9110"
    section: "13.1.2"
    level: MUST
    summary: If-None-Match uses weak comparison.
    link: https://www.rfc-editor.org/rfc/rfc9110#section-13.1.2
  - id: 9110-15.4.5-no-content
    rfc: "9110"
    section: "15.4.5"
    level: MUST
    summary: A 304 has no content.
    link: https://www.rfc-editor.org/rfc/rfc9110#section-15.4.5
  - id: 9110-8.8.3-etag-syntax
    rfc: "9110"
    section: "8.8.3"
    level: SHOULD
    summary: ETag is one entity-tag.
    link: https://www.rfc-editor.org/rfc/rfc9110#section-8.8.3
)";

const std::vector<condspec::Requirement>& catalog() {
  static const auto parsed = condspec::parse_catalog(kCatalog, "requirements.yaml");
  FUZZ_CHECK(parsed.ok());
  return *parsed;
}

// "<file>: ..." or "<file>:<line>:<column>: ..." with line and column >= 1.
bool well_formed(std::string_view headline, std::string_view file) {
  if (!headline.starts_with(file)) return false;
  headline.remove_prefix(file.size());
  if (headline.starts_with(": ")) return true;
  for (int part = 0; part < 2; ++part) {
    if (!headline.starts_with(':')) return false;
    headline.remove_prefix(1);
    size_t digits = 0;
    while (digits < headline.size() && headline[digits] >= '0' && headline[digits] <= '9') ++digits;
    if (digits == 0 || headline[0] == '0') return false;
    headline.remove_prefix(digits);
  }
  return headline.starts_with(": ");
}

// Each diagnostic is located in `file` and shows as its headline, then (with
// a position and a known source line) that line and a caret line: spaces and
// one '^', under a line cut to a bounded width. Nothing shown is a control
// byte but the line breaks between those lines.
void check_diagnostics(const std::vector<condspec::Diagnostic>& diagnostics,
                       std::string_view file) {
  FUZZ_CHECK(!diagnostics.empty());
  for (const auto& d : diagnostics) {
    FUZZ_CHECK(d.where.file == file);
    FUZZ_CHECK(d.where.line == 0 || (d.where.line >= 1 && d.where.column >= 1));
    const std::string shown = condspec::render(d);
    for (char c : shown) {
      const auto byte = static_cast<unsigned char>(c);
      FUZZ_CHECK(c == '\n' || (byte >= 0x20 && byte != 0x7f));
    }
    const auto lines = condspec::split(shown, '\n');
    FUZZ_CHECK(well_formed(lines[0], file));
    const bool excerpt = d.where.line > 0 && d.source_line.has_value();
    FUZZ_CHECK(lines.size() == (excerpt ? 3u : 1u));
    if (!excerpt) continue;
    // 120 columns of at most 4 bytes each (an escape), and the two cut marks.
    FUZZ_CHECK(lines[1].size() <= 120 * 4 + 6);
    const std::string_view caret = lines[2];
    FUZZ_CHECK(!caret.empty() && caret.back() == '^');
    FUZZ_CHECK(caret.find_first_not_of(' ') == caret.size() - 1);
    FUZZ_CHECK(caret.size() <= lines[1].size() + 1);
  }
}

bool safe_method(const std::string& method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view yaml(reinterpret_cast<const char*>(data), size);

  auto requirements = condspec::parse_catalog(yaml, "requirements.yaml");
  if (!requirements) check_diagnostics(requirements.error(), "requirements.yaml");

  condspec::CaseFile info;
  auto scenarios = condspec::parse_case_file(yaml, "cases/x.yaml", catalog(), &info);
  if (!scenarios) {
    check_diagnostics(scenarios.error(), "cases/x.yaml");
    return 0;
  }
  for (const auto& scenario : *scenarios) {
    FUZZ_CHECK(!scenario.id.empty());
    FUZZ_CHECK(!scenario.steps.empty());
    const bool needs_unsafe_url = std::find(scenario.needs.begin(), scenario.needs.end(),
                                            condspec::fact::unsafe_url) != scenario.needs.end();
    for (const auto& step : scenario.steps) {
      if (!safe_method(step.request.method)) {
        FUZZ_CHECK(step.request.resource == condspec::Resource::unsafe);
        FUZZ_CHECK(needs_unsafe_url);
      }
      if (step.request.resource == condspec::Resource::unsafe) FUZZ_CHECK(needs_unsafe_url);
      for (const auto& expectation : step.expect) {
        FUZZ_CHECK(std::any_of(catalog().begin(), catalog().end(),
                               [&](const auto& r) { return r.id == expectation.requirement; }));
      }
    }
  }
  return 0;
}
