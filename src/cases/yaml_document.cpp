#include "src/cases/yaml_document.h"

#include <yaml.h>

#include <cstdio>
#include <map>
#include <optional>

namespace condspec {

const YamlNode* YamlNode::find(std::string_view key) const {
  for (const Pair& pair : pairs_)
    if (pair.key->is_scalar() && pair.key->scalar() == key) return pair.value;
  return nullptr;
}

namespace {

const YamlNode kNoDocument;

// libyaml counts characters (index and column); diagnostics count bytes and
// lines by '\n', as Diagnostics shows them. A cursor moves through the text
// as the marks come, mostly forward, so converting every mark of a file
// costs one pass over it.
class MarkConverter {
 public:
  explicit MarkConverter(std::string_view text) : text_(text) {
    // libyaml drops a UTF-8 byte order mark before counting.
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") first_ = 3;
    rewind();
  }

  YamlMark at_character(size_t index) {
    if (index < character_) rewind();
    while (character_ < index && byte_ < text_.size()) {
      if (text_[byte_] == '\n') {
        ++line_;
        line_start_ = byte_ + 1;
      }
      ++byte_;
      while (byte_ < text_.size() && (static_cast<unsigned char>(text_[byte_]) & 0xC0) == 0x80)
        ++byte_;
      ++character_;
    }
    return here();
  }

  YamlMark at_byte(size_t offset) {
    rewind();
    while (byte_ < offset && byte_ < text_.size()) {
      if (text_[byte_] == '\n') {
        ++line_;
        line_start_ = byte_ + 1;
      }
      ++byte_;
    }
    return here();
  }

 private:
  void rewind() {
    byte_ = first_;
    character_ = 0;
    line_ = 0;
    line_start_ = 0;
  }

  YamlMark here() const {
    return {static_cast<int>(byte_), line_, static_cast<int>(byte_ - line_start_)};
  }

  std::string_view text_;
  size_t first_ = 0;
  size_t byte_ = 0, character_ = 0, line_start_ = 0;
  int line_ = 0;
};

// yaml-cpp's rule: a plain scalar without a tag that says nothing is null.
bool is_null_scalar(const yaml_event_t& e) {
  if (e.data.scalar.style != YAML_PLAIN_SCALAR_STYLE || !e.data.scalar.plain_implicit) return false;
  const std::string_view value(reinterpret_cast<const char*>(e.data.scalar.value),
                               e.data.scalar.length);
  return value.empty() || value == "~" || value == "null" || value == "Null" || value == "NULL";
}

std::string printable_code(int value) {
  char text[16];
  std::snprintf(text, sizeof text, value < 0x100 ? "0x%02X" : "U+%04X", value);
  return text;
}

YamlError error_of(const yaml_parser_t& parser, MarkConverter& marks) {
  const std::string problem = parser.problem ? parser.problem : "cannot be parsed";
  switch (parser.error) {
    case YAML_READER_ERROR:
      // Bad bytes: control characters, invalid UTF-8; at the byte itself.
      return {marks.at_byte(parser.problem_offset),
              parser.problem_value >= 0 ? problem + ": " + printable_code(parser.problem_value)
                                        : problem};
    case YAML_SCANNER_ERROR:
    case YAML_PARSER_ERROR: {
      std::string message = problem;
      if (parser.context) {
        const YamlMark context = marks.at_character(parser.context_mark.index);
        message += " (" + std::string(parser.context) + " at " + std::to_string(context.line + 1) +
                   ":" + std::to_string(context.column + 1) + ")";
      }
      return {marks.at_character(parser.problem_mark.index), message};
    }
    case YAML_MEMORY_ERROR:
      return {{}, "out of memory"};
    default:
      return {{}, problem};
  }
}

}  // namespace

YamlDocument::YamlDocument() : root_(&kNoDocument) {}

// Turns libyaml's events into nodes: collections open on a stack, each new
// node goes into the innermost one (a map takes a key, then its value).
class YamlTreeBuilder {
 public:
  YamlTreeBuilder(YamlDocument& document, MarkConverter& marks)
      : document_(document), marks_(marks) {}

