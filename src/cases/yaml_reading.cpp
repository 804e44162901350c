#include "src/cases/yaml_reading.h"

#include <algorithm>
#include <charconv>
#include <tuple>

namespace condspec {

SourceLocation Diagnostics::at(const YamlMark& mark) const {
  if (mark.is_null() || mark.line < 0) return {file_, 1, 1};
  return {file_, mark.line + 1, mark.column + 1};
}

void Diagnostics::add(const SourceLocation& where, std::string message) {
  add(Diagnostic{where, std::move(message), std::nullopt});
}

void Diagnostics::add(Diagnostic diagnostic) {
  if (items_.size() < kMaxKept)
    items_.push_back(std::move(diagnostic));
  else
    ++not_kept_;
}

namespace {

// How much of a line is kept on each side of a diagnostic's column: more
// than render() ever shows (120 columns, 4 bytes for the widest character),
// so what it shows is the same as with the whole line.
constexpr size_t kKeptAroundColumn = 1024;

}  // namespace

std::vector<Diagnostic> Diagnostics::sorted() const {
  std::vector<Diagnostic> out = items_;
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.where.line, a.where.column) < std::tie(b.where.line, b.where.column);
  });
  // One pass over the text: the diagnostics are in line order now.
  int line = 1;
  size_t start = 0;  // of `line` in source_
  for (auto& d : out) {
    if (d.source_line || d.where.line < 1 || d.where.file != file_) continue;
    while (line < d.where.line && start < source_.size()) {
      const size_t end = source_.find('\n', start);
      start = end == std::string_view::npos ? source_.size() : end + 1;
      ++line;
    }
    if (line != d.where.line || start >= source_.size()) continue;  // past the end
    if (auto text = line_of(source_.substr(start), 1)) {
      const size_t column = d.where.column > 1 ? static_cast<size_t>(d.where.column - 1) : 0;
      const size_t from = std::min(text->size(), column - std::min(column, kKeptAroundColumn));
      d.source_line = std::string(text->substr(from, 2 * kKeptAroundColumn));
      d.source_line_start = from;
    }
  }
  if (not_kept_ > 0)
    out.push_back({{file_, 0, 0},
                   std::to_string(not_kept_) + " more problem" +
                       (not_kept_ == 1 ? " is" : "s are") + " not shown (at most " +
                       std::to_string(kMaxKept) + " of a file are)",
                   std::nullopt});
  return out;
}

std::string short_text(const std::string& s) {
  constexpr size_t kMax = 60;
  std::string out = s.size() > kMax ? s.substr(0, kMax) + "..." : s;
  for (char& c : out)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return out;
}

std::string describe(const YamlNode& node) {
  if (node.is_null()) return "nothing";
  if (node.is_sequence()) return "a list";
  if (node.is_map()) return "a mapping";
  return "'" + short_text(node.scalar()) + "'";
}

Mapping::Mapping(const YamlNode& node, const YamlMark& fallback, std::string what,
                 std::vector<std::string_view> keys, Diagnostics& d, MappingWords words)
    : node_(node), what_(std::move(what)), d_(d), words_(std::move(words)) {
  if (!node.is_map()) {
    d.add(node.is_null() ? fallback : node.mark(),
          words_.not_a_mapping.empty() ? what_ + " must be a mapping, got " + describe(node)
                                       : words_.not_a_mapping);
    return;
  }
  valid_ = true;
  entries_.reserve(node.size());
  for (const auto& [key, value] : node.pairs()) {
    if (!key->is_scalar()) {
      d.add(key->mark(), "keys in " + what_ + " must be names, got " + describe(*key));
      continue;
    }
    add_entry(Entry{key->scalar(), *key, *value}, keys);
  }
}

void Mapping::add_entry(Entry entry, const std::vector<std::string_view>& keys) {
  if (std::find(keys.begin(), keys.end(), entry.key) == keys.end()) {
    if (words_.unknown_key) {
      d_.add(entry.key_node.mark(), words_.unknown_key(entry.key));
      return;
    }
    std::string expected;
    for (auto k : keys) expected += (expected.empty() ? "" : ", ") + std::string(k);
    d_.add(entry.key_node.mark(), "unknown key '" + short_text(entry.key) + "' in " + what_ +
                                      " (expected one of: " + expected + ")");
    return;
  }
  if (const Entry* first = find(entry.key)) {
    const SourceLocation at = d_.at(first->key_node.mark());
    d_.add(entry.key_node.mark(), "duplicate key '" + entry.key + "' in " + what_ + " (first at " +
                                      std::to_string(at.line) + ":" + std::to_string(at.column) +
                                      ")");
    return;
  }
  entries_.push_back(std::move(entry));
}

const Entry* Mapping::find(std::string_view key) const {
  for (const auto& e : entries_)
    if (e.key == key) return &e;
  return nullptr;
}

const Entry* Mapping::require(std::string_view key) const {
  if (!valid_) return nullptr;
  const Entry* e = find(key);
  if (!e) d_.add(node_.mark(), "missing required key '" + std::string(key) + "' in " + what_);
  return e;
}

std::optional<std::string> read_string(const Entry& e, Diagnostics& d) {
  if (!e.value.is_scalar()) {
    d.add(e.mark(), "'" + e.key + "' must be a string, got " + describe(e.value));
    return std::nullopt;
  }
  return e.value.scalar();
}

std::optional<std::string> read_nonempty_string(const Entry& e, Diagnostics& d) {
  auto s = read_string(e, d);
  if (s && s->empty()) {
    d.add(e.mark(), "'" + e.key + "' must not be empty");
    return std::nullopt;
  }
  return s;
}

std::optional<bool> read_bool(const Entry& e, Diagnostics& d) {
  if (e.value.is_scalar()) {
    const std::string& s = e.value.scalar();
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
  }
  d.add(e.mark(), "'" + e.key + "' must be true or false, got " + describe(e.value));
  return std::nullopt;
}

bool read_true(const Entry& e, Diagnostics& d) {
  auto b = read_bool(e, d);
  if (b && !*b) {
    d.add(e.mark(), "'" + e.key + "' must be true (leave the check out instead of writing false)");
    return false;
  }
  return b.value_or(false);
}

std::optional<StringItems> read_string_list(const Entry& e, Diagnostics& d) {
  if (!e.value.is_sequence()) {
    d.add(e.mark(), "'" + e.key + "' must be a list, got " + describe(e.value));
    return std::nullopt;
  }
  StringItems items;
  for (const YamlNode* item : e.value.items()) {
    if (!item->is_scalar()) {
      d.add(item->is_null() ? e.value.mark() : item->mark(),
            "each item of '" + e.key + "' must be a string, got " + describe(*item));
      continue;
    }
    items.emplace_back(item->scalar(), item);
  }
  return items;
}

std::optional<long> parse_integer(const YamlNode& node) {
  if (!node.is_scalar()) return std::nullopt;
  const std::string& s = node.scalar();
  long value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return value;
}

std::optional<YamlDocument> load_yaml(std::string_view text, Diagnostics& d,
                                      std::string_view prefix) {
  auto document = parse_yaml(text, kMaxYamlNodes);
  if (!document) {
    const YamlError& error = document.error();
    const bool syntax = error.kind == YamlError::Kind::syntax;
    d.add(error.mark, (syntax ? std::string(prefix) : std::string()) + error.message);
    return std::nullopt;
  }
  return std::move(*document);
}

}  // namespace condspec
