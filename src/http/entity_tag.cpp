#include "src/http/entity_tag.h"

#include <utility>

#include "src/core/text.h"

namespace condspec {
namespace {

// etagc = %x21 / %x23-7E / obs-text (RFC 9110 8.8.3). Note that "," is an
// etagc, so lists cannot be split on commas before the tags are read.
bool is_etagc(unsigned char c) {
  return c == 0x21 || (c >= 0x23 && c != 0x7F);
}

bool is_ows(char c) {
  return c == ' ' || c == '\t';
}

// Reads one entity-tag at the start of `text`, consuming it. nullopt (and
// `text` unspecified) when it does not start with a well-formed tag.
std::optional<EntityTag> read_entity_tag(std::string_view& text) {
  EntityTag tag;
  if (text.starts_with("W/")) {  // case-sensitive: "w/" is not a weak indicator
    tag.weak = true;
    text.remove_prefix(2);
  }
  if (!text.starts_with('"')) return std::nullopt;
  text.remove_prefix(1);
  size_t end = 0;
  while (end < text.size() && is_etagc(static_cast<unsigned char>(text[end]))) ++end;
  if (end == text.size() || text[end] != '"') return std::nullopt;
  tag.opaque = std::string(text.substr(0, end));
  text.remove_prefix(end + 1);
  return tag;
}

void skip_ows(std::string_view& text) {
  while (!text.empty() && is_ows(text.front())) text.remove_prefix(1);
}

}  // namespace

std::string EntityTag::str() const {
  return (weak ? "W/\"" : "\"") + opaque + "\"";
}

std::optional<EntityTag> parse_entity_tag(std::string_view text) {
  text = trim(text);
  auto tag = read_entity_tag(text);
  if (!tag || !text.empty()) return std::nullopt;
  return tag;
}

std::optional<TagCondition> parse_tag_condition(std::string_view text) {
  if (trim(text) == "*") return TagCondition{.any = true, .tags = {}};
  // #entity-tag (RFC 9110 5.6.1.2): elements separated by commas with OWS,
  // where a recipient accepts empty elements ("a, , b" and ", a,").
  TagCondition condition;
  while (true) {
    skip_ows(text);
    if (text.empty()) break;
    if (text.front() == ',') {
      text.remove_prefix(1);
      continue;
    }
    auto tag = read_entity_tag(text);
    if (!tag) return std::nullopt;  // includes "*" among tags
    condition.tags.push_back(std::move(*tag));
    skip_ows(text);
    if (!text.empty() && text.front() != ',') return std::nullopt;  // e.g. "a" "b"
  }
  if (condition.tags.empty()) return std::nullopt;
  return condition;
}

bool strong_match(const EntityTag& a, const EntityTag& b) {
  return !a.weak && !b.weak && a.opaque == b.opaque;
}

bool weak_match(const EntityTag& a, const EntityTag& b) {
  return a.opaque == b.opaque;
}

}  // namespace condspec
