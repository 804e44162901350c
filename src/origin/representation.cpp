// The selected representation: see representation.h.

#include "src/origin/representation.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

namespace condspec {

std::string content_digest(std::string_view content) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : content) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return fmt::format("{:016x}", hash);
}

std::optional<Seconds> effective_last_modified(const Representation& r, Seconds now) {
  if (!r.last_modified) return std::nullopt;
  return std::min(*r.last_modified, now);
}

RepresentationState state_of(const Representation* r, Seconds now) {
  if (!r) return {.exists = false, .date = now};
  return {.exists = true,
          .etag = r->etag,
          .last_modified = effective_last_modified(*r, now),
          .date = now,
          .ranges_supported = r->ranges_supported,
          .changed_twice_within_last_modified = r->changed_twice_within_last_modified};
}

}  // namespace condspec
