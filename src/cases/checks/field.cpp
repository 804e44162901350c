#include "src/cases/checks/field.h"

#include <fmt/format.h>

#include <regex>
#include <vector>

#include "src/cases/checks/evidence.h"
#include "src/cases/step_reader.h"
#include "src/cases/yaml_reading.h"
#include "src/core/text.h"

namespace condspec {
namespace {

// Bounds what std::regex has to compile: its compiler also recurses per
// character and per nesting level.
constexpr size_t kMaxPatternBytes = 1024;

std::string regex_problem(const std::regex_error& e) {
  switch (e.code()) {
    case std::regex_constants::error_collate:
      return "invalid collating element name";
    case std::regex_constants::error_ctype:
      return "invalid character class name";
    case std::regex_constants::error_escape:
      return "invalid escape sequence";
    case std::regex_constants::error_backref:
      return "invalid back reference";
    case std::regex_constants::error_brack:
      return "mismatched [ and ]";
    case std::regex_constants::error_paren:
      return "mismatched ( and )";
    case std::regex_constants::error_brace:
      return "mismatched { and }";
    case std::regex_constants::error_badbrace:
      return "invalid range in { }";
    case std::regex_constants::error_range:
      return "invalid character range";
    case std::regex_constants::error_space:
      return "out of memory";
    case std::regex_constants::error_badrepeat:
      return "a repeat (*, +, ? or {n}) follows nothing";
    case std::regex_constants::error_complexity:
      return "too complex";
    case std::regex_constants::error_stack:
      return "too complex";
    default:
      return "invalid";
  }
}

// `matches: <regex>`: kept as a literal template ({{ is ordinary regex text).
// nullopt when it is too long to compile safely; a pattern that does not
// compile is reported but kept, so the rest of the file is still checked.
std::optional<Template> read_pattern(const Entry& op, const StepReader& reader) {
  Diagnostics& d = reader.diagnostics();
  auto pattern = read_string(op, d);
  if (!pattern) return Template{};
  if (pattern->size() > kMaxPatternBytes) {
    d.add(op.mark(), "'matches' is too long: " + std::to_string(pattern->size()) +
                         " bytes (at most " + std::to_string(kMaxPatternBytes) + ")");
    return std::nullopt;
  }
  try {
    std::regex compiled(*pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& error) {
    d.add(op.mark(), "'matches' is not a valid regular expression: " + regex_problem(error));
  }
  Template value;
  value.source = *pattern;
  value.where = reader.text_start(op.value);
  value.pieces.push_back({*pattern, std::nullopt});
  return value;
}

// `lists: Accept-Encoding` or `lists: [Accept-Encoding, "*"]`: tokens.
bool read_members(const Entry& op, Diagnostics& d, std::vector<std::string>& members) {
  if (op.value.is_scalar()) {
    auto token = read_nonempty_string(op, d);
    if (!token) return false;
    members.push_back(*token);
    return true;
  }
  auto items = read_string_list(op, d);
  if (!items) return false;
  for (const auto& [text, node] : *items) {
    if (text.empty()) {
      d.add(node->mark(), "'lists' items must not be empty");
      return false;
    }
    members.push_back(text);
  }
  if (members.empty()) {
    d.add(op.mark(), "'lists' needs at least one member");
    return false;
  }
  return true;
}

// "Accept-Encoding or *", "a, b or c".
std::string either(const std::vector<std::string>& members) {
  std::string out;
  for (size_t i = 0; i < members.size(); ++i) {
    if (i > 0) out += i + 1 == members.size() ? " or " : ", ";
    out += members[i];
  }
  return out;
}

// Whether a comma-separated field value has one of `members` as an element
// (optional whitespace around elements; empty elements ignored).
bool has_member(std::string_view value, const std::vector<std::string>& members) {
  for (auto element : split(value, ',')) {
    element = trim(element);
    for (const auto& member : members)
      if (iequals(element, member)) return true;
  }
  return false;
}

// `matches`: the value as sent against the pattern, bounded so that a long
// value cannot exhaust the stack of the regex matcher.
Verdict judge_match(const FieldCheck& check, const std::optional<std::string>& sent,
                    const std::string& actual, const std::string& missing, const CheckInput& in) {
  const std::string& name = check.name;
  const std::string& means = check.means;
  auto pattern = template_text(check.value, in);
  if (!pattern) {
    return error(fmt::format("{} matches {}", name, check.value.source),
                 fmt::format("The pattern for {} could not be computed: {}.", name,
                             pattern.error().message));
  }
  std::string expected = means.empty() ? fmt::format("{} matches {}", name, *pattern)
                                       : fmt::format("{} {}", name, means);
  if (!sent) return broken(expected, actual, missing);
  // libstdc++'s regex matcher recurses once per character: a long value
  // from a server could exhaust the stack. Field values that long are
  // not what any case means to match.
  constexpr size_t kLongestMatched = 4096;
  if (sent->size() > kLongestMatched) {
    return error(expected, fmt::format("{} is {} long; values over {} bytes are not matched "
                                       "against patterns.",
                                       name, byte_count(sent->size()), kLongestMatched));
  }
  bool matched = false;
  try {
    matched = std::regex_match(*sent, std::regex(*pattern, std::regex::ECMAScript));
  } catch (const std::regex_error& e) {
    return error(expected, fmt::format("The pattern for {} is not a usable regular "
                                       "expression: {}.",
                                       name, e.what()));
  }
  if (matched) return pass(expected, actual);
  if (!means.empty())
    return broken(expected, actual, fmt::format("Expected: {} {}; it does not.", name, means));
  return broken(expected, actual, fmt::format("{} does not match the expected pattern.", name));
}

}  // namespace

std::optional<FieldCheck> FieldCheck::read(const Entry& entry, const StepReader& reader) {
  return read(entry, reader, "field");
}

std::optional<FieldCheck> FieldCheck::read(const Entry& entry, const StepReader& reader,
                                           std::string_view what) {
  Diagnostics& d = reader.diagnostics();
  Mapping m(entry.value, entry.key_node.mark(), std::string(what),
            {"name", "present", "absent", "equals", "differs", "matches", "lists", "means"}, d);
  if (!m.valid()) return std::nullopt;
  FieldCheck check;
  if (const Entry* name = m.require("name")) {
    if (auto text = read_string(*name, d))
      if (reader.is_field_name(*text, name->mark())) check.name = *text;
  }
  std::vector<const Entry*> ops;
  const Entry* means = nullptr;
  for (const auto& e : m.entries()) {
    if (e.key == "means")
      means = &e;
    else if (e.key != "name")
      ops.push_back(&e);
  }
  if (ops.empty()) {
    d.add(m.mark(), std::string(what) +
                        " check needs one of: present, absent, equals, differs, lists, matches");
    return std::nullopt;
  }
  if (ops.size() > 1) {
    std::string names;
    for (auto* op : ops) names += (names.empty() ? "'" : ", '") + op->key + "'";
    d.add(m.mark(), std::string(what) + " check has " + std::to_string(ops.size()) +
                        " conditions (" + names + "); use exactly one");
    return std::nullopt;
  }
  const Entry& op = *ops.front();
  if (op.key == "present" || op.key == "absent") {
    check.op = op.key == "present" ? Op::present : Op::absent;
    read_true(op, d);
  } else if (op.key == "equals" || op.key == "differs") {
    check.op = op.key == "equals" ? Op::equals : Op::differs;
    if (auto t = reader.template_of(op)) check.value = std::move(*t);
  } else if (op.key == "lists") {
    check.op = Op::lists;
    if (!read_members(op, d, check.members)) return std::nullopt;
  } else {
    check.op = Op::matches;
    auto pattern = read_pattern(op, reader);
    if (!pattern) return std::nullopt;
    check.value = std::move(*pattern);
  }
  if (means) {
    if (check.op != Op::matches) {
      d.add(means->key_node.mark(), "'means' belongs to 'matches' only (the words for a pattern)");
      return std::nullopt;
    }
    if (auto words = read_nonempty_string(*means, d)) check.means = *words;
  }
  return check;
}

std::string FieldCheck::describe() const {
  switch (op) {
    case Op::present:
      return fmt::format("{} is present", name);
    case Op::absent:
      return fmt::format("{} is absent", name);
    case Op::equals:
      return fmt::format("{} equals {}", name, value.source);
    case Op::differs:
      return fmt::format("{} is absent or differs from {}", name, value.source);
    case Op::matches:
      if (!means.empty()) return fmt::format("{} {}", name, means);
      return fmt::format("{} matches /{}/", name, value.source);
    case Op::lists:
      return fmt::format("{} lists {}", name, either(members));
  }
  return "";
}

Verdict FieldCheck::judge(const Response& response, const CheckInput& in) const {
  return judge_fields(response.fields, in, "The response");
}

Verdict FieldCheck::judge_fields(const Fields& fields, const CheckInput& in,
                                 std::string_view holder) const {
  auto sent = fields.combined(name);  // the value as sent
  std::string actual = sent ? fmt::format("{}: {}", name, *sent) : name + " absent";
  std::string missing = fmt::format("{} has no {} field.", holder, name);
  switch (op) {
    case Op::present: {
      std::string expected = name + " present";
      if (sent) return pass(expected, actual);
      return broken(expected, actual, missing);
    }
    case Op::absent: {
      std::string expected = name + " absent";
      if (!sent) return pass(expected, actual);
      return broken(expected, actual,
                    fmt::format("{} carries {}, which was expected to be absent.", holder, name));
    }
    case Op::equals: {
      auto want = template_text(value, in);
      if (!want) {
        return error(fmt::format("{}: {}", name, value.source),
                     fmt::format("The expected value of {} could not be computed: {}.", name,
                                 want.error().message));
      }
      std::string expected = fmt::format("{}: {}", name, *want);
      if (!sent) return broken(expected, actual, missing);
      if (*sent == *want) return pass(expected, actual);
      return broken(expected, actual, fmt::format("{} has a different value than expected.", name));
    }
    case Op::differs: {
      auto other = template_text(value, in);
      if (!other) {
        return error(fmt::format("{} other than {}", name, value.source),
                     fmt::format("The value {} must differ from could not be computed: {}.", name,
                                 other.error().message));
      }
      std::string expected = fmt::format("{} absent or other than {}", name, *other);
      if (!sent || *sent != *other) return pass(expected, actual);
      return broken(expected, actual,
                    fmt::format("{} has the value it was expected to differ from.", name));
    }
    case Op::matches:
      return judge_match(*this, sent, actual, missing, in);
    case Op::lists: {
      std::string expected = fmt::format("{} lists {}", name, either(members));
      if (!sent) return broken(expected, actual, missing);
      if (has_member(*sent, members)) return pass(expected, actual);
      return broken(expected, actual, fmt::format("{} does not list {}.", name, either(members)));
    }
  }
  return error("", "Unknown field check.");
}

}  // namespace condspec
