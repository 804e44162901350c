#pragma once
// Small pieces every renderer shares, so that a scenario is named, linked
// and escaped the same way in the console, JUnit, Markdown and HTML: the
// escapes of each markup and the words for outcomes live here, once.

#include <string>
#include <string_view>
#include <vector>

#include "src/engine/outcome.h"
#include "src/engine/run_result.h"

namespace condspec {

// The RFC a scenario's section belongs to: the one its case file gave it
// (ScenarioResult::rfc); for a result read from a report older than that,
// the RFC of its first check in the scenario's own section (else of its
// first check), or "9110" when it has no checks.
std::string scenario_rfc(const ScenarioResult& result);

// https://www.rfc-editor.org/rfc/rfc9110#section-13.1.2 — the form the
// requirement catalog uses.
std::string section_link(std::string_view rfc, std::string_view section);
// "RFC 9110 §13.1.2": how every report names a section.
std::string section_label(std::string_view rfc, std::string_view section);

// Text for XML or HTML content and attribute values: each line is made safe
// with terminal_safe (control bytes and bytes that are not UTF-8 shown as
// \xNN), lines are kept, and & < > " ' become entities. The result is valid
// UTF-8 with only characters XML 1.0 allows.
std::string escape_markup(std::string_view text);

// Text safe in a Markdown table cell: one line, HTML-escaped, every other
// ASCII punctuation character backslash-escaped, control bytes as \xNN.
std::string escape_markdown_cell(std::string_view text);

// "PASS", "INFO", "WARN", "FAIL", "N/A", "ERROR".
std::string_view outcome_word(Outcome outcome);
// The same, or "KNOWN" for a failure the baseline accepts.
std::string_view outcome_word(const ScenarioResult& result);
// outcome_word in the console's column, four wide: "PASS", "N/A ", and "ERR "
// for ERROR. "KNOWN" is the one word wider than the column.
std::string outcome_column(Outcome outcome);
std::string outcome_column(const ScenarioResult& result);

// A target as every report names it: its URL and the protocol it was judged
// over, "https://example.com/a.js (h2)".
std::string target_label(const TargetResult& target);

// What a transcript says after a record's step: " (follow-up on the same
// connection)", " (upstream: the cache to the origin, connection 2)" for a
// request a cache under test sent the origin (without the connection when
// it is unknown), " (same request as scenario X, sent once)" for an exchange
// the step used rather than send again, or nothing.
std::string hop_note(const StepRecord& record);

// Which hop a check judged, for the reports that show checks as text:
// "upstream: the cache to the origin" for a check on what a cache under test
// sent the origin (or did not send it), "" for one on what the client got,
// which every check of `run` is and the reports leave unsaid.
std::string_view check_hop(const CheckResult& check);

// The broken checks (fail, warn, info, error) of a scenario, in order.
std::vector<const CheckResult*> broken_checks(const ScenarioResult& result);

}  // namespace condspec
