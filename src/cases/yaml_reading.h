#pragma once
// Reading a hand-written YAML file into values, reporting every problem where
// it is instead of stopping at the first. The case loader reads the catalog
// and the scenario files with it, the runner its baseline file.
//
// A reader walks the nodes (yaml_document.h) with Mapping (the keys a mapping may
// have) and the typed readers below; each problem becomes a Diagnostic in
// the file's Diagnostics, which hands them back in file order, each with the
// line it points at.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "src/cases/diagnostic.h"
#include "src/cases/yaml_document.h"

namespace condspec {

// The problems of one file, shown in file order whatever order they were
// found in.
class Diagnostics {
 public:
  // `source` is the file's text; it must outlive this object.
  Diagnostics(std::string file, std::string_view source)
      : file_(std::move(file)), source_(source) {}

  const std::string& file() const { return file_; }
  std::string_view source() const { return source_; }

  // A mark (0-based) as a location in this file; 1:1 when unknown.
  SourceLocation at(const YamlMark& mark) const;

  void add(const SourceLocation& where, std::string message);
  void add(const YamlMark& mark, std::string message) { add(at(mark), std::move(message)); }
  // A diagnostic found elsewhere (the template parser's), located in this file.
  void add(Diagnostic diagnostic);
  // About the file as a whole.
  void add_unlocated(std::string message) { add(SourceLocation{file_, 0, 0}, std::move(message)); }

  bool empty() const { return size() == 0; }
  // Every problem found, kept or not.
  size_t size() const { return items_.size() + not_kept_; }

  // At most this many problems of a file are kept and shown: a file with a
  // problem in every item of a huge list costs bounded memory and time.
  static constexpr size_t kMaxKept = 100;

  // By line and column (the file as a whole first; equal places in the order
  // found), each with the part of the source line around its column; then,
  // when more problems were found than kept, a last one saying how many.
  std::vector<Diagnostic> sorted() const;

 private:
  std::string file_;
  std::string_view source_;
  std::vector<Diagnostic> items_;
  size_t not_kept_ = 0;
};

// A value quoted in a message: at most 60 bytes, on one line.
std::string short_text(const std::string& s);

// A node in a message: "nothing", "a list", "a mapping" or the quoted scalar.
std::string describe(const YamlNode& node);

// One key of a mapping with its value. Errors about a value point at the
// value, or at the key when there is no value (an empty value's mark is
// not where a reader looks). The nodes belong to the document being read.
struct Entry {
  std::string key;
  const YamlNode& key_node;
  const YamlNode& value;

  YamlMark mark() const { return value.is_null() ? key_node.mark() : value.mark(); }
};

// How a Mapping words its own problems. Empty members keep the wording of
// the case format ("<what> must be a mapping, got ...", "unknown key 'k' in
// <what> (expected one of: ...)"); a file format whose messages were worded
// otherwise (the baseline) sets them.
struct MappingWords {
  std::string not_a_mapping;
  std::function<std::string(std::string_view key)> unknown_key;
};

// A YAML mapping checked against the keys it may have: not a mapping, keys
// that are not names, unknown keys and repeated keys are reported when it is
// built; entries() holds the rest.
class Mapping {
 public:
  // `fallback` locates problems of a mapping that is not there at all (an
  // empty value has no useful mark of its own); `what` names it in messages.
  Mapping(const YamlNode& node, const YamlMark& fallback, std::string what,
          std::vector<std::string_view> keys, Diagnostics& d, MappingWords words = {});

  bool valid() const { return valid_; }
  const std::vector<Entry>& entries() const { return entries_; }
  YamlMark mark() const { return node_.mark(); }

  const Entry* find(std::string_view key) const;
  // find(), reporting a missing key at the mapping.
  const Entry* require(std::string_view key) const;

 private:
  void add_entry(Entry entry, const std::vector<std::string_view>& keys);

  const YamlNode& node_;
  std::string what_;
  Diagnostics& d_;
  MappingWords words_;
  bool valid_ = false;
  std::vector<Entry> entries_;
};

// Typed readers: the value of `e`, or nullopt after reporting why not.
std::optional<std::string> read_string(const Entry& e, Diagnostics& d);
std::optional<std::string> read_nonempty_string(const Entry& e, Diagnostics& d);
std::optional<bool> read_bool(const Entry& e, Diagnostics& d);
// For checks that exist only in their positive form (`no_content: true`):
// false when the value is not true, after reporting it.
bool read_true(const Entry& e, Diagnostics& d);

// The items of a list, each a scalar, with its node (for locations). Items
// that are not scalars are reported and left out; nullopt when it is not a list.
using StringItems = std::vector<std::pair<std::string, const YamlNode*>>;
std::optional<StringItems> read_string_list(const Entry& e, Diagnostics& d);

// A scalar that is a whole decimal number (no sign, no spaces), or nullopt.
std::optional<long> parse_integer(const YamlNode& node);

// The most nodes (scalars, lists, mappings) a file may have: each node of
// the tree costs some 150 bytes beside its text, so this bounds what a file
// costs whatever its shape.
constexpr size_t kMaxYamlNodes = 100'000;

// The document in `text`; nullopt after reporting a syntax error, whose
// message is `prefix` and libyaml's own, or more than kMaxYamlNodes nodes
// (counted as libyaml streams them, before the tree is built).
std::optional<YamlDocument> load_yaml(std::string_view text, Diagnostics& d,
                                      std::string_view prefix = "invalid YAML: ");

// Runs `read` and turns any exception a library throws while reading (an
// allocation, say) into a diagnostic, so none crosses the public API.
template <class F>
void guarded(Diagnostics& d, F&& read) {
  try {
    read();
  } catch (const std::exception& e) {
    d.add_unlocated(std::string("cannot read: ") + e.what());
  }
}

}  // namespace condspec
