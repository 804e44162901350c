#include "src/cases/loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <exception>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <system_error>
#include <tuple>
#include <utility>

#include "src/cases/diagnostic.h"
#include "src/cases/facts.h"
#include "src/cases/template.h"
#include "src/core/file.h"
#include "src/core/text.h"

namespace condspec {
namespace {

// ---------------------------------------------------------------------------
// Diagnostics of one file, shown in file order whatever order they were found in.

class Diagnostics {
 public:
  Diagnostics(std::string file, std::string_view source)
      : file_(std::move(file)), source_(source) {}

  const std::string& file() const { return file_; }
  std::string_view source() const { return source_; }

  SourceLocation at(const YAML::Mark& mark) const {
    if (mark.is_null() || mark.line < 0) return {file_, 1, 1};
    return {file_, mark.line + 1, mark.column + 1};
  }

  // Messages quote the file (keys, values, yaml-cpp's own text), which may
  // hold any byte: terminal_safe keeps each diagnostic on one line and keeps
  // control sequences away from the terminal.
  void add(const SourceLocation& where, std::string_view message) {
    items_.push_back({where.line, where.column, located(where, terminal_safe(message))});
  }
  void add(const YAML::Mark& mark, std::string_view message) { add(at(mark), message); }
  // A message that already carries its location (from the template parser).
  void add_located(const SourceLocation& sort_key, std::string text) {
    items_.push_back({sort_key.line, sort_key.column, terminal_safe(text)});
  }
  void add_unlocated(std::string_view message) {
    items_.push_back({0, 0, file_ + ": " + terminal_safe(message)});
  }

  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }

  std::vector<std::string> lines() const {
    std::vector<Item> sorted = items_;
    std::stable_sort(sorted.begin(), sorted.end(), [](const Item& a, const Item& b) {
      return std::tie(a.line, a.column) < std::tie(b.line, b.column);
    });
    std::vector<std::string> out;
    for (auto& item : sorted) out.push_back(item.text);
    return out;
  }

 private:
  struct Item {
    int line;
    int column;
    std::string text;
  };
  std::string file_;
  std::string_view source_;
  std::vector<Item> items_;
};

std::string short_text(const std::string& s) {
  constexpr size_t kMax = 60;
  std::string out = s.size() > kMax ? s.substr(0, kMax) + "..." : s;
  for (char& c : out)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return out;
}

std::string describe(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  return "'" + short_text(node.Scalar()) + "'";
}

// One key of a mapping with its value. Errors about a value point at the
// value, or at the key when there is no value (yaml-cpp places an empty
// value's mark at the start of the next line).
struct Entry {
  std::string key;
  YAML::Node key_node;
  YAML::Node value;

  YAML::Mark mark() const { return value.IsNull() ? key_node.Mark() : value.Mark(); }
};

// A YAML mapping checked against the keys it may have.
class Mapping {
 public:
  Mapping(const YAML::Node& node, const YAML::Mark& fallback, std::string what,
          std::vector<std::string_view> keys, Diagnostics& d)
      : node_(node), what_(std::move(what)), d_(d) {
    if (!node.IsMap()) {
      d.add(node.IsNull() ? fallback : node.Mark(),
            what_ + " must be a mapping, got " + describe(node));
      return;
    }
    valid_ = true;
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (!it->first.IsScalar()) {
        d.add(it->first.Mark(), "keys in " + what_ + " must be names, got " + describe(it->first));
        continue;
      }
      Entry entry{it->first.Scalar(), it->first, it->second};
      if (std::find(keys.begin(), keys.end(), entry.key) == keys.end()) {
        std::string expected;
        for (auto k : keys) expected += (expected.empty() ? "" : ", ") + std::string(k);
        d.add(entry.key_node.Mark(), "unknown key '" + short_text(entry.key) + "' in " + what_ +
                                         " (expected one of: " + expected + ")");
        continue;
      }
      if (const Entry* first = find(entry.key)) {
        const SourceLocation at = d.at(first->key_node.Mark());
        d.add(entry.key_node.Mark(), "duplicate key '" + entry.key + "' in " + what_ +
                                         " (first at " + std::to_string(at.line) + ":" +
                                         std::to_string(at.column) + ")");
        continue;
      }
      entries_.push_back(std::move(entry));
    }
  }

  bool valid() const { return valid_; }
  const std::vector<Entry>& entries() const { return entries_; }
  YAML::Mark mark() const { return node_.Mark(); }

  const Entry* find(std::string_view key) const {
    for (const auto& e : entries_)
      if (e.key == key) return &e;
    return nullptr;
  }

  const Entry* require(std::string_view key) const {
    if (!valid_) return nullptr;
    const Entry* e = find(key);
    if (!e) d_.add(node_.Mark(), "missing required key '" + std::string(key) + "' in " + what_);
    return e;
  }

 private:
  YAML::Node node_;
  std::string what_;
  Diagnostics& d_;
  bool valid_ = false;
  std::vector<Entry> entries_;
};

// ---------------------------------------------------------------------------
// Scalars and lists.

std::optional<std::string> read_string(const Entry& e, Diagnostics& d) {
  if (!e.value.IsScalar()) {
    d.add(e.mark(), "'" + e.key + "' must be a string, got " + describe(e.value));
    return std::nullopt;
  }
  return e.value.Scalar();
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
  if (e.value.IsScalar()) {
    const std::string& s = e.value.Scalar();
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
  }
  d.add(e.mark(), "'" + e.key + "' must be true or false, got " + describe(e.value));
  return std::nullopt;
}

// Checks that exist only in their positive form: `no_content: true`.
bool read_true(const Entry& e, Diagnostics& d) {
  auto b = read_bool(e, d);
  if (b && !*b) {
    d.add(e.mark(), "'" + e.key + "' must be true (leave the check out instead of writing false)");
    return false;
  }
  return b.value_or(false);
}

