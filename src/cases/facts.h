#pragma once
// Facts: what a target offers, learned before any scenario runs (see
// engine/discovery). A scenario lists the facts it `needs`; when one is
// missing it is not_applicable, with the fact's reason.

#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace condspec {

// The name of every fact, written once: discovery sets them, the loader
// and the executor name them, known_facts() documents them. Case files spell
// the same names in `needs`.
namespace fact {
inline constexpr std::string_view unsafe_url = "unsafe-url";
inline constexpr std::string_view etag = "etag";
inline constexpr std::string_view strong_etag = "strong-etag";
inline constexpr std::string_view weak_etag = "weak-etag";
inline constexpr std::string_view no_etag = "no-etag";
inline constexpr std::string_view last_modified = "last-modified";
inline constexpr std::string_view old_last_modified = "old-last-modified";
inline constexpr std::string_view no_last_modified = "no-last-modified";
inline constexpr std::string_view same_content = "same-content";
inline constexpr std::string_view stable = "stable";
inline constexpr std::string_view etag_follows_content = "etag-follows-content";
inline constexpr std::string_view if_none_match = "if-none-match";
inline constexpr std::string_view if_none_match_star = "if-none-match-star";
inline constexpr std::string_view if_none_match_evaluated = "if-none-match-evaluated";
inline constexpr std::string_view if_modified_since = "if-modified-since";
inline constexpr std::string_view if_match_evaluated = "if-match-evaluated";
inline constexpr std::string_view if_match = "if-match";
inline constexpr std::string_view if_unmodified_since = "if-unmodified-since";
inline constexpr std::string_view partial_content = "partial-content";
inline constexpr std::string_view ranges = "ranges";
inline constexpr std::string_view no_ranges = "no-ranges";
inline constexpr std::string_view gzip = "gzip";
inline constexpr std::string_view gzip_distinct_etags = "gzip-distinct-etags";
inline constexpr std::string_view missing_404 = "missing-404";
// A cache under test (`condspec cache`) answered a second GET of a fresh
// response (max-age=3600) without asking the origin.
inline constexpr std::string_view cache_stores = "cache-stores";
}  // namespace fact

struct FactInfo {
  std::string_view name;
  std::string_view meaning;         // for docs and `explain`
  std::string_view missing_reason;  // shown as the not_applicable reason
  // More basic facts this one cannot hold without, most basic first: when
  // one of them is missing too, its reason (or that of what it builds on)
  // is the reason given.
  std::vector<std::string_view> builds_on = {};
};

// Every fact name a case file may use in `needs`, in documentation order.
const std::vector<FactInfo>& known_facts();
const FactInfo* find_fact(std::string_view name);

using Facts = std::set<std::string, std::less<>>;

// Why a scenario that needs `name` cannot run on a target with `facts`
// (which lack it): the reason of the most basic missing fact it builds on,
// else its own. A target without Last-Modified is reported as such, not as
// "does not evaluate If-Modified-Since".
std::string_view root_missing_reason(const FactInfo& fact, const Facts& facts);

}  // namespace condspec
