// Fuzzes the escaper of each output format, alone and through the
// renderers, and redaction.
//
// Input: byte 0 picks a split; the bytes after it are the text. The text is
// given to terminal_safe (the console), escape_markup (JUnit, HTML),
// escape_markdown_cell (Markdown), printable and printable_prefix (evidence
// in messages), and, when byte 0 has its top bit set, as every string of a
// whole run (hostile_run_for_tests.h) to every renderer. The first (byte 0 % 16) + 1 bytes of the
// text are also a secret for the Redactor.
//
// Properties: no crash or UB. terminal_safe: valid UTF-8 on one line with no
// control character (C0, DEL, C1), no bidirectional formatting character and
// no line separator, and applying it again changes nothing. escape_markup:
// the same but line feeds are kept, and no < > " ' and no & that does not
// begin an entity. escape_markdown_cell: one safe line with no unescaped |,
// no < or >. printable: printable ASCII and line feeds. printable_prefix:
// printable() of the first n bytes, then "..." exactly when bytes were cut.
// Every rendered report holds nothing unsafe (console also with colors: only
// condspec's own SGR sequences) and the JSON report parses. The Redactor
// leaves no whole secret in the text, and a text cut at its end does not end
// with the start of the secret (except where a "[redacted]" mark and the
// text beside it happen to spell one).

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "reports/console_report.h"
#include "reports/hostile_run_for_tests.h"
#include "reports/html_report.h"
#include "reports/json_report.h"
#include "reports/junit_report.h"
#include "reports/markdown_report.h"
#include "reports/report_text.h"
#include "src/core/text.h"
#include "src/engine/redact.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using condspec::testing::first_unsafe;

bool entities_only(std::string_view text) {
  for (size_t at = text.find('&'); at != std::string_view::npos; at = text.find('&', at + 1)) {
    const std::string_view rest = text.substr(at);
    if (!rest.starts_with("&amp;") && !rest.starts_with("&lt;") && !rest.starts_with("&gt;") &&
        !rest.starts_with("&quot;") && !rest.starts_with("&#39;"))
      return false;
  }
  return true;
}

bool unescaped_pipe(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
      continue;
    }
    if (text[i] == '|') return true;
  }
  return false;
}

// Whether bytes [at, at + length) of redacted text overlap a "[redacted]"
// mark: a secret that overlaps one was made by the mark and the text beside
// it, not left over from the input.
bool overlaps_a_mark(std::string_view text, size_t at, size_t length) {
  const std::string_view mark = condspec::kRedacted;
  for (size_t m = text.find(mark); m != std::string_view::npos; m = text.find(mark, m + 1))
    if (m < at + length && at < m + mark.size()) return true;
  return false;
}

// Every occurrence of `secret` in `text` overlaps a mark.
bool only_made_by_marks(std::string_view text, std::string_view secret) {
  for (size_t at = text.find(secret); at != std::string_view::npos; at = text.find(secret, at + 1))
    if (!overlaps_a_mark(text, at, secret.size())) return false;
  return true;
}

// Every report of a run whose every string ends in `text` holds nothing
// unsafe (a colored console: only condspec's own SGR sequences), and the
// JSON report parses.
void check_renderers(const std::string& text) {
  const condspec::RunResult run = condspec::testing::hostile_run(text);
  for (bool color : {false, true}) {
    const std::string report = condspec::render_console_report(run, condspec::FailOn::must,
                                                               {.verbose = true, .color = color});
    FUZZ_CHECK(first_unsafe(report, color).empty());
  }
  FUZZ_CHECK(first_unsafe(condspec::render_markdown_report(run, condspec::FailOn::must)).empty());
  FUZZ_CHECK(first_unsafe(condspec::render_junit_report(run, condspec::FailOn::must)).empty());
  FUZZ_CHECK(first_unsafe(condspec::render_html_report(run, condspec::FailOn::must)).empty());
  FUZZ_CHECK(!nlohmann::json::parse(condspec::render_json_report(run, condspec::FailOn::must),
                                    nullptr, false)
                  .is_discarded());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t split = data[0];
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);

  const std::string console = condspec::terminal_safe(text);
  FUZZ_CHECK(first_unsafe(console).empty());
  FUZZ_CHECK(console.find('\n') == std::string::npos);
  FUZZ_CHECK(condspec::terminal_safe(console) == console);

  const std::string markup = condspec::escape_markup(text);
  FUZZ_CHECK(first_unsafe(markup).empty());
  FUZZ_CHECK(markup.find_first_of("<>\"'") == std::string::npos);
  FUZZ_CHECK(entities_only(markup));

  const std::string cell = condspec::escape_markdown_cell(text);
  FUZZ_CHECK(first_unsafe(cell).empty());
  FUZZ_CHECK(cell.find_first_of("\n<>") == std::string::npos);
  FUZZ_CHECK(!unescaped_pipe(cell));

  const std::string shown = condspec::printable(text);
  for (unsigned char c : shown) FUZZ_CHECK(c == '\n' || (c >= 0x20 && c < 0x7f));
  const size_t limit = split % (text.size() + 1);
  const std::string prefix = condspec::printable_prefix(text, limit);
  FUZZ_CHECK(prefix == condspec::printable(text.substr(0, limit)) +
                           (limit < text.size() ? std::string(condspec::kCutMark) : ""));

  // Rendering a whole run is a thousand times the work of one escaper: it
  // is done for the inputs whose first byte has its top bit set, so the
  // escapers alone still get most of the executions.
  if (split & 0x80) check_renderers(text);

  const std::string secret = text.substr(0, split % 16 + 1);
  if (!secret.empty() && std::string_view(condspec::kRedacted).find(secret) == std::string::npos &&
      std::string_view(condspec::kCutMark).find(secret) == std::string::npos) {
    const condspec::Redactor redactor({secret});
    const std::string rest = text.substr(secret.size());
    FUZZ_CHECK(only_made_by_marks(redactor.text(rest), secret));
    const std::string cut = redactor.text(rest, true);
    FUZZ_CHECK(only_made_by_marks(cut, secret));
    for (size_t k = 1; k < secret.size() && k <= cut.size(); ++k)
      if (cut.ends_with(secret.substr(0, k))) FUZZ_CHECK(overlaps_a_mark(cut, cut.size() - k, k));
  }
  return 0;
}