using StringItems = std::vector<std::pair<std::string, YAML::Node>>;

// Items of a list, each a scalar. nullopt (reported) when it is not a list.
std::optional<std::vector<std::pair<std::string, YAML::Node>>> read_string_list(const Entry& e,
                                                                                Diagnostics& d) {
  if (!e.value.IsSequence()) {
    d.add(e.mark(), "'" + e.key + "' must be a list, got " + describe(e.value));
    return std::nullopt;
  }
  std::vector<std::pair<std::string, YAML::Node>> items;
  for (const auto& item : e.value) {
    if (!item.IsScalar()) {
      d.add(item.IsNull() ? e.value.Mark() : item.Mark(),
            "each item of '" + e.key + "' must be a string, got " + describe(item));
      continue;
    }
    items.emplace_back(item.Scalar(), item);
  }
  return items;
}

std::optional<long> parse_integer(const YAML::Node& node) {
  if (!node.IsScalar()) return std::nullopt;
  const std::string& s = node.Scalar();
  long value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return value;
}

// A whole number of seconds, at least 1 and at most a day: a tolerance.
std::optional<std::int64_t> read_tolerance_seconds(const Entry& e, Diagnostics& d) {
  auto value = parse_integer(e.value);
  if (!value || *value < 1 || *value > 86400) {
    d.add(e.mark(),
          "'" + e.key + "' must be a number of seconds from 1 to 86400, got " + describe(e.value));
    return std::nullopt;
  }
  return *value;
}

std::optional<std::vector<int>> read_statuses(const Entry& e, Diagnostics& d) {
  std::vector<YAML::Node> items;
  if (e.value.IsSequence()) {
    for (const auto& item : e.value) items.push_back(item);
    if (items.empty()) {
      d.add(e.mark(), "'" + e.key + "' must list at least one status code");
      return std::nullopt;
    }
  } else {
    items.push_back(e.value);
  }
  std::vector<int> statuses;
  bool ok = true;
  for (const auto& item : items) {
    auto value = parse_integer(item);
    const YAML::Mark mark = item.IsNull() ? e.key_node.Mark() : item.Mark();
    if (!value) {
      d.add(mark,
            "'" + e.key + "' must be an integer or a list of integers, got " + describe(item));
      ok = false;
    } else if (*value < 100 || *value > 599) {
      d.add(mark, "status " + std::to_string(*value) + " is not a status code (100-599)");
      ok = false;
    } else {
      statuses.push_back(static_cast<int>(*value));
    }
  }
  if (!ok) return std::nullopt;
  return statuses;
}

bool check_field_name(const std::string& name, const YAML::Mark& mark, Diagnostics& d) {
  if (is_token(name)) return true;
  d.add(mark,
        "'" + short_text(name) + "' is not a valid field name (a token such as If-None-Match)");
  return false;
}

// The fixed shapes of ids and section numbers are checked by hand, not with
// std::regex: libstdc++ matches recursively, one stack frame per character,
// so a long id in a case file overflowed the stack.
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || is_digit(c);
}

// Non-empty parts separated by `separator`, each made of `allowed` characters.
bool is_joined(std::string_view s, char separator, bool (*allowed)(char)) {
  for (std::string_view part : split(s, separator))
    if (part.empty() || !std::all_of(part.begin(), part.end(), allowed)) return false;
  return true;
}

// [0-9]+(\.[0-9]+)*
bool is_section_number(std::string_view s) {
  return is_joined(s, '.', is_digit);
}

// [a-z0-9]+(-[a-z0-9]+)*
bool is_slug(std::string_view s) {
  return is_joined(s, '-', is_lower_alnum);
}

// [0-9]{4}
bool is_rfc_number(std::string_view s) {
  return s.size() == 4 && std::all_of(s.begin(), s.end(), is_digit);
}

// [a-z][a-z0-9_]*
bool is_step_id(std::string_view s) {
  return !s.empty() && s[0] >= 'a' && s[0] <= 'z' &&
         std::all_of(s.begin(), s.end(), [](char c) { return is_lower_alnum(c) || c == '_'; });
}

// <rfc>-<section>-<slug>; a section has no '-', so it ends at the first one.
bool is_requirement_id(std::string_view s) {
  if (s.size() < 5 || !is_rfc_number(s.substr(0, 4)) || s[4] != '-') return false;
  const std::string_view rest = s.substr(5);
  const size_t dash = rest.find('-');
  return dash != std::string_view::npos && is_section_number(rest.substr(0, dash)) &&
         is_slug(rest.substr(dash + 1));
}

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

