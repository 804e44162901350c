#include "src/cases/facts.h"

namespace condspec {

// Long on purpose: it is the table of facts, one entry per fact.
const std::vector<FactInfo>& known_facts() {
  static const std::vector<FactInfo> facts = {
      // First: without a writable URL no scenario that needs one can run,
      // whatever the target offers, so that is the reason to give.
      {fact::unsafe_url, "a writable URL was given with --unsafe-url",
       "no writable URL was given (--unsafe-url); unsafe methods are never sent to the URL under "
       "test"},
      {fact::etag, "the 200 to GET carries one valid ETag", "the target sends no valid ETag"},
      {fact::strong_etag, "the 200 to GET carries one valid strong ETag (no W/)",
       "the target sends no valid strong ETag"},
      {fact::weak_etag, "the 200 to GET carries one valid weak ETag (W/...)",
       "the target sends no valid weak ETag"},
      // A malformed ETag (judged by etag-syntax) is no tag a client can send
      // back, so such a target is judged like one without an ETag.
      {fact::no_etag,
       "the 200 to GET carries no valid ETag: none, or one that is not a single entity-tag",
       "the target sends a valid ETag"},
      {fact::last_modified, "the 200 to GET carries a valid Last-Modified",
       "the target sends no valid Last-Modified"},
      {fact::old_last_modified,
       "Last-Modified is at least 60 seconds before Date, so the server can treat it as strong",
       "the target's Last-Modified is missing or less than 60 seconds before its Date",
       {fact::last_modified}},
      {fact::no_last_modified, "the 200 to GET carries no Last-Modified",
       "the target sends a Last-Modified"},
      {fact::same_content, "two GETs in a row give the same content",
       "the target's content changed between two GETs (it is generated per request)"},
      {fact::stable,
       "two GETs in a row give the same ETag, Last-Modified and content",
       "the target's ETag or Last-Modified changed between two GETs of the same content (a "
       "changing ETag is reported by etag-unchanged-between-gets)",
       {fact::same_content}},
      {fact::etag_follows_content,
       "two GETs in a row give different content with different ETags: the content is "
       "generated per request and its tag computed from it",
       "the target's content and ETag do not both change between two GETs"},
      {fact::if_none_match,
       "the target answers If-None-Match carrying its current ETag, exactly as it sent it, with "
       "304, so other tag forms and combinations can be compared with it",
       "the target does not answer If-None-Match carrying its own ETag with 304 (judged "
       "separately)",
       {fact::etag, fact::stable}},
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
       {fact::last_modified, fact::stable}},
      {fact::if_match_evaluated,
       "the target answers If-Match with a tag it does not have with 412, with or without an "
       "ETag of its own, so it evaluates If-Match at all",
       "the target does not answer If-Match with a tag it does not have with 412 (judged "
       "separately)"},
      {fact::if_match,
       "the target answers If-Match with a tag it does not have with 412 and, when its ETag is "
       "strong, If-Match with that tag with 200, so other tag forms can be compared with it",
       "the target does not evaluate If-Match with its own tag (judged separately)",
       {fact::etag, fact::if_match_evaluated, fact::stable}},
      {fact::if_unmodified_since,
       "the target answers If-Unmodified-Since a day before its Last-Modified with 412, so other "
       "dates and combinations can be compared with it",
       "the target does not evaluate If-Unmodified-Since (judged separately)",
       {fact::last_modified}},
      {fact::partial_content,
       "the target has at least 2 bytes and answers at least one of three byte ranges (the first "
       "byte, bytes=1-2 and the suffix bytes=-5) with 206",
       "the target does not serve byte ranges"},
      // The scenarios built on ranges send bytes=0-0; how each shape is
      // served is judged by the partial-content scenarios.
      {fact::ranges,
       "the target answers Range: bytes=0-0 with a 206 holding exactly its first byte",
       "the target does not answer Range: bytes=0-0 with a 206 of its first byte (judged "
       "separately)",
       {fact::partial_content}},
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
       {fact::gzip}},
      {fact::missing_404, "a path next to the target that does not exist answers 404",
       "a made-up path next to the target does not answer 404"},
      {fact::cache_stores,
       "the cache under test (condspec cache) answers a second GET of a fresh response "
       "(Cache-Control: max-age=3600, ETag, Last-Modified) from its store, without asking the "
       "origin",
       "the cache did not store a fresh response (a second GET of one reached the origin), so "
       "nothing it stored can be judged"},
  };
  return facts;
}

const FactInfo* find_fact(std::string_view name) {
  for (const auto& f : known_facts())
    if (f.name == name) return &f;
  return nullptr;
}

std::string_view root_missing_reason(const FactInfo& fact, const Facts& facts) {
  for (auto basic : fact.builds_on) {
    if (facts.contains(basic)) continue;
    if (const FactInfo* info = find_fact(basic)) return root_missing_reason(*info, facts);
  }
  return fact.missing_reason;
}

}  // namespace condspec
