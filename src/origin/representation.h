#pragma once
// The representation a request selects (RFC 9110 3.2), with everything a 200
// to GET says about it, and what the preconditions see of it.

#include <optional>
#include <string>
#include <string_view>

#include "src/core/clock.h"
#include "src/http/entity_tag.h"
#include "src/origin/preconditions.h"

namespace condspec {

struct Representation {
  std::string content;
  std::string content_type = "text/plain";
  std::optional<EntityTag> etag;
  std::optional<Seconds> last_modified;  // as stored; may lie in the future
  bool ranges_supported = false;
  bool cacheable = false;  // Cache-Control, Expires and Vary
  // Rendered anew for every request, so its tag is known only once the
  // content is (what RFC 9110 9.3.2 lets a HEAD leave out).
  bool generated_per_request = false;
  std::optional<std::string> content_location;
  bool changed_twice_within_last_modified = false;  // see RepresentationState
  std::optional<std::string> content_encoding;      // set on a content-coded variant
  // For a coded variant, the identity variant's tag: what the faults that
  // confuse the two variants use.
  std::optional<EntityTag> identity_etag;
  bool written_by_client = false;  // /writable: its content is what a PUT sent
};

// FNV-1a: a stable digest of the content, so equal bytes give equal tags and
// the tag changes whenever the bytes do (a strong validator, 8.8.1). 16 hex
// digits.
std::string content_digest(std::string_view content);

// 8.8.2.1: never later than Date; a future modification time is sent as Date.
std::optional<Seconds> effective_last_modified(const Representation& r, Seconds now);

// What the preconditions judge (preconditions.h): `r`, or no representation
// at all when it is nullptr, at the time `now`.
RepresentationState state_of(const Representation* r, Seconds now);

}  // namespace condspec