// Where the text of a scalar starts in the file. yaml-cpp marks a scalar at
// its first source character: the quote of a quoted scalar, the | or > of a
// block scalar. Offsets inside the text map onto columns exactly for plain
// scalars and for quoted scalars up to the first escape ('' or \x); after a
// line break (block and folded scalars) the column is approximate (see
// parse_template).
SourceLocation text_start(const YAML::Node& node, const Diagnostics& d) {
  SourceLocation where = d.at(node.Mark());
  const auto source = d.source();
  const int pos = node.Mark().pos;
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

// "<file>:<line>:<column>: ..." -> the location, to keep diagnostics in file order.
SourceLocation location_of(const std::string& diagnostic, const SourceLocation& fallback) {
  SourceLocation at = fallback;
  std::string_view rest(diagnostic);
  if (rest.substr(0, fallback.file.size() + 1) != fallback.file + ":") return at;
  rest.remove_prefix(fallback.file.size() + 1);
  int line = 0, column = 0;
  auto r1 = std::from_chars(rest.data(), rest.data() + rest.size(), line);
  if (r1.ec != std::errc() || r1.ptr == rest.data() + rest.size() || *r1.ptr != ':') return at;
  auto r2 = std::from_chars(r1.ptr + 1, rest.data() + rest.size(), column);
  if (r2.ec != std::errc()) return at;
  at.line = line;
  at.column = column;
  return at;
}

std::string where_text(const SourceLocation& at) {
  return at.file + ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
}

std::string earlier_steps_text(const std::vector<std::string>& earlier) {
  if (earlier.empty()) return "there are no earlier steps";
  return "earlier steps: " + join(earlier, ", ");
}

// ---------------------------------------------------------------------------
// The catalog.

std::optional<Requirement> read_requirement(const YAML::Node& node, const YAML::Mark& fallback,
                                            Diagnostics& d) {
  Mapping m(
      node, fallback, "requirement",
      {"id", "rfc", "section", "level", "summary", "link", "observable", "unobservable_reason"}, d);
  if (!m.valid()) return std::nullopt;
  Requirement r;
  r.where = d.at(node.Mark());
  bool ok = true;
  auto want = [&](std::string_view key) {
    const Entry* e = m.require(key);
    if (!e) ok = false;
    return e;
  };
  const Entry* id = want("id");
  const Entry* rfc = want("rfc");
  const Entry* section = want("section");
  const Entry* level = want("level");
  const Entry* summary = want("summary");
  const Entry* link = want("link");
  bool id_ok = false, rfc_ok = false, section_ok = false;
  if (id) {
    if (auto s = read_string(*id, d)) {
      r.id = *s;
      id_ok = is_requirement_id(r.id);
      if (!id_ok)
        d.add(id->mark(), "requirement id '" + short_text(r.id) +
                              "' must look like <rfc>-<section>-<slug>, e.g. "
                              "9110-13.1.2-weak-compare");
    }
  }
  if (rfc) {
    if (auto s = read_string(*rfc, d)) {
      r.rfc = *s;
      rfc_ok = is_rfc_number(r.rfc);
      if (!rfc_ok)
        d.add(rfc->mark(),
              "'rfc' must be an RFC number such as \"9110\", got '" + short_text(r.rfc) + "'");
    }
  }
  if (section) {
    if (auto s = read_string(*section, d)) {
      r.section = *s;
      section_ok = is_section_number(r.section);
      if (!section_ok)
        d.add(section->mark(), "'section' must be a section number such as \"13.1.2\", got '" +
                                   short_text(r.section) + "'");
    }
  }
  if (id_ok && rfc_ok && section_ok) {
    const std::string prefix = r.rfc + "-" + r.section + "-";
    if (r.id.compare(0, prefix.size(), prefix) != 0) {
      d.add(id->mark(), "requirement id '" + r.id + "' does not start with its rfc and section ('" +
                            prefix + "')");
      ok = false;
    }
  }
  ok = ok && id_ok && rfc_ok && section_ok;
  if (level) {
    auto s = read_string(*level, d);
    auto parsed = s ? level_from(*s) : std::nullopt;
    if (parsed) {
      r.level = *parsed;
    } else {
      if (s)
        d.add(level->mark(),
              "'level' must be one of: MUST, MUST NOT, SHOULD, SHOULD NOT, MAY; got '" +
                  short_text(*s) + "'");
      ok = false;
    }
  }
  if (summary) {
    auto s = read_nonempty_string(*summary, d);
    ok = ok && s;
    if (s) r.summary = *s;
  }
  if (link) {
    if (auto s = read_string(*link, d)) {
      r.link = *s;
      if (r.link.rfind("https://", 0) != 0 && r.link.rfind("http://", 0) != 0) {
        d.add(link->mark(), "'link' must be an http(s) URL, got '" + short_text(r.link) + "'");
        ok = false;
      }
    } else {
      ok = false;
    }
  }
  if (const Entry* observable = m.find("observable")) {
    auto b = read_bool(*observable, d);
    ok = ok && b;
    r.observable = b.value_or(true);
  }
  const Entry* reason = m.find("unobservable_reason");
  if (!r.observable && !reason) {
    d.add(node.Mark(),
          "missing required key 'unobservable_reason' in requirement (needed when observable is "
          "false)");
    ok = false;
  }
  if (reason) {
    if (r.observable) {
      d.add(reason->key_node.Mark(),
            "'unobservable_reason' is only allowed when observable is false");
      ok = false;
    } else if (auto s = read_nonempty_string(*reason, d)) {
      r.unobservable_reason = *s;
    } else {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return r;
}

std::vector<Requirement> read_catalog(const YAML::Node& root, Diagnostics& d) {
  std::vector<Requirement> out;
  Mapping top(root, YAML::Mark::null_mark(), "catalog", {"requirements"}, d);
  const Entry* list = top.require("requirements");
  if (!list) return out;
  if (!list->value.IsSequence() || list->value.size() == 0) {
    d.add(list->mark(), "'requirements' must be a non-empty list, got " + describe(list->value));
    return out;
  }
  std::map<std::string, SourceLocation> seen;
  for (const auto& item : list->value) {
    auto r = read_requirement(item, list->key_node.Mark(), d);
    if (!r) continue;
    auto [it, inserted] = seen.emplace(r->id, r->where);
    if (!inserted) {
      d.add(r->where, "duplicate requirement id '" + r->id + "' (first defined at " +
                          where_text(it->second) + ")");
      continue;
    }
    out.push_back(std::move(*r));
  }
  // Summaries and reasons point readers at other rows ("judged as ..."); a
  // mistyped or re-wrapped id would send them nowhere.
  static const std::regex kMentionedId(R"(\b9[0-9]{3}-[0-9.]*[0-9]-[a-z0-9]+(-[a-z0-9]+)*)");
  for (const auto& r : out) {
    for (const std::string* text : {&r.summary, &r.unobservable_reason}) {
      for (std::sregex_iterator it(text->begin(), text->end(), kMentionedId), end; it != end;
           ++it) {
        const std::string id = it->str();
        if (!seen.contains(id))
          d.add(r.where, "requirement '" + r.id + "' mentions unknown requirement '" + id + "'");
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Scenario files.

class CaseFileReader {
 public:
  CaseFileReader(Diagnostics& d, const std::vector<Requirement>& catalog)
      : d_(d), catalog_(catalog) {}

  std::vector<Scenario> read(const YAML::Node& root, CaseFile* info) {
    std::vector<Scenario> out;
    Mapping top(root, YAML::Mark::null_mark(), "case file", {"section", "title", "scenarios"}, d_);
    CaseFile file;
    file.path = d_.file();
    if (const Entry* section = top.require("section")) {
      if (auto s = read_string(*section, d_)) {
        file.section = *s;
        if (!is_section_number(file.section))
          d_.add(section->mark(), "'section' must be a section number such as \"13.1.2\", got '" +
                                      short_text(file.section) + "'");
      }
    }
    if (const Entry* title = top.require("title"))
      file.title = read_nonempty_string(*title, d_).value_or("");
    if (info) *info = file;
    const Entry* scenarios = top.require("scenarios");
    if (!scenarios) return out;
    if (!scenarios->value.IsSequence() || scenarios->value.size() == 0) {
      d_.add(scenarios->mark(),
             "'scenarios' must be a non-empty list, got " + describe(scenarios->value));
      return out;
    }
    std::map<std::string, SourceLocation> seen;
    for (const auto& item : scenarios->value) {
      auto scenario = read_scenario(item, scenarios->key_node.Mark(), file);
      if (!scenario) continue;
      auto [it, inserted] = seen.emplace(scenario->id, scenario->where);
      if (!inserted) {
        d_.add(scenario->where, "duplicate scenario id '" + scenario->id + "' (first defined at " +
                                    where_text(it->second) + ")");
        continue;
      }
      out.push_back(std::move(*scenario));
    }
    return out;
  }

 private:
  std::optional<Scenario> read_scenario(const YAML::Node& node, const YAML::Mark& fallback,
                                        const CaseFile& file) {
    Mapping m(node, fallback, "scenario", {"id", "title", "why", "tags", "needs", "steps"}, d_);
    if (!m.valid()) return std::nullopt;
    const size_t errors_before = error_count();
    Scenario s;
    s.where = d_.at(node.Mark());
    s.section = file.section;
    s.file = d_.file();
    bool has_id = false;
    if (const Entry* id = m.require("id")) {
      if (auto text = read_string(*id, d_)) {
        s.id = *text;
        has_id = is_slug(s.id);
        if (!has_id)
          d_.add(id->mark(), "scenario id '" + short_text(s.id) +
                                 "' must be lowercase letters and digits joined by '-', e.g. "
                                 "inm-weak-tag");
      }
    }
    if (const Entry* title = m.require("title"))
      s.title = read_nonempty_string(*title, d_).value_or("");
    if (const Entry* why = m.find("why")) s.why = read_string(*why, d_).value_or("");
    if (const Entry* tags = m.find("tags")) {
      for (auto& [tag, tag_node] : read_string_list(*tags, d_).value_or(StringItems{})) {
        if (!is_slug(tag)) {
          d_.add(tag_node.Mark(), "tag '" + short_text(tag) +
                                      "' must be lowercase letters and digits joined by '-', e.g. "
                                      "weak-comparison");
          continue;
        }
        s.tags.push_back(tag);
      }
    }
    if (const Entry* needs = m.find("needs")) {
      for (auto& [fact, fact_node] : read_string_list(*needs, d_).value_or(StringItems{})) {
        if (!find_fact(fact)) {
          std::string known;
          for (const auto& f : known_facts())
            known += (known.empty() ? "" : ", ") + std::string(f.name);
          d_.add(fact_node.Mark(),
                 "unknown fact '" + short_text(fact) + "' in needs (known: " + known + ")");
          continue;
        }
        s.needs.push_back(fact);
      }
    }
    if (const Entry* steps = m.require("steps")) {
      if (!steps->value.IsSequence() || steps->value.size() == 0) {
        d_.add(steps->mark(), "'steps' must be a non-empty list, got " + describe(steps->value));
      } else {
        std::map<std::string, SourceLocation> seen;
        std::vector<std::string> earlier;
        int index = 0;
        for (const auto& item : steps->value) {
          ++index;
          auto step = read_step(item, steps->key_node.Mark(), s, earlier, index);
          // A step with errors still counts as earlier for the steps after
          // it, so its mistakes are not reported again as unknown steps.
          const std::string id = step ? step->id : written_id(item);
          if (id.empty()) continue;
          auto [it, inserted] = seen.emplace(id, d_.at(item.Mark()));
          if (!inserted) {
            d_.add(item.Mark(), "duplicate step id '" + id + "' (first defined at " +
                                    where_text(it->second) + ")");
            continue;
          }
          earlier.push_back(id);
          if (step) s.steps.push_back(std::move(*step));
        }
      }
    }
    if (!has_id || error_count() != errors_before) return std::nullopt;
    return s;
  }

  static std::string written_id(const YAML::Node& step) {
    if (!step.IsMap()) return "";
    for (auto it = step.begin(); it != step.end(); ++it)
      if (it->first.IsScalar() && it->first.Scalar() == "id" && it->second.IsScalar())
        return it->second.Scalar();
    return "";
  }

  bool needs(const Scenario& s, std::string_view fact) const {
    return std::find(s.needs.begin(), s.needs.end(), fact) != s.needs.end();
  }

  std::optional<Step> read_step(const YAML::Node& node, const YAML::Mark& fallback,
                                const Scenario& scenario, const std::vector<std::string>& earlier,
                                int index) {
    Mapping m(node, fallback, "step", {"id", "request", "assume", "expect"}, d_);
    if (!m.valid()) return std::nullopt;
    const size_t errors_before = error_count();
    Step step;
    step.where = d_.at(node.Mark());
    if (const Entry* id = m.require("id")) {
      if (auto text = read_string(*id, d_)) {
        step.id = *text;
        if (step.id == "now") {
          d_.add(id->mark(),
                 "step id 'now' is reserved: templates use 'now' for the tester's clock");
        } else if (!is_step_id(step.id)) {
          d_.add(id->mark(), "step id '" + short_text(step.id) +
                                 "' must start with a lowercase letter and use only a-z, 0-9 and "
                                 "'_', e.g. first");
        }
      }
    }
    const std::string name =
        step.id.empty() ? "#" + std::to_string(index) : step.id;  // for messages only
    if (const Entry* request = m.find("request"))
      read_request(*request, step, name, scenario, earlier);
    if (const Entry* assume = m.find("assume")) {
      Mapping a(assume->value, assume->key_node.Mark(), "assume", {"status", "date"}, d_);
      if (const Entry* status = a.require("status"))
        step.assume_status = read_statuses(*status, d_).value_or(std::vector<int>{});
      if (const Entry* date = a.find("date")) step.assume_date = read_template(*date, earlier);
    }
    if (const Entry* expect = m.find("expect")) {
      if (!expect->value.IsSequence()) {
        d_.add(expect->mark(), "'expect' must be a list, got " + describe(expect->value));
      } else {
        for (const auto& item : expect->value) {
          if (auto e = read_expectation(item, expect->key_node.Mark(), earlier))
            step.expect.push_back(std::move(*e));
        }
      }
    }
    if (error_count() != errors_before) return std::nullopt;
    return step;
  }

  void read_request(const Entry& entry, Step& step, const std::string& name,
                    const Scenario& scenario, const std::vector<std::string>& earlier) {
    Mapping m(entry.value, entry.key_node.Mark(), "request",
              {"method", "resource", "version", "headers", "body", "split_before"}, d_);
    if (!m.valid()) return;
    RequestSpec& r = step.request;
    const Entry* method = m.find("method");
    bool method_ok = true;
    if (method) {
      auto text = read_string(*method, d_);
      method_ok = text.has_value();
      if (text) {
        r.method = *text;
        if (!is_token(r.method) || std::any_of(r.method.begin(), r.method.end(),
                                               [](char c) { return c >= 'a' && c <= 'z'; })) {
          d_.add(method->mark(),
                 "method '" + short_text(r.method) + "' must be an uppercase token such as GET");
          method_ok = false;
        }
      }
    }
    const Entry* resource = m.find("resource");
    if (resource) {
      if (auto text = read_string(*resource, d_)) {
        if (*text == "target")
          r.resource = Resource::target;
        else if (*text == "unsafe")
          r.resource = Resource::unsafe;
        else if (*text == "missing")
          r.resource = Resource::missing;
        else
          d_.add(resource->mark(), "'resource' must be one of: target, unsafe, missing; got '" +
                                       short_text(*text) + "'");
      }
    }
    if (const Entry* version = m.find("version")) {
      if (auto text = read_string(*version, d_)) {
        if (*text == "HTTP/1.1" || *text == "HTTP/1.0")
          r.version = *text;
        else
          d_.add(version->mark(),
                 "'version' must be HTTP/1.1 or HTTP/1.0, got '" + short_text(*text) + "'");
      }
    }
    if (const Entry* headers = m.find("headers")) read_headers(*headers, r, earlier);
    if (const Entry* body = m.find("body")) r.body = read_template(*body, earlier);
    if (const Entry* split = m.find("split_before")) read_split_before(*split, r, name);

    // condspec never sends an unsafe method to the URL under test.
    const bool unsafe_method =
        method && method_ok && r.method != "GET" && r.method != "HEAD" && r.method != "OPTIONS";
    bool said_unsafe_url = false;
    if (unsafe_method && !needs(scenario, fact::unsafe_url)) {
      d_.add(method->mark(),
             "step '" + name + "' uses " + r.method +
                 "; a scenario with unsafe methods must list 'unsafe-url' in needs");
      said_unsafe_url = true;
    }
    if (unsafe_method && r.resource != Resource::unsafe)
      d_.add(method->mark(), "step '" + name + "' uses " + r.method +
                                 "; unsafe methods may only be sent to 'resource: unsafe'");
    if (r.resource == Resource::unsafe && !said_unsafe_url && !needs(scenario, fact::unsafe_url))
      d_.add(resource->mark(), "step '" + name +
                                   "' uses 'resource: unsafe'; the scenario must list "
                                   "'unsafe-url' in needs");
    if (r.resource == Resource::missing && !needs(scenario, fact::missing_404))
      d_.add(resource->mark(), "step '" + name +
                                   "' uses 'resource: missing'; the scenario must list "
                                   "'missing-404' in needs");
  }

  // split_before names a field line the step sends, so there is something
  // to split before (Host, added by condspec, is not one of them).
  void read_split_before(const Entry& split, RequestSpec& r, const std::string& name) {
    auto text = read_string(split, d_);
    if (!text || !check_field_name(*text, split.mark(), d_)) return;
    auto sent = std::find_if(r.fields.begin(), r.fields.end(),
                             [&](const auto& field) { return iequals(field.first, *text); });
    if (sent == r.fields.end()) {
      std::vector<std::string> names;
      for (const auto& field : r.fields) names.push_back(field.first);
      d_.add(split.mark(), "'split_before' names '" + short_text(*text) + "', which step '" + name +
                               "' does not send" +
                               (names.empty() ? std::string(" (it sends no header fields)")
                                              : " (it sends: " + join(names, ", ") + ")"));
      return;
    }
    r.split_before = *text;
  }

  void read_header(const YAML::Node& key, const YAML::Node& value, RequestSpec& r,
                   const std::vector<std::string>& earlier) {
    if (!key.IsScalar()) {
      d_.add(key.Mark(), "field names in 'headers' must be strings, got " + describe(key));
      return;
    }
    Entry entry{key.Scalar(), key, value};
    const bool name_ok = check_field_name(entry.key, key.Mark(), d_);
    if (!value.IsScalar()) {
      d_.add(entry.mark(), "the value of field '" + short_text(entry.key) +
                               "' must be a string, got " + describe(value) +
                               " (write '' for an empty value)");
      return;
    }
    auto t = read_template(entry, earlier);
    if (name_ok && t) r.fields.emplace_back(entry.key, std::move(*t));
  }

  void read_headers(const Entry& headers, RequestSpec& r, const std::vector<std::string>& earlier) {
    if (headers.value.IsMap()) {
      std::map<std::string, YAML::Mark> seen;
      for (auto it = headers.value.begin(); it != headers.value.end(); ++it) {
        if (it->first.IsScalar()) {
          auto [first, inserted] = seen.emplace(it->first.Scalar(), it->first.Mark());
          if (!inserted) {
            const SourceLocation at = d_.at(first->second);
            d_.add(it->first.Mark(), "duplicate field '" + it->first.Scalar() +
                                         "' in headers (first at " + std::to_string(at.line) + ":" +
                                         std::to_string(at.column) +
                                         "); to send a field twice, use the list form");
            continue;
          }
        }
        read_header(it->first, it->second, r, earlier);
      }
      return;
    }
    if (headers.value.IsSequence()) {
      for (const auto& item : headers.value) {
        if (!item.IsMap() || item.size() != 1) {
          d_.add(item.IsNull() ? headers.key_node.Mark() : item.Mark(),
                 "each item of 'headers' must be a mapping with one field, such as "
                 "- If-None-Match: '\"x\"'; got " +
                     (item.IsMap() ? std::to_string(item.size()) + " fields" : describe(item)));
          continue;
        }
        auto it = item.begin();
        read_header(it->first, it->second, r, earlier);
      }
      return;
    }
    d_.add(headers.mark(),
           "'headers' must be a mapping of field names to values, or a list of "
           "single-field mappings; got " +
               describe(headers.value));
  }

  std::optional<Template> read_template(const Entry& e, const std::vector<std::string>& earlier) {
    auto text = read_string(e, d_);
    if (!text) return std::nullopt;
    const SourceLocation start = text_start(e.value, d_);
    auto t = parse_template(*text, start);
    if (!t) {
      d_.add_located(location_of(t.error().message, start), t.error().message);
      return std::nullopt;
    }
    auto checked = check_template(*t, earlier);
    if (!checked) {
      d_.add_located(location_of(checked.error().message, start), checked.error().message);
      return std::nullopt;
    }
    return std::move(*t);
  }

  std::optional<std::string> read_step_reference(const Entry& e,
                                                 const std::vector<std::string>& earlier) {
    auto text = read_string(e, d_);
    if (!text) return std::nullopt;
    if (std::find(earlier.begin(), earlier.end(), *text) == earlier.end()) {
      d_.add(e.mark(),
             "unknown step '" + short_text(*text) + "' (" + earlier_steps_text(earlier) + ")");
      return std::nullopt;
    }
    return text;
  }

  std::vector<std::string> read_field_names(const Entry& e) {
    std::vector<std::string> names;
    auto items = read_string_list(e, d_);
    if (!items) return names;
    if (items->empty() && e.value.size() == 0)
      d_.add(e.mark(), "'" + e.key + "' must list at least one field name");
    for (auto& [name, node] : *items)
      if (check_field_name(name, node.Mark(), d_)) names.push_back(name);
    return names;
  }

  std::optional<CheckSpec> read_check(const Entry& e, const std::vector<std::string>& earlier) {
    const std::string& kind = e.key;
    if (kind == "status") {
      auto statuses = read_statuses(e, d_);
      if (!statuses) return std::nullopt;
      return StatusCheck{std::move(*statuses)};
    }
    if (kind == "no_content") {
      if (!read_true(e, d_)) return std::nullopt;
      return NoContentCheck{};
    }
    if (kind == "last_modified_not_after_date") {
      if (!read_true(e, d_)) return std::nullopt;
      return LastModifiedNotAfterDateCheck{};
    }
    if (kind == "etag_syntax") {
      if (!read_true(e, d_)) return std::nullopt;
      return EtagSyntaxCheck{};
    }
    if (kind == "date_syntax") return DateSyntaxCheck{read_field_names(e)};
    if (kind == "date_whitespace") return DateWhitespaceCheck{read_field_names(e)};
    if (kind == "date_near_now") {
      auto seconds = read_tolerance_seconds(e, d_);
      if (!seconds) return std::nullopt;
      return DateNearNowCheck{*seconds};
    }
    if (kind == "content_length_exact") {
      if (!read_true(e, d_)) return std::nullopt;
      return ContentLengthExactCheck{};
    }
    if (kind == "responds") {
      if (!read_true(e, d_)) return std::nullopt;
      return RespondsCheck{};
    }
    if (kind == "exclusive_fields") {
      ExclusiveFieldsCheck check{read_field_names(e)};
      if (check.fields.size() == 1)
        d_.add(e.mark(), "'exclusive_fields' must list at least two field names");
      return check;
    }
    if (kind == "stored_as_sent" || kind == "strong_etag_differs") {
      Mapping m(e.value, e.key_node.Mark(), kind, {"step"}, d_);
      if (!m.valid()) return std::nullopt;
      std::string step;
      if (const Entry* s = m.require("step")) step = read_step_reference(*s, earlier).value_or("");
      if (kind == "stored_as_sent") return StoredAsSentCheck{step};
      return StrongTagDiffersCheck{step};
    }
    if (kind == "field") return read_field_check(e, earlier);
    if (kind == "same_fields_as") {
      Mapping m(e.value, e.key_node.Mark(), "same_fields_as", {"step", "fields", "compare"}, d_);
      if (!m.valid()) return std::nullopt;
      SameFieldsCheck check;
      if (const Entry* step = m.require("step"))
        check.step = read_step_reference(*step, earlier).value_or("");
      if (const Entry* fields = m.require("fields")) check.fields = read_field_names(*fields);
      if (const Entry* compare = m.find("compare")) {
        auto text = read_string(*compare, d_);
        if (text && *text == "presence") {
          check.presence_only = true;
        } else if (text && *text == "value-if-present") {
          check.only_when_present = true;
        } else if (text && *text != "value") {
          d_.add(compare->mark(), "'compare' must be value, presence or value-if-present, got '" +
                                      short_text(*text) + "'");
        }
      }
      return check;
    }
    if (kind == "content_equals") {
      Mapping m(e.value, e.key_node.Mark(), "content_equals", {"step", "range"}, d_);
      if (!m.valid()) return std::nullopt;
      ContentCheck check;
      if (const Entry* step = m.require("step"))
        check.step = read_step_reference(*step, earlier).value_or("");
      if (const Entry* range = m.find("range")) check.range = read_range(*range);
      return check;
    }
    // content_length_consistent
    Mapping m(e.value, e.key_node.Mark(), "content_length_consistent", {"step"}, d_);
    if (!m.valid()) return std::nullopt;
    ContentLengthCheck check;
    if (const Entry* step = m.require("step"))
      check.step = read_step_reference(*step, earlier).value_or("");
    return check;
  }

  std::optional<std::pair<std::uint64_t, std::uint64_t>> read_range(const Entry& e) {
    auto text = read_string(e, d_);
    if (!text) return std::nullopt;
    std::smatch parts;
    std::uint64_t first = 0, last = 0;
    const std::regex shape("([0-9]{1,18})-([0-9]{1,18})");
    if (!std::regex_match(*text, parts, shape)) {
      d_.add(e.mark(), "'range' must be first-last byte positions such as \"0-0\", got '" +
                           short_text(*text) + "'");
      return std::nullopt;
    }
    const std::string a = parts[1], b = parts[2];
    std::from_chars(a.data(), a.data() + a.size(), first);
    std::from_chars(b.data(), b.data() + b.size(), last);
    if (first > last) {
      d_.add(e.mark(), "'range' " + *text + " ends before it starts");
      return std::nullopt;
    }
    return std::pair{first, last};
  }

  std::optional<CheckSpec> read_field_check(const Entry& e,
                                            const std::vector<std::string>& earlier) {
    Mapping m(e.value, e.key_node.Mark(), "field",
              {"name", "present", "absent", "equals", "differs", "matches"}, d_);
    if (!m.valid()) return std::nullopt;
    FieldCheck check;
    if (const Entry* name = m.require("name")) {
      if (auto text = read_string(*name, d_))
        if (check_field_name(*text, name->mark(), d_)) check.name = *text;
    }
    std::vector<const Entry*> ops;
    for (const auto& entry : m.entries())
      if (entry.key != "name") ops.push_back(&entry);
    if (ops.empty()) {
      d_.add(m.mark(), "field check needs one of: present, absent, equals, differs, matches");
      return std::nullopt;
    }
    if (ops.size() > 1) {
      std::string names;
      for (auto* op : ops) names += (names.empty() ? "'" : ", '") + op->key + "'";
      d_.add(m.mark(), "field check has " + std::to_string(ops.size()) + " conditions (" + names +
                           "); use exactly one");
      return std::nullopt;
    }
    const Entry& op = *ops.front();
    if (op.key == "present" || op.key == "absent") {
      check.op = op.key == "present" ? FieldCheck::Op::present : FieldCheck::Op::absent;
      read_true(op, d_);
    } else if (op.key == "equals" || op.key == "differs") {
      check.op = op.key == "equals" ? FieldCheck::Op::equals : FieldCheck::Op::differs;
      if (auto t = read_template(op, earlier)) check.value = std::move(*t);
    } else {
      check.op = FieldCheck::Op::matches;
      if (auto pattern = read_string(op, d_)) {
        if (pattern->size() > kMaxPatternBytes) {
          d_.add(op.mark(), "'matches' is too long: " + std::to_string(pattern->size()) +
                                " bytes (at most " + std::to_string(kMaxPatternBytes) + ")");
          return std::nullopt;
        }
        try {
          std::regex compiled(*pattern, std::regex::ECMAScript);
        } catch (const std::regex_error& error) {
          d_.add(op.mark(), "'matches' is not a valid regular expression: " + regex_problem(error));
        }
        // A regex is not a template ({{ is ordinary regex text); keep it literal.
        check.value.source = *pattern;
        check.value.where = text_start(op.value, d_);
        check.value.pieces.push_back({*pattern, std::nullopt});
      }
    }
    return check;
  }

  std::optional<Expectation> read_expectation(const YAML::Node& node, const YAML::Mark& fallback,
                                              const std::vector<std::string>& earlier) {
    static const std::vector<std::string_view> kChecks = {"status",
                                                          "field",
                                                          "same_fields_as",
                                                          "no_content",
                                                          "content_equals",
                                                          "content_length_consistent",
                                                          "last_modified_not_after_date",
                                                          "etag_syntax",
                                                          "date_syntax",
                                                          "date_whitespace",
                                                          "date_near_now",
                                                          "content_length_exact",
                                                          "exclusive_fields",
                                                          "stored_as_sent",
                                                          "strong_etag_differs",
                                                          "responds"};
    std::vector<std::string_view> keys = {"requirement"};
    keys.insert(keys.end(), kChecks.begin(), kChecks.end());
    Mapping m(node, fallback, "expectation", keys, d_);
    if (!m.valid()) return std::nullopt;
    const size_t errors_before = error_count();
    Expectation x;
    x.where = d_.at(node.Mark());
    if (const Entry* requirement = m.require("requirement")) {
      if (auto id = read_string(*requirement, d_)) {
        x.requirement = *id;
        const bool known = std::any_of(catalog_.begin(), catalog_.end(),
                                       [&](const Requirement& r) { return r.id == *id; });
        if (!known) d_.add(requirement->mark(), "unknown requirement '" + short_text(*id) + "'");
      }
    }
    std::vector<const Entry*> checks;
    for (const auto& entry : m.entries())
      if (entry.key != "requirement") checks.push_back(&entry);
    if (checks.empty()) {
      std::string names;
      for (auto k : kChecks) names += (names.empty() ? "" : ", ") + std::string(k);
      d_.add(node.Mark(), "expectation has no check (expected one of: " + names + ")");
    } else if (checks.size() > 1) {
      std::string names;
      for (auto* c : checks) names += (names.empty() ? "'" : ", '") + c->key + "'";
      d_.add(node.Mark(), "expectation has " + std::to_string(checks.size()) + " checks (" + names +
                              "); use one check per item");
    } else if (auto check = read_check(*checks.front(), earlier)) {
      x.check = std::move(*check);
    }
    if (error_count() != errors_before) return std::nullopt;
    return x;
  }

  size_t error_count() const { return d_.size(); }

  Diagnostics& d_;
  const std::vector<Requirement>& catalog_;
};

std::optional<YAML::Node> load_yaml(std::string_view yaml, Diagnostics& d) {
  try {
    return YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    d.add(e.mark, "invalid YAML: " + e.msg);
    return std::nullopt;
  }
}

// Runs `read` and turns any exception a library throws into a diagnostic, so
// none crosses the public API.
template <class F>
void guarded(Diagnostics& d, F&& read) {
  try {
    read();
  } catch (const YAML::Exception& e) {
    d.add(e.mark, "invalid YAML: " + e.msg);
  } catch (const std::exception& e) {
    d.add_unlocated(std::string("cannot read: ") + e.what());
  }
}

std::vector<Requirement> catalog_of(std::string_view yaml, Diagnostics& d) {
  std::vector<Requirement> out;
  auto root = load_yaml(yaml, d);
  if (root) guarded(d, [&] { out = read_catalog(*root, d); });
  return out;
}

std::vector<Scenario> scenarios_of(std::string_view yaml, Diagnostics& d,
                                   const std::vector<Requirement>& catalog, CaseFile* info) {
  std::vector<Scenario> out;
  auto root = load_yaml(yaml, d);
  if (root) guarded(d, [&] { out = CaseFileReader(d, catalog).read(*root, info); });
  return out;
}

}  // namespace

Result<std::vector<Requirement>> parse_catalog(std::string_view yaml, std::string_view file_name) {
  Diagnostics d(std::string(file_name), yaml);
  auto requirements = catalog_of(yaml, d);
  if (!d.empty()) return Error{join(d.lines(), "\n")};
  return requirements;
}

Result<std::vector<Scenario>> parse_case_file(std::string_view yaml, std::string_view file_name,
                                              const std::vector<Requirement>& catalog,
                                              CaseFile* info) {
  Diagnostics d(std::string(file_name), yaml);
  auto scenarios = scenarios_of(yaml, d, catalog, info);
  if (!d.empty()) return Error{join(d.lines(), "\n")};
  return scenarios;
}

Result<Suite> load_suite(const std::filesystem::path& cases_dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(cases_dir, ec))
    return Error{cases_dir.string() +
                 ": not a directory (expected the cases directory with requirements.yaml)"};
  std::vector<std::string> names;
  // The non-throwing increment: errors are values, even mid-listing.
  std::filesystem::directory_iterator it(cases_dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    std::error_code type_ec;
    if (name != "requirements.yaml" && it->path().extension() == ".yaml" &&
        it->is_regular_file(type_ec))
      names.push_back(name);
  }
  if (ec) return Error{cases_dir.string() + ": cannot list the directory: " + ec.message()};
  std::sort(names.begin(), names.end());

  Suite suite;
  const std::string catalog_file = (cases_dir / "requirements.yaml").string();
  auto catalog_text = read_file(cases_dir / "requirements.yaml");
  if (!catalog_text) return Error{catalog_file + ": cannot read the requirement catalog"};
  Diagnostics catalog_diagnostics(catalog_file, *catalog_text);
  suite.requirements = catalog_of(*catalog_text, catalog_diagnostics);
  // Scenarios are checked against the catalog; with a broken catalog every
  // scenario would report phantom unknown requirements, so stop here.
  if (!catalog_diagnostics.empty()) return Error{join(catalog_diagnostics.lines(), "\n")};

  std::vector<std::string> all;
  std::map<std::string, SourceLocation> seen;
  for (const auto& name : names) {
    const std::string file = (cases_dir / name).string();
    auto text = read_file(cases_dir / name);
    if (!text) {
      all.push_back(file + ": cannot read the case file");
      continue;
    }
    Diagnostics d(file, *text);
    CaseFile info;
    auto scenarios = scenarios_of(*text, d, suite.requirements, &info);
    info.path = file;
    for (auto& scenario : scenarios) {
      auto [it, inserted] = seen.emplace(scenario.id, scenario.where);
      if (!inserted) {
        d.add(scenario.where, "duplicate scenario id '" + scenario.id + "' (first defined at " +
                                  where_text(it->second) + ")");
        continue;
      }
      suite.scenarios.push_back(std::move(scenario));
    }
    suite.files.push_back(std::move(info));
    for (auto& line : d.lines()) all.push_back(std::move(line));
  }
  if (!all.empty()) return Error{join(all, "\n")};
  return suite;
}

}  // namespace condspec
