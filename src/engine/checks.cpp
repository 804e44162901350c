#include "src/engine/checks.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <system_error>
#include <utility>
#include <variant>
#include <vector>

#include "src/core/result.h"
#include "src/core/text.h"
#include "src/engine/outcome.h"
#include "src/http/entity_tag.h"
#include "src/http/fields.h"
#include "src/http/http_date.h"

namespace condspec {
namespace {

// What a single check function decides; evaluate_check turns `broken` into
// the outcome the requirement's level gives it.
enum class Kind { pass, broken, error };

struct Verdict {
  Kind kind = Kind::pass;
  std::string expected;
  std::string actual;
  std::string message;  // empty on pass: the requirement's summary is used
};

Verdict pass(std::string expected, std::string actual, std::string message = {}) {
  return {Kind::pass, std::move(expected), std::move(actual), std::move(message)};
}
Verdict broken(std::string expected, std::string actual, std::string message) {
  return {Kind::broken, std::move(expected), std::move(actual), std::move(message)};
}
Verdict error(std::string expected, std::string message) {
  return {Kind::error, std::move(expected), "", std::move(message)};
}

// ---------------------------------------------------------------------------
// Wording helpers

// "A", "A and B", "A, B and C"
std::string join_and(const std::vector<std::string>& parts) {
  if (parts.size() <= 1) return join(parts, "");
  std::vector<std::string> head(parts.begin(), parts.end() - 1);
  return join(head, ", ") + " and " + parts.back();
}

// "A", "A or B", "one of A, B, C"
std::string one_of(const std::vector<std::string>& parts) {
  if (parts.size() == 1) return parts[0];
  if (parts.size() == 2) return parts[0] + " or " + parts[1];
  return "one of " + join(parts, ", ");
}

std::string byte_count(std::uint64_t n) {
  return fmt::format("{} {}", n, n == 1 ? "byte" : "bytes");
}

// Arbitrary received bytes, readable and bounded.
std::string preview(std::string_view bytes, size_t limit) {
  std::string out = printable(bytes.substr(0, limit));
  if (bytes.size() > limit) out += "...";
  return out;
}

std::string method_of(const Exchange& exchange) {
  const auto& bytes = exchange.request_bytes;
  return bytes.substr(0, std::min(bytes.find(' '), bytes.size()));
}

// "The 304 response", or "The 200 response to HEAD" where the method is what
// makes content impossible.
std::string subject(const Exchange& exchange) {
  std::string s = fmt::format("The {} response", exchange.response->status);
  if (method_of(exchange) == "HEAD") s += " to HEAD";
  return s;
}

// "ETag: value" or "ETag absent": the combined value of repeated lines.
std::string show_field(const Response& response, const std::string& name) {
  auto value = response.fields.combined(name);
  return value ? fmt::format("{}: {}", name, *value) : fmt::format("{} absent", name);
}

// The value with every run of spaces and tabs reduced to one space: what a
// date with stray whitespace would have been.
std::string collapse_whitespace(std::string_view value) {
  std::string out;
  bool in_space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      in_space = true;
      continue;
    }
    if (in_space && !out.empty()) out += ' ';
    in_space = false;
    out += c;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Inputs a check depends on

Result<const Response*> earlier_response(const CheckInput& in, const std::string& step) {
  auto it = in.earlier.find(step);
  if (it == in.earlier.end() || it->second == nullptr) {
    return Error{fmt::format(
        "Step '{}' is not an earlier step of this scenario, so there is nothing to compare with.",
        step)};
  }
  if (!it->second->response) {
    return Error{
        fmt::format("Step '{}' got no response, so there is nothing to compare with.", step)};
  }
  return &*it->second->response;
}

// The text of a template; literal templates need no render context.
Result<std::string> template_text(const Template& t, const CheckInput& in) {
  if (t.is_literal()) {
    if (t.pieces.empty()) return t.source;
    std::string text;
    for (const auto& piece : t.pieces) text += piece.literal;
    return text;
  }
  if (in.render == nullptr) return Error{"no earlier responses are available to render it"};
  return render(t, *in.render);
}

// A Content-Length value: one non-negative decimal integer, nothing else.
std::optional<std::uint64_t> parse_content_length(std::string_view value) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc{} || end != value.data() + value.size()) return std::nullopt;
  return n;
}

