#include "src/cases/facts.h"

namespace condspec {

const std::vector<FactInfo>& known_facts() {
  static const std::vector<FactInfo> facts = {
      // First: without a writable URL no scenario that needs one can run,
      // whatever the target offers, so that is the reason to give.
      {fact::unsafe_url, "a writable URL was given with --unsafe-url",
       "no writable URL was given (--unsafe-url); unsafe methods are never sent to the URL under "
       "test"},
      {fact::etag, "the 200 to GET carries an ETag", "the target sends no ETag"},
      {fact::strong_etag, "the 200 to GET carries a strong ETag (no W/)",
       "the target sends no strong ETag"},
      {fact::weak_etag, "the 200 to GET carries a weak ETag (W/...)",
       "the target sends no weak ETag"},
      {fact::no_etag, "the 200 to GET carries no ETag", "the target sends an ETag"},
      {fact::last_modified, "the 200 to GET carries a valid Last-Modified",
       "the target sends no valid Last-Modified"},
      {fact::old_last_modified,
       "Last-Modified is at least 60 seconds before Date, so the server can treat it as strong",
       "the target's Last-Modified is missing or less than 60 seconds before its Date",
       fact::last_modified},
      {fact::no_last_modified, "the 200 to GET carries no Last-Modified",
       "the target sends a Last-Modified"},
      {fact::stable, "two GETs in a row give the same ETag, Last-Modified and content",
       "the target's ETag, Last-Modified or content changed between two GETs"},
      {fact::if_none_match,
       "the target answers If-None-Match carrying its current ETag, exactly as it sent it, with "
       "304, so other tag forms and combinations can be compared with it",
       "the target does not answer If-None-Match carrying its own ETag with 304 (judged "
       "separately)",
       fact::etag},
      {fact::if_none_match_star,
       "the target answers If-None-Match: * with 304, so it evaluates If-None-Match at all (the "
       "only way to see that on a resource without an ETag, or with only a weak one)",
       "the target does not answer If-None-Match: * with 304 (judged separately)"},
      {fact::if_none_match_evaluated,
       "if-none-match or if-none-match-star: the target evaluates If-None-Match, shown by its own "
       "tag or by \"*\" getting 304 (what weak-tag scenarios build on: a server comparing weak "
       "tags strongly fails its own tag but not \"*\")",
       "neither If-None-Match carrying the target's own ETag nor If-None-Match: * gets 304 "
       "(judged separately)"},
      {fact::if_modified_since,
       "the target answers If-Modified-Since equal to its Last-Modified with 304 (the SHOULD of "
       "RFC 9110 13.1.3), so other date forms can be compared with it",
       "the target does not evaluate If-Modified-Since (a SHOULD, judged separately)",
       fact::last_modified},
      {fact::if_match,
       "the target answers If-Match with a tag it does not have with 412 and, when its ETag is "
       "strong, If-Match with that tag with 200, so other tag forms can be compared with it",
       "the target does not evaluate If-Match (judged separately)", fact::etag},
      {fact::if_unmodified_since,
       "the target answers If-Unmodified-Since a day before its Last-Modified with 412, so other "
       "dates and combinations can be compared with it",
       "the target does not evaluate If-Unmodified-Since (judged separately)", fact::last_modified},
      {fact::ranges, "the target answers Range: bytes=0-0 with 206 and has at least 2 bytes",
       "the target does not serve byte ranges"},
      {fact::no_ranges,
       "the target answers Range: bytes=0-0 with 200 and has at least 2 bytes, so it serves no "
       "byte ranges",
       "the target serves byte ranges (or has fewer than 2 bytes)"},
      {fact::gzip,
       "Accept-Encoding: gzip gets a 200 with Content-Encoding: gzip and Accept-Encoding: "
       "identity a 200 without Content-Encoding, so the target chooses the coding by the request",
       "the target does not choose a gzip coding by Accept-Encoding"},
      {fact::gzip_distinct_etags,
       "the gzip-coded 200 and the identity 200 carry ETags with different opaque-tags, so "
       "neither variant's tag matches the other's, even weakly",
       "the target's gzip and identity responses do not carry two ETags that differ beyond W/ "
       "(a strong tag shared by both is judged separately)",
       fact::gzip},
      {fact::missing_404, "a path next to the target that does not exist answers 404",
       "a made-up path next to the target does not answer 404"},
  };
  return facts;
}

const FactInfo* find_fact(std::string_view name) {
  for (const auto& f : known_facts())
    if (f.name == name) return &f;
  return nullptr;
}

}  // namespace condspec