  // False (with `error` set) for an alias to an unknown anchor.
  bool add(const yaml_event_t& e, YamlError& error) {
    switch (e.type) {
      case YAML_ALIAS_EVENT: {
        auto it = anchors_.find(reinterpret_cast<const char*>(e.data.alias.anchor));
        if (it == anchors_.end()) {
          error = {marks_.at_character(e.start_mark.index),
                   "unknown anchor '" +
                       std::string(reinterpret_cast<const char*>(e.data.alias.anchor)) + "'"};
          return false;
        }
        place(it->second);
        return true;
      }
      case YAML_SCALAR_EVENT: {
        YamlNode& node = make(e, e.data.scalar.anchor);
        if (is_null_scalar(e)) return true;
        node.kind_ = YamlNode::Kind::scalar;
        node.scalar_.assign(reinterpret_cast<const char*>(e.data.scalar.value),
                            e.data.scalar.length);
        return true;
      }
      case YAML_SEQUENCE_START_EVENT:
        open(make(e, e.data.sequence_start.anchor), YamlNode::Kind::sequence);
        return true;
      case YAML_MAPPING_START_EVENT:
        open(make(e, e.data.mapping_start.anchor), YamlNode::Kind::map);
        return true;
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT:
        open_.pop_back();
        return true;
      default:
        return true;
    }
  }

 private:
  struct Open {
    YamlNode* node;
    const YamlNode* key = nullptr;  // of a map: the key waiting for its value
  };

  YamlNode& make(const yaml_event_t& e, const yaml_char_t* anchor) {
    YamlNode& node = document_.nodes_.emplace_back();
    node.mark_ = marks_.at_character(e.start_mark.index);
    place(&node);
    if (anchor) anchors_[reinterpret_cast<const char*>(anchor)] = &node;
    return node;
  }

  void open(YamlNode& node, YamlNode::Kind kind) {
    node.kind_ = kind;
    open_.push_back({&node});
  }

  void place(const YamlNode* node) {
    if (open_.empty()) {
      document_.root_ = node;
      return;
    }
    Open& parent = open_.back();
    if (parent.node->kind_ == YamlNode::Kind::sequence) {
      parent.node->items_.push_back(node);
    } else if (!parent.key) {
      parent.key = node;
    } else {
      parent.node->pairs_.push_back({parent.key, node});
      parent.key = nullptr;
    }
  }

  YamlDocument& document_;
  MarkConverter& marks_;
  std::vector<Open> open_;
  std::map<std::string, const YamlNode*, std::less<>> anchors_;
};

bool is_node(const yaml_event_t& e) {
  return e.type == YAML_SCALAR_EVENT || e.type == YAML_ALIAS_EVENT ||
         e.type == YAML_SEQUENCE_START_EVENT || e.type == YAML_MAPPING_START_EVENT;
}

Result<YamlDocument, YamlError> parse_yaml(std::string_view text, size_t max_nodes) {
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser)) return YamlError{{}, "out of memory"};
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()),
                               text.size());
  MarkConverter marks(text);
  YamlDocument document;
  YamlTreeBuilder builder(document, marks);
  std::optional<YamlError> error;
  size_t nodes = 0;
  for (bool done = false; !done && !error;) {
    yaml_event_t event;
    if (!yaml_parser_parse(&parser, &event)) {
      error = error_of(parser, marks);
      break;
    }
    if (is_node(event) && ++nodes > max_nodes) {
      const std::string bound = std::to_string(max_nodes);
      error = YamlError{marks.at_character(event.start_mark.index),
                        "more than " + bound +
                            " YAML nodes (values, lists and mappings) in one file; at most " +
                            bound + " are read",
                        YamlError::Kind::too_many_nodes};
      yaml_event_delete(&event);
      break;
    }
    // The first document is all that is read, as yaml-cpp's Load did.
    done = event.type == YAML_DOCUMENT_END_EVENT || event.type == YAML_STREAM_END_EVENT;
    YamlError alias_error;
    if (!builder.add(event, alias_error)) error = alias_error;
    yaml_event_delete(&event);
  }
  yaml_parser_delete(&parser);
  if (error) return *error;
  return document;
}

}  // namespace condspec