// Vary is a set of field names: order, case, whitespace and duplicates do not matter.
std::set<std::string> vary_names(std::string_view value) {
  std::set<std::string> names;
  for (auto part : split(value, ',')) {
    part = trim(part);
    if (!part.empty()) names.insert(to_lower(part));
  }
  return names;
}

// Cache-Control directives, by lower-case name, values unquoted. Commas
// inside quoted values (no-cache="Set-Cookie, X") do not split.
std::map<std::string, std::string> cache_directives(std::string_view value) {
  std::map<std::string, std::string> directives;
  std::vector<std::string> parts(1);
  bool quoted = false;
  for (char c : value) {
    if (c == '"') quoted = !quoted;
    if (c == ',' && !quoted) {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  for (const auto& part : parts) {
    std::string_view p = trim(part);
    if (p.empty()) continue;
    const auto eq = p.find('=');
    std::string name = to_lower(trim(p.substr(0, eq)));
    std::string arg = eq == std::string_view::npos ? "" : std::string(trim(p.substr(eq + 1)));
    if (arg.size() >= 2 && arg.front() == '"' && arg.back() == '"')
      arg = arg.substr(1, arg.size() - 2);
    directives[name] = arg;
  }
  return directives;
}

// The same directives as the earlier response, in any order and spelling.
// max-age and s-maxage may have counted down by the time that passed between
// the two responses (their Date fields): a 200 sent at the time of the later
// response would carry the smaller value too (nginx's `expires @time`).
bool same_cache_control(const Response& ours, const Response& theirs, Seconds now) {
  auto a = cache_directives(ours.fields.combined("Cache-Control").value_or(""));
  auto b = cache_directives(theirs.fields.combined("Cache-Control").value_or(""));
  if (a.size() != b.size()) return false;
  std::int64_t elapsed = 0;
  auto date = [&](const Response& r) {
    return parse_http_date(trim(r.fields.combined("Date").value_or("")), now);
  };
  if (auto later = date(ours), earlier = date(theirs); later && earlier)
    elapsed = std::max<std::int64_t>(0, (*later - *earlier).count());
  for (const auto& [name, value] : a) {
    auto other = b.find(name);
    if (other == b.end()) return false;
    if (value == other->second) continue;
    if (name != "max-age" && name != "s-maxage") return false;
    char* end_a = nullptr;
    char* end_b = nullptr;
    const long long mine = std::strtoll(value.c_str(), &end_a, 10);
    const long long theirs_age = std::strtoll(other->second.c_str(), &end_b, 10);
    if (*end_a || *end_b || value.empty() || other->second.empty()) return false;
    if (mine > theirs_age || theirs_age - mine > elapsed + 1) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------
// The checks

Verdict check_status(const StatusCheck& c, const Exchange& exchange) {
  const Response& response = *exchange.response;
  std::vector<std::string> allowed;
  for (int s : c.allowed) allowed.push_back(std::to_string(s));
  if (allowed.empty()) return error("a status", "The status check lists no allowed status.");
  std::string expected = c.allowed.size() == 1   ? "status " + allowed[0]
                         : c.allowed.size() == 2 ? "status " + one_of(allowed)
                                                 : one_of(allowed);
  std::string actual = fmt::format("status {}", response.status);
  bool ok = std::find(c.allowed.begin(), c.allowed.end(), response.status) != c.allowed.end();
  if (ok) return pass(expected, actual);
  std::string message = fmt::format("The server answered {} where {} was expected.",
                                    response.status, one_of(allowed));
  if (exchange.answered_before_request_end) {
    // A split request (split_before): say what the server had when it answered.
    message += fmt::format(
        " It answered after the first {} of the request, before the rest of the header section "
        "was sent.",
        byte_count(exchange.first_write_bytes));
  }
  return broken(expected, actual, message);
}

Verdict check_field(const FieldCheck& c, const Response& response, const CheckInput& in) {
  const std::string& name = c.name;
  auto value = response.fields.combined(name);
  std::string actual = show_field(response, name);
  std::string missing = fmt::format("The response has no {} field.", name);
  switch (c.op) {
    case FieldCheck::Op::present: {
      std::string expected = name + " present";
      if (value) return pass(expected, actual);
      return broken(expected, actual, missing);
    }
    case FieldCheck::Op::absent: {
      std::string expected = name + " absent";
      if (!value) return pass(expected, actual);
      return broken(expected, actual,
                    fmt::format("The response carries {}, which was expected to be absent.", name));
    }
    case FieldCheck::Op::equals: {
      auto want = template_text(c.value, in);
      if (!want) {
        return error(fmt::format("{}: {}", name, c.value.source),
                     fmt::format("The expected value of {} could not be computed: {}.", name,
                                 want.error().message));
      }
      std::string expected = fmt::format("{}: {}", name, *want);
      if (!value) return broken(expected, actual, missing);
      if (*value == *want) return pass(expected, actual);
      return broken(expected, actual, fmt::format("{} has a different value than expected.", name));
    }
    case FieldCheck::Op::differs: {
      auto other = template_text(c.value, in);
      if (!other) {
        return error(fmt::format("{} other than {}", name, c.value.source),
                     fmt::format("The value {} must differ from could not be computed: {}.", name,
                                 other.error().message));
      }
      std::string expected = fmt::format("{} absent or other than {}", name, *other);
      if (!value || *value != *other) return pass(expected, actual);
      return broken(expected, actual,
                    fmt::format("{} has the value it was expected to differ from.", name));
    }
    case FieldCheck::Op::matches: {
      auto pattern = template_text(c.value, in);
      if (!pattern) {
        return error(fmt::format("{} matches {}", name, c.value.source),
                     fmt::format("The pattern for {} could not be computed: {}.", name,
                                 pattern.error().message));
      }
      std::string expected = fmt::format("{} matches {}", name, *pattern);
      if (!value) return broken(expected, actual, missing);
      // libstdc++'s regex matcher recurses once per character: a long value
      // from a server could exhaust the stack. Field values that long are
      // not what any case means to match.
      constexpr size_t kLongestMatched = 4096;
      if (value->size() > kLongestMatched) {
        return error(expected, fmt::format("{} is {} long; values over {} bytes are not matched "
                                           "against patterns.",
                                           name, byte_count(value->size()), kLongestMatched));
      }
      bool matched = false;
      try {
        matched = std::regex_match(*value, std::regex(*pattern, std::regex::ECMAScript));
      } catch (const std::regex_error& e) {
        return error(expected, fmt::format("The pattern for {} is not a usable regular "
                                           "expression: {}.",
                                           name, e.what()));
      }
      if (matched) return pass(expected, actual);
      return broken(expected, actual, fmt::format("{} does not match the expected pattern.", name));
    }
  }
  return error("", "Unknown field check.");
}

Verdict check_same_fields(const SameFieldsCheck& c, const Exchange& exchange,
                          const CheckInput& in) {
  const Response& here = *exchange.response;
  auto there = earlier_response(in, c.step);
  if (!there) return error(fmt::format("fields as in step {}", c.step), there.error().message);

  std::vector<std::string> missing, different;
  std::vector<std::string> expected_all, actual_all, expected_bad, actual_bad;
  for (const auto& name : c.fields) {
    auto theirs = (*there)->fields.combined(name);
    if (!theirs) continue;
    auto ours = here.fields.combined(name);
    if (c.only_when_present && !ours) continue;
    std::string want = c.presence_only ? name : fmt::format("{}: {}", name, *theirs);
    std::string got = show_field(here, name);
    if (c.presence_only && ours) got = name;
    expected_all.push_back(want);
    actual_all.push_back(got);
    bool same = true;
    if (!ours) {
      missing.push_back(name);
      same = false;
    } else if (!c.presence_only) {
      if (iequals(name, "Vary")) {
        same = vary_names(*ours) == vary_names(*theirs);
      } else if (iequals(name, "Cache-Control")) {
        same = same_cache_control(here, **there, in.now);
      } else {
        same = *ours == *theirs;
      }
      if (!same) different.push_back(name);
    }
    if (!same) {
      expected_bad.push_back(want);
      actual_bad.push_back(got);
    }
  }

  auto describe = [&](const std::vector<std::string>& parts) {
    if (c.presence_only) return join(parts, ", ") + " present";
    return join(parts, "; ");
  };
  if (expected_all.empty() && c.only_when_present) {
    std::string listed = join(c.fields, ", ");
    return pass(fmt::format("{} as in step {} where both have them", listed, c.step), "-",
                fmt::format("This response and that of step '{}' have none of {} in common, so "
                            "there is nothing to compare.",
                            c.step, listed));
  }
  if (expected_all.empty()) {
    std::string listed = join(c.fields, ", ");
    return pass(
        fmt::format("nothing to carry (step {} has none of {})", c.step, listed), "-",
        fmt::format("Step '{}' has none of {}, so there is nothing to compare.", c.step, listed));
  }
  if (missing.empty() && different.empty()) {
    return pass(fmt::format("{} (as in step {})", describe(expected_all), c.step),
                describe(actual_all));
  }

  // In presence mode every field that fails is absent here.
  std::string actual = c.presence_only ? join(missing, ", ") + " absent" : join(actual_bad, "; ");
  std::string earlier_subject =
      fmt::format("the {} response of step '{}'", (*there)->status, c.step);
  std::string message = subject(exchange);
  if (!missing.empty()) {
    message += fmt::format(" does not carry {}", join_and(missing));
    if (different.empty()) message += fmt::format(", which {} carried", earlier_subject);
  }
  if (!different.empty()) {
    message += missing.empty() ? " carries" : ", and carries";
    message += fmt::format(" a different {} than {}", join_and(different), earlier_subject);
  }
  message += ".";
  return broken(fmt::format("{} (as in step {})", describe(expected_bad), c.step), actual, message);
}

Verdict check_no_content(const Exchange& exchange) {
  const Response& response = *exchange.response;
  const std::string expected = "no content after the header section";
  constexpr size_t kShown = 200;
  std::vector<std::string> found, problems;
  if (!response.content.empty()) {
    found.push_back(fmt::format("{} of content: {}", byte_count(response.content.size()),
                                preview(response.content, kShown)));
    problems.push_back(fmt::format("has {} of content", byte_count(response.content.size())));
  }
  if (!exchange.stray_bytes.empty()) {
    // Only the first 64 KiB are kept as evidence; the count says how many came.
    const size_t total = exchange.stray_bytes.size() + exchange.stray_bytes_dropped;
    found.push_back(fmt::format("{} after the header section: {}", byte_count(total),
                                preview(exchange.stray_bytes, kShown)));
    problems.push_back(fmt::format("is followed by {}", byte_count(total)));
  }

  if (!found.empty()) {
    return broken(
        expected, join(found, "; "),
        fmt::format("{} {}, but it cannot have content.", subject(exchange), join_and(problems)));
  }
  if (!exchange.stray_checked) {
    return error(expected,
                 "Nothing was read after the response, so content after its header section "
                 "could not be ruled out.");
  }
  return pass(expected, "no content");
}

Verdict check_content_equals(const ContentCheck& c, const Response& response,
                             const CheckInput& in) {
  constexpr size_t kShown = 64;
  auto there = earlier_response(in, c.step);
  if (!there) return error(fmt::format("content as in step {}", c.step), there.error().message);
  std::string_view want = (*there)->content;
  std::string source = fmt::format("as in step {}", c.step);
  std::string source_words = fmt::format("the content of step '{}'", c.step);
  if (c.range) {
    auto [first, last] = *c.range;
    source = fmt::format("bytes {}-{} of step {}", first, last, c.step);
    source_words = fmt::format("bytes {}-{} of the content of step '{}'", first, last, c.step);
    if (first > last || last >= want.size()) {
      return error(fmt::format("{} {}", "content", source),
                   fmt::format("The range {}-{} lies outside the {} of content of step '{}'.",
                               first, last, byte_count(want.size()), c.step));
    }
    want = want.substr(first, last - first + 1);
  }
  std::string_view got = response.content;
  std::string expected =
      fmt::format("{} ({}): {}", byte_count(want.size()), source, preview(want, kShown));
  std::string actual = fmt::format("{}: {}", byte_count(got.size()), preview(got, kShown));
  if (got == want) return pass(expected, actual);
  size_t first_difference = 0;
  while (first_difference < got.size() && first_difference < want.size() &&
         got[first_difference] == want[first_difference]) {
    ++first_difference;
  }
  return broken(expected, actual,
                fmt::format("The content differs from {} (first difference at byte {}).",
                            source_words, first_difference));
}

Verdict check_content_length(const ContentLengthCheck& c, const Response& response,
                             const CheckInput& in) {
  auto there = earlier_response(in, c.step);
  if (!there) {
    return error(fmt::format("Content-Length as in step {}", c.step), there.error().message);
  }
  std::uint64_t length = (*there)->content.size();
  if (auto theirs = (*there)->fields.combined("Content-Length")) {
    if (auto n = parse_content_length(*theirs)) length = *n;
  }
  std::string expected =
      fmt::format("Content-Length: {} (the content length of step {})", length, c.step);
  auto ours = response.fields.combined("Content-Length");
  if (!ours) {
    return pass(expected, "Content-Length absent",
                "The response has no Content-Length, so there is nothing to compare.");
  }
  std::string actual = fmt::format("Content-Length: {}", *ours);
  auto n = parse_content_length(*ours);
  if (!n) {
    return broken(expected, actual, "Content-Length is not a single non-negative integer.");
  }
  if (*n == length) return pass(expected, actual);
  return broken(expected, actual,
                fmt::format("Content-Length says {}, but the content of step '{}' is {} long.",
                            byte_count(*n), c.step, byte_count(length)));
}

Verdict check_last_modified_not_after_date(const Response& response, const CheckInput& in) {
  const std::string expected = "Last-Modified no later than Date";
  std::string actual = show_field(response, "Last-Modified") + "; " + show_field(response, "Date");
  auto last_modified = response.fields.combined("Last-Modified");
  auto date = response.fields.combined("Date");
  std::optional<Seconds> lm, d;
  std::vector<std::string> reasons;
  if (!last_modified) {
    reasons.push_back("the response has no Last-Modified");
  } else if (!(lm = parse_http_date(trim(*last_modified), in.now))) {
    reasons.push_back("Last-Modified is not an HTTP-date");
  }
  if (!date) {
    reasons.push_back("the response has no Date");
  } else if (!(d = parse_http_date(trim(*date), in.now))) {
    reasons.push_back("Date is not an HTTP-date");
  }
  if (!reasons.empty()) {
    return pass(expected, actual, fmt::format("Nothing to compare: {}.", join_and(reasons)));
  }
  if (*lm <= *d) return pass(expected, actual);
  auto late = (*lm - *d).count();
  return broken(expected, actual,
                fmt::format("Last-Modified is {} {} later than the Date of the same response.",
                            late, late == 1 ? "second" : "seconds"));
}

Verdict check_etag_syntax(const Response& response) {
  const std::string expected = "ETag absent or one entity-tag, e.g. \"xyz\" or W/\"xyz\"";
  auto lines = response.fields.all("ETag");
  if (lines.empty()) {
    return pass(expected, "ETag absent", "The response has no ETag, so there is nothing to check.");
  }
  if (lines.size() > 1) {
    return broken(expected, fmt::format("{} ETag lines: {}", lines.size(), join(lines, "; ")),
                  fmt::format("The response has {} ETag field lines, but an ETag holds exactly "
                              "one entity-tag.",
                              lines.size()));
  }
  std::string actual = "ETag: " + lines[0];
  if (parse_entity_tag(lines[0])) return pass(expected, actual);
  return broken(expected, actual,
                "The ETag value is not an entity-tag: an optional W/ followed by a "
                "double-quoted string without spaces or quotes.");
}

Verdict check_date_syntax(const DateSyntaxCheck& c, const Response& response,
                          const CheckInput& in) {
  std::vector<std::string> present, actual_all, bad, actual_bad, problems;
  for (const auto& name : c.fields) {
    auto lines = response.fields.all(name);
    if (lines.empty()) continue;
    present.push_back(name);
    std::string shown = lines.size() == 1
                            ? fmt::format("{}: {}", name, lines[0])
                            : fmt::format("{} {} lines: {}", lines.size(), name, join(lines, "; "));
    actual_all.push_back(shown);
    std::string problem;
    if (lines.size() > 1) {
      problem = fmt::format("{} appears on {} field lines instead of one", name, lines.size());
    } else if (!is_imf_fixdate(collapse_whitespace(trim(lines[0])))) {
      auto form = http_date_form(trim(lines[0]), in.now);
      if (form == DateForm::rfc850) {
        problem = fmt::format("{} uses the obsolete RFC 850 form instead of IMF-fixdate", name);
      } else if (form == DateForm::asctime) {
        problem = fmt::format("{} uses the obsolete asctime form instead of IMF-fixdate", name);
      } else {
        problem = fmt::format("{} is not an HTTP-date at all", name);
      }
    }
    if (!problem.empty()) {
      bad.push_back(name);
      actual_bad.push_back(shown);
      problems.push_back(problem);
    }
  }
  std::string listed = join(c.fields, ", ");
  if (present.empty()) {
    return pass(fmt::format("{} in IMF-fixdate form when present", listed), "none present",
                fmt::format("The response has none of {}, so there is nothing to check.", listed));
  }
  if (bad.empty()) {
    return pass(fmt::format("{} in IMF-fixdate form", join(present, ", ")), join(actual_all, "; "));
  }
  return broken(
      fmt::format("{} in IMF-fixdate form, e.g. Sun, 06 Nov 1994 08:49:37 GMT", join(bad, ", ")),
      join(actual_bad, "; "), join(problems, "; ") + ".");
}

Verdict check_date_whitespace(const DateWhitespaceCheck& c, const Response& response,
                              const CheckInput& in) {
  std::vector<std::string> checked, shown_all, bad, shown_bad;
  for (const auto& name : c.fields) {
    auto lines = response.fields.all(name);
    if (lines.size() != 1) continue;  // absent, or judged by date_syntax
    auto value = trim(lines[0]);
    // Only a value that is a date once its whitespace is tidied is judged
    // here; anything else is not a date at all (date_syntax says so).
    if (!parse_http_date(collapse_whitespace(value), in.now)) continue;
    std::string shown = fmt::format("{}: \"{}\"", name, printable(value));
    checked.push_back(name);
    shown_all.push_back(shown);
    if (value != collapse_whitespace(value)) {
      bad.push_back(name);
      shown_bad.push_back(shown);
    }
  }
  std::string listed = join(c.fields, ", ");
  if (checked.empty()) {
    return pass(
        fmt::format("{} without extra whitespace when present", listed), "none present",
        fmt::format("The response has no date in {}, so there is nothing to check.", listed));
  }
  if (bad.empty()) {
    return pass(fmt::format("{} without extra whitespace", join(checked, ", ")),
                join(shown_all, "; "));
  }
  return broken(fmt::format("{} with single spaces only, e.g. Sun, 06 Nov 1994 08:49:37 GMT",
                            join(bad, ", ")),
                join(shown_bad, "; "),
                fmt::format("{} {} whitespace beyond the single spaces of the HTTP-date grammar.",
                            join_and(bad), bad.size() == 1 ? "contains" : "contain"));
}

Verdict check_date_near_now(const DateNearNowCheck& c, const Response& response,
                            const CheckInput& in) {
  const std::string expected = fmt::format("Date within {} seconds of condspec's clock ({})",
                                           c.tolerance_seconds, format_imf_fixdate(in.now));
  auto date = response.fields.combined("Date");
  std::optional<Seconds> parsed;
  if (date) parsed = parse_http_date(trim(*date), in.now);
  if (!parsed) {
    return pass(expected, show_field(response, "Date"),
                "The response has no usable Date (judged by other checks), so there is nothing "
                "to compare.");
  }
  const std::int64_t off = (*parsed - in.now).count();
  const std::int64_t distance = off < 0 ? -off : off;
  std::string actual = show_field(response, "Date");
  if (distance <= c.tolerance_seconds) return pass(expected, actual);
  return broken(expected, actual,
                fmt::format("Date is {} seconds {} condspec's clock; the tolerance is {} seconds. "
                            "(If condspec's own clock is wrong, so is this finding.)",
                            distance, off < 0 ? "behind" : "ahead of", c.tolerance_seconds));
}

Verdict check_content_length_exact(const Exchange& exchange) {
  const Response& response = *exchange.response;
  if (response.framing != Framing::content_length) {
    return pass("content framed by Content-Length", "not framed by Content-Length",
                "The response is not framed by Content-Length, so there is nothing to check.");
  }
  constexpr size_t kShown = 200;
  const std::string length = byte_count(response.content.size());
  const std::string expected =
      fmt::format("{} of content (Content-Length), then nothing before the next response", length);
  if (!exchange.stray_bytes.empty()) {
    const size_t total = exchange.stray_bytes.size() + exchange.stray_bytes_dropped;
    return broken(expected,
                  fmt::format("{} of content, then {}: {}", length, byte_count(total),
                              preview(exchange.stray_bytes, kShown)),
                  fmt::format("{} announced {} of content, but {} more followed it before the "
                              "next response.",
                              subject(exchange), length, byte_count(total)));
  }
  if (!exchange.stray_checked) {
    return error(expected,
                 "Nothing was read after the response, so bytes beyond its Content-Length could "
                 "not be ruled out.");
  }
  return pass(expected, fmt::format("{} of content, nothing after it", length));
}

Verdict check_exclusive_fields(const ExclusiveFieldsCheck& c, const Response& response) {
  std::vector<std::string> present, shown;
  for (const auto& name : c.fields) {
    if (!response.fields.has(name)) continue;
    present.push_back(name);
    shown.push_back(show_field(response, name));
  }
  const std::string expected = "at most one of " + join(c.fields, ", ");
  if (present.size() <= 1) {
    return pass(expected, present.empty() ? "none present" : join(shown, "; "));
  }
  return broken(expected, join(shown, "; "),
                fmt::format("The response carries {}, but at most one of them may be sent.",
                            join_and(present)));
}

// The content of a request as sent: what follows its header section.
std::string_view sent_content(const Exchange& exchange) {
  std::string_view bytes = exchange.request_bytes;
  auto end_of_head = bytes.find("\r\n\r\n");
  if (end_of_head == std::string_view::npos) return {};
  return bytes.substr(end_of_head + 4);
}

Verdict check_stored_as_sent(const StoredAsSentCheck& c, const Response& response,
                             const CheckInput& in) {
  constexpr size_t kShown = 64;
  auto it = in.earlier.find(c.step);
  auto there = earlier_response(in, c.step);
  if (!there || it == in.earlier.end()) {
    return error(fmt::format("the content sent by step {}", c.step), there.error().message);
  }
  std::vector<std::string> validators;
  for (const auto* name : {"ETag", "Last-Modified"})
    if ((*there)->fields.has(name)) validators.push_back(show_field(**there, name));
  std::string_view sent = sent_content(*it->second);
  std::string_view got = response.content;
  const std::string actual = fmt::format("{}: {}", byte_count(got.size()), preview(got, kShown));
  if (validators.empty()) {
    return pass(
        fmt::format("no promise: step {} was answered without ETag or Last-Modified", c.step),
        actual,
        fmt::format("The response to step '{}' carries no validator, so it promised nothing "
                    "about how the content was stored.",
                    c.step));
  }
  const std::string expected =
      fmt::format("{} (sent by step {}, answered with {}): {}", byte_count(sent.size()), c.step,
                  join(validators, "; "), preview(sent, kShown));
  if (got == sent) return pass(expected, actual);
  size_t first_difference = 0;
  while (first_difference < got.size() && first_difference < sent.size() &&
         got[first_difference] == sent[first_difference]) {
    ++first_difference;
  }
  return broken(expected, actual,
                fmt::format("The response to step '{}' carried {}, which says the content was "
                            "stored exactly as sent, but the content now differs from what that "
                            "step sent (first difference at byte {}).",
                            c.step, join_and(validators), first_difference));
}

Verdict check_strong_etag_differs(const StrongTagDiffersCheck& c, const Response& response,
                                  const CheckInput& in) {
  auto there = earlier_response(in, c.step);
  if (!there)
    return error(fmt::format("a strong ETag other than step {}'s", c.step), there.error().message);
  const std::string expected = fmt::format("a strong ETag other than that of step {}", c.step);
  const std::string actual = show_field(response, "ETag");
  auto strong_tag = [](const Response& r) -> std::optional<EntityTag> {
    auto value = r.fields.combined("ETag");
    if (!value) return std::nullopt;
    auto tag = parse_entity_tag(*value);
    if (!tag || tag->weak) return std::nullopt;
    return tag;
  };
  auto ours = strong_tag(response);
  auto theirs = strong_tag(**there);
  if (!ours || !theirs) {
    return pass(expected, actual,
                fmt::format("This response or that of step '{}' has no strong ETag, so there is "
                            "nothing to compare.",
                            c.step));
  }
  if (response.content == (*there)->content) {
    return pass(
        expected, actual,
        fmt::format("The content equals that of step '{}', so the tags may be equal.", c.step));
  }
  if (ours->opaque != theirs->opaque) return pass(expected, actual);
  return broken(expected, actual,
                fmt::format("The content differs from that of step '{}', but both carry the "
                            "strong ETag {}.",
                            c.step, theirs->str()));
}

// Judged even without a response: a dropped request is what it looks for.
Verdict check_responds(const Exchange& exchange) {
  const std::string expected = "an HTTP response (any status)";
  if (exchange.response) {
    return pass(expected, fmt::format("status {}", exchange.response->status));
  }
  if (exchange.closed_without_response) {
    return broken(expected, "connection closed without a response",
                  "The server closed the connection without answering the request.");
  }
  return error(expected, exchange.error.empty()
                             ? "The request got no response, for a reason other than the server "
                               "closing the connection."
                             : fmt::format("The request got no response ({}), for a reason other "
                                           "than the server closing the connection.",
                                           exchange.error));
}

Verdict judge(const CheckSpec& spec, const CheckInput& in) {
  const Exchange& exchange = in.exchange;
  if (std::holds_alternative<RespondsCheck>(spec)) return check_responds(exchange);
  if (!exchange.response) {
    return error("a response",
                 exchange.error.empty()
                     ? fmt::format("Step '{}' got no response, so it cannot be judged.", in.step)
                     : fmt::format("Step '{}' got no response ({}), so it cannot be judged.",
                                   in.step, exchange.error));
  }
  const Response& response = *exchange.response;
  return std::visit(
      [&](const auto& c) -> Verdict {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, StatusCheck>) return check_status(c, exchange);
        if constexpr (std::is_same_v<T, FieldCheck>) return check_field(c, response, in);
        if constexpr (std::is_same_v<T, SameFieldsCheck>) return check_same_fields(c, exchange, in);
        if constexpr (std::is_same_v<T, NoContentCheck>) return check_no_content(exchange);
        if constexpr (std::is_same_v<T, ContentCheck>) return check_content_equals(c, response, in);
        if constexpr (std::is_same_v<T, ContentLengthCheck>)
          return check_content_length(c, response, in);
        if constexpr (std::is_same_v<T, LastModifiedNotAfterDateCheck>)
          return check_last_modified_not_after_date(response, in);
        if constexpr (std::is_same_v<T, EtagSyntaxCheck>) return check_etag_syntax(response);
        if constexpr (std::is_same_v<T, DateSyntaxCheck>) return check_date_syntax(c, response, in);
        if constexpr (std::is_same_v<T, DateWhitespaceCheck>)
          return check_date_whitespace(c, response, in);
        if constexpr (std::is_same_v<T, DateNearNowCheck>)
          return check_date_near_now(c, response, in);
        if constexpr (std::is_same_v<T, ContentLengthExactCheck>)
          return check_content_length_exact(exchange);
        if constexpr (std::is_same_v<T, ExclusiveFieldsCheck>)
          return check_exclusive_fields(c, response);
        if constexpr (std::is_same_v<T, StoredAsSentCheck>)
          return check_stored_as_sent(c, response, in);
        if constexpr (std::is_same_v<T, StrongTagDiffersCheck>)
          return check_strong_etag_differs(c, response, in);
        if constexpr (std::is_same_v<T, RespondsCheck>) return check_responds(exchange);
      },
      spec);
}

}  // namespace

CheckResult evaluate_check(const Expectation& e, const Requirement& r, const CheckInput& in) {
  CheckResult result;
  result.step = std::string(in.step);
  result.requirement = r.id;
  result.rfc = r.rfc;
  result.section = r.section;
  result.level = r.level;
  Verdict verdict;
  try {
    verdict = judge(e.check, in);
  } catch (const std::exception& ex) {
    // Nothing may escape the library; a check that throws could not judge.
    verdict = error("", fmt::format("The check could not be evaluated: {}.", ex.what()));
  }
  switch (verdict.kind) {
    case Kind::pass:
      result.outcome = Outcome::pass;
      break;
    case Kind::broken:
      result.outcome = outcome_for_broken(r.level);
      break;
    case Kind::error:
      result.outcome = Outcome::error;
      break;
  }
  result.expected = std::move(verdict.expected);
  result.actual = std::move(verdict.actual);
  result.message = verdict.message.empty() && verdict.kind == Kind::pass
                       ? r.summary
                       : std::move(verdict.message);
  return result;
}

}  // namespace condspec
