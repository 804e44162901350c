#pragma once
// What the judges of the check kinds in this folder share: the verdict
// constructors, the wording of expected/actual/message, and the inputs a
// judge may depend on (earlier responses, rendered templates).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/cases/checks/judge.h"
#include "src/core/result.h"
#include "src/core/text.h"

namespace condspec {

Verdict pass(std::string expected, std::string actual, std::string message = {});
Verdict broken(std::string expected, std::string actual, std::string message);
Verdict error(std::string expected, std::string message);
// The verdict of a check of the content on a response cut short
// (Exchange::cut_short): not all of the content came, so it cannot be judged.
Verdict cut_short_content(const CheckInput& in);
// The same for a response whose chunked content cannot be decoded
// (Exchange::undecodable).
Verdict undecodable_content(const CheckInput& in);

// "A", "A and B", "A, B and C"
std::string join_and(const std::vector<std::string>& parts);
// "A", "A or B", "one of A, B, C"
std::string one_of(const std::vector<std::string>& parts);
// "1 byte", "2 bytes"
std::string byte_count(std::uint64_t n);
// Arbitrary received bytes, readable and bounded.
std::string preview(std::string_view bytes, size_t limit);
// "The 304 response", or "The 200 response to HEAD" where the method is what
// makes content impossible.
std::string subject(const Exchange& exchange);
// "ETag: value" or "ETag absent": the combined value of repeated lines.
std::string show_field(const Response& response, const std::string& name);
// The value with every run of spaces and tabs reduced to one space: what a
// date with stray whitespace would have been.
std::string collapse_whitespace(std::string_view value);

// The response of earlier step `step`, or why there is none to compare with.
Result<const Response*> earlier_response(const CheckInput& in, const std::string& step);
// The text of a template; literal templates need no render context.
Result<std::string> template_text(const Template& t, const CheckInput& in);
// A Content-Length value: one non-negative decimal integer, nothing else.
std::optional<std::uint64_t> parse_content_length(std::string_view value);

}  // namespace condspec
