#pragma once
// A YAML document read into a tree of nodes, each knowing where it starts in
// the text. The readers of hand-written files (yaml_reading.h) walk it.
//
// libyaml (Debian libyaml-dev) parses: it reads the shipped cases about
// seven times faster than yaml-cpp did, which is most of condspec's start-up
// (README "Speed and memory"). Nodes keep what yaml-cpp's did, so the
// diagnostics point at the same places:
//   * marks are 0-based lines and columns in bytes (libyaml counts
//     characters; they are converted), at a node's first character: the
//     quote of a quoted scalar, the | or > of a block scalar, the first key
//     of a block mapping, the first '-' of a block sequence, the anchor or tag
//     when there is one;
//   * a plain scalar that is empty, ~, null, Null or NULL is a null node (no
//     value), as is a missing value (`key:`);
//   * an alias is the node it refers to (shared, not copied);
//   * only the first document of a stream is read.
// YAML forbids control characters other than tab and line breaks anywhere in
// a file, and so does libyaml: such a byte is a syntax error at its place.

#include <deque>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "src/core/result.h"

namespace condspec {

struct YamlMark {
  int pos = -1;     // byte offset in the text, 0-based; -1 when unknown
  int line = -1;    // 0-based
  int column = -1;  // 0-based, in bytes
  bool is_null() const { return line < 0; }
  bool operator==(const YamlMark&) const = default;
};

class YamlNode {
 public:
  enum class Kind { null, scalar, sequence, map };
  struct Pair {
    const YamlNode* key;
    const YamlNode* value;
  };

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::null; }
  bool is_scalar() const { return kind_ == Kind::scalar; }
  bool is_sequence() const { return kind_ == Kind::sequence; }
  bool is_map() const { return kind_ == Kind::map; }

  // The text of a scalar; empty for every other kind.
  const std::string& scalar() const { return scalar_; }
  const YamlMark& mark() const { return mark_; }
  // The items of a sequence; empty for every other kind.
  const std::vector<const YamlNode*>& items() const { return items_; }
  // The pairs of a map in file order, repeated keys included; empty for
  // every other kind.
  const std::vector<Pair>& pairs() const { return pairs_; }
  // Items of a sequence, pairs of a map, 0 for the rest.
  size_t size() const { return is_map() ? pairs_.size() : items_.size(); }
  // The value of the first pair whose key is the scalar `key`; nullptr when
  // there is none (or this is not a map).
  const YamlNode* find(std::string_view key) const;

 private:
  friend class YamlTreeBuilder;
  Kind kind_ = Kind::null;
  YamlMark mark_;
  std::string scalar_;
  std::vector<const YamlNode*> items_;
  std::vector<Pair> pairs_;
};

// Owns the nodes; moving it keeps them where they are (a moved deque keeps
// its elements), so node pointers stay valid. Not copyable.
class YamlDocument {
 public:
  YamlDocument();
  YamlDocument(YamlDocument&&) = default;
  YamlDocument& operator=(YamlDocument&&) = default;
  YamlDocument(const YamlDocument&) = delete;
  YamlDocument& operator=(const YamlDocument&) = delete;

  // A null node with a null mark when the text holds no document.
  const YamlNode& root() const { return *root_; }

 private:
  friend class YamlTreeBuilder;
  std::deque<YamlNode> nodes_;
  const YamlNode* root_;
};

// Why a document was not read, with where: a syntax error in libyaml's
// words, or a document with more nodes than the reader allows.
struct YamlError {
  enum class Kind { syntax, too_many_nodes };
  YamlMark mark;
  std::string message;
  Kind kind = Kind::syntax;
  bool operator==(const YamlError&) const = default;
};

// The first document of `text` (UTF-8), of at most `max_nodes` nodes
// (scalars, aliases, sequences and maps, keys included). They are counted as
// libyaml streams its events, so the node past the bound is never built: the
// tree costs at most `max_nodes` nodes whatever the shape of the text.
Result<YamlDocument, YamlError> parse_yaml(std::string_view text,
                                           size_t max_nodes = std::numeric_limits<size_t>::max());

}  // namespace condspec
