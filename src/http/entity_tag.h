#pragma once
// Entity tags (RFC 9110 8.8.3): parsing an ETag field value and the lists in
// If-Match / If-None-Match, and the strong and weak comparison functions
// (8.8.3.2).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace condspec {

struct EntityTag {
  bool weak = false;
  std::string opaque;  // the characters between the quotes, exactly

  std::string str() const;  // W/"x" or "x"
  bool operator==(const EntityTag&) const = default;
};

// One entity-tag and nothing else (leading/trailing OWS allowed): the grammar
// of an ETag field value. nullopt for unquoted tags, "w/", lists, DQUOTE or
// controls inside, etc.
std::optional<EntityTag> parse_entity_tag(std::string_view text);

// The value of If-Match or If-None-Match: "*" or a list of entity-tags.
// Empty list elements and optional whitespace are accepted (RFC 9110 5.6.1.2).
struct TagCondition {
  bool any = false;  // "*"
  std::vector<EntityTag> tags;
};
// nullopt when the value is not valid (e.g. an unquoted element, or "*" mixed
// with tags).
std::optional<TagCondition> parse_tag_condition(std::string_view text);

// Strong comparison: neither is weak, and the opaque tags are equal octet by octet.
bool strong_match(const EntityTag& a, const EntityTag& b);
// Weak comparison: the opaque tags are equal; W/ is ignored on both sides.
bool weak_match(const EntityTag& a, const EntityTag& b);

}  // namespace condspec
