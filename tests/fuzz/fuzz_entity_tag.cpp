// Fuzzes the entity-tag parsers (src/http/entity_tag.h) with the value of an
// ETag field (parse_entity_tag) and of If-Match / If-None-Match
// (parse_tag_condition).
//
// Input: the field value.
//
// Properties: no crash or UB; a parsed tag writes back (str()) to text that
// parses to the same tag; a parsed condition is "*" or a non-empty list whose
// tags, written back as a list, parse to the same list; a single tag is also
// a one-element condition; the comparison functions are symmetric and weak
// comparison is implied by strong comparison.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "src/http/entity_tag.h"
#include "tests/fuzz/fuzz_check.h"

using condspec::EntityTag;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  const auto tag = condspec::parse_entity_tag(text);
  if (tag) {
    FUZZ_CHECK(condspec::parse_entity_tag(tag->str()) == tag);
    FUZZ_CHECK(tag->opaque.find('"') == std::string::npos);
    const auto as_list = condspec::parse_tag_condition(text);
    FUZZ_CHECK(as_list && !as_list->any && as_list->tags.size() == 1 && as_list->tags[0] == *tag);
  }

  const auto condition = condspec::parse_tag_condition(text);
  if (!condition) return 0;
  if (condition->any) {
    FUZZ_CHECK(condition->tags.empty());
    return 0;
  }
  FUZZ_CHECK(!condition->tags.empty());
  std::string written;
  for (const EntityTag& t : condition->tags) {
    if (!written.empty()) written += ", ";
    written += t.str();
  }
  const auto again = condspec::parse_tag_condition(written);
  FUZZ_CHECK(again && !again->any && again->tags == condition->tags);

  const EntityTag& a = condition->tags.front();
  const EntityTag& b = condition->tags.back();
  FUZZ_CHECK(condspec::strong_match(a, b) == condspec::strong_match(b, a));
  FUZZ_CHECK(condspec::weak_match(a, b) == condspec::weak_match(b, a));
  if (condspec::strong_match(a, b)) FUZZ_CHECK(condspec::weak_match(a, b));
  FUZZ_CHECK(condspec::weak_match(a, a));
  return 0;
}
