#include "src/cases/step_reader.h"

#include <algorithm>

#include "src/core/text.h"

namespace condspec {
namespace {

std::string earlier_steps_text(const std::vector<std::string>& earlier) {
  if (earlier.empty()) return "there are no earlier steps";
  return "earlier steps: " + join(earlier, ", ");
}

}  // namespace

std::optional<Template> StepReader::template_of(const Entry& e) const {
  auto text = read_string(e, d_);
  if (!text) return std::nullopt;
  auto t = parse_template(*text, text_start(e.value));
  if (!t) {
    d_.add(t.error());
    return std::nullopt;
  }
  auto checked = check_template(*t, earlier_);
  if (!checked) {
    d_.add(checked.error());
    return std::nullopt;
  }
  return std::move(*t);
}

std::optional<std::string> StepReader::step_reference(const Entry& e) const {
  auto text = read_string(e, d_);
  if (!text) return std::nullopt;
  if (std::find(earlier_.begin(), earlier_.end(), *text) == earlier_.end()) {
    d_.add(e.mark(),
           "unknown step '" + short_text(*text) + "' (" + earlier_steps_text(earlier_) + ")");
    return std::nullopt;
  }
  return text;
}

std::optional<std::string> StepReader::only_step(const Entry& e) const {
  Mapping m(e.value, e.key_node.mark(), e.key, {"step"}, d_);
  if (!m.valid()) return std::nullopt;
  std::string step;
  if (const Entry* s = m.require("step")) step = step_reference(*s).value_or("");
  return step;
}

std::vector<std::string> StepReader::field_names(const Entry& e) const {
  std::vector<std::string> names;
  auto items = read_string_list(e, d_);
  if (!items) return names;
  if (items->empty() && e.value.size() == 0)
    d_.add(e.mark(), "'" + e.key + "' must list at least one field name");
  for (auto& [name, node] : *items)
    if (is_field_name(name, node->mark())) names.push_back(name);
  return names;
}

std::optional<std::vector<int>> StepReader::statuses(const Entry& e) const {
  std::vector<const YamlNode*> items;
  if (e.value.is_sequence()) {
    items = e.value.items();
    if (items.empty()) {
      d_.add(e.mark(), "'" + e.key + "' must list at least one status code");
      return std::nullopt;
    }
  } else {
    items.push_back(&e.value);
  }
  std::vector<int> statuses;
  bool ok = true;
  for (const YamlNode* item : items) {
    auto value = parse_integer(*item);
    const YamlMark mark = item->is_null() ? e.key_node.mark() : item->mark();
    if (!value) {
      d_.add(mark,
             "'" + e.key + "' must be an integer or a list of integers, got " + describe(*item));
      ok = false;
    } else if (*value < 100 || *value > 599) {
      d_.add(mark, "status " + std::to_string(*value) + " is not a status code (100-599)");
      ok = false;
    } else {
      statuses.push_back(static_cast<int>(*value));
    }
  }
  if (!ok) return std::nullopt;
  return statuses;
}

bool StepReader::is_field_name(const std::string& name, const YamlMark& mark) const {
  if (is_token(name)) return true;
  d_.add(mark,
         "'" + short_text(name) + "' is not a valid field name (a token such as If-None-Match)");
  return false;
}

// A scalar's mark is at its first source character: the quote of a
// quoted scalar, the | or > of a block scalar. Offsets inside the text map
// onto columns exactly for plain scalars and for quoted scalars up to the
// first escape ('' or \x); after a line break (block and folded scalars) the
// column is approximate (see parse_template).
SourceLocation StepReader::text_start(const YamlNode& node) const {
  SourceLocation where = d_.at(node.mark());
  const auto source = d_.source();
  const int pos = node.mark().pos;
  if (pos < 0 || static_cast<size_t>(pos) >= source.size()) return where;
  const char first = source[pos];
  if (first == '"' || first == '\'') {
    ++where.column;
  } else if (first == '|' || first == '>') {
    // The content starts on the first non-blank line after the indicator.
    size_t at = source.find('\n', pos);
    while (at != std::string_view::npos) {
      ++where.line;
      size_t indent = 0;
      while (at + 1 + indent < source.size() && source[at + 1 + indent] == ' ') ++indent;
      const size_t next = at + 1 + indent;
      if (next < source.size() && source[next] != '\n' && source[next] != '\r') {
        where.column = static_cast<int>(indent) + 1;
        break;
      }
      at = source.find('\n', next);
    }
  }
  return where;
}

}  // namespace condspec
