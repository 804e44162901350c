// The reference cache and its faults: see reference_cache.h.

#include "src/origin/reference_cache.h"

#include <fmt/format.h>

#include <charconv>
#include <map>
#include <mutex>
#include <optional>

#include "src/core/text.h"
#include "src/http/entity_tag.h"
#include "src/http/http_date.h"
#include "src/http/transport.h"
#include "src/http/url.h"
#include "src/origin/http1_server.h"
#include "src/origin/preconditions.h"
#include "src/origin/ranges.h"
#include "src/origin/replies.h"

namespace condspec {
namespace {

namespace fault {
constexpr std::string_view serve_stale = "serve-stale";
constexpr std::string_view no_etag_validator = "revalidate-without-etag";
constexpr std::string_view strong_etag_validator = "revalidate-weak-tag-as-strong";
constexpr std::string_view no_date_validator = "revalidate-without-last-modified";
constexpr std::string_view no_freshen = "keep-fields-after-304";
constexpr std::string_view keep_old = "keep-old-after-200";
constexpr std::string_view ignore_inm = "ignore-client-if-none-match";
constexpr std::string_view inm_always = "304-to-any-if-none-match";
constexpr std::string_view content_in_304 = "content-after-its-304";
constexpr std::string_view no_etag_in_304 = "304-without-etag";
constexpr std::string_view ignore_ims = "ignore-client-if-modified-since";
constexpr std::string_view star_as_tag = "if-none-match-star-as-a-tag";
constexpr std::string_view origin_preconditions = "evaluate-if-match-itself";
constexpr std::string_view not_modified_on_miss = "304-on-a-miss";
constexpr std::string_view replaced_tag_matches = "304-to-a-replaced-tag";
constexpr std::string_view range_despite_if_range = "range-despite-if-range";
constexpr std::string_view if_range_never_true = "if-range-never-true";
constexpr std::string_view drop_unrepeated = "drop-fields-the-304-leaves-out";
constexpr std::string_view length_from_304 = "content-length-from-304";
constexpr std::string_view length_field_from_304 = "content-length-field-from-304";
constexpr std::string_view keep_max_age = "keep-freshness-after-304";
constexpr std::string_view update_from_any_304 = "update-from-any-304";
constexpr std::string_view drop_vary_fields = "revalidate-without-vary-fields";
constexpr std::string_view framing_from_304 = "transfer-encoding-from-304";
constexpr std::string_view unchunked_under_304_te = "transfer-encoding-304-unchunked";
constexpr std::string_view stray_as_response = "read-bytes-after-304-as-response";
constexpr std::string_view ignore_vary = "ignore-vary-when-selecting";
constexpr std::string_view no_cache_control_in_304 = "304-without-cache-control";
constexpr std::string_view no_vary_in_304 = "304-without-vary";
constexpr std::string_view no_content_location_in_304 = "304-without-content-location";
constexpr std::string_view no_expires_in_304 = "304-without-expires";
constexpr std::string_view no_date_in_304 = "304-without-date";
constexpr std::string_view content_type_in_304 = "304-with-content-type";
// Faults that change only how the cache handles a broken origin (the
// handling of a scenario, docs/cache.md), never a verdict.
constexpr std::string_view refetch_after_broken_304 = "refetch-after-broken-304";
constexpr std::string_view reuse_after_304 = "reuse-connection-after-304";
}  // namespace fault

// The faults that leave one field of the 200 out of the cache's own 304s
// (RFC 9110 15.4.5), with that field.
struct FieldLeftOut {
  std::string_view fault;
  std::string_view field;
};
constexpr FieldLeftOut kFieldsLeftOutOf304[] = {
    {fault::no_etag_in_304, "ETag"},       {fault::no_cache_control_in_304, "Cache-Control"},
    {fault::no_vary_in_304, "Vary"},       {fault::no_content_location_in_304, "Content-Location"},
    {fault::no_expires_in_304, "Expires"}, {fault::no_date_in_304, "Date"},
};

// Fields a cache does not copy from a 304 into a stored response: the
// framing and content metadata of RFC 9111 3.2, which describe the stored
// content, not the 304.
bool kept_from_stored(std::string_view name) {
  for (std::string_view kept : {"Content-Length", "Transfer-Encoding", "Content-Encoding",
                                "Content-Type", "Content-Range", "Connection", "Keep-Alive"})
    if (iequals(name, kept)) return true;
  return false;
}

// Fields a 304 from the cache leaves out (RFC 9110 15.4.5).
bool content_metadata(std::string_view name) {
  for (std::string_view metadata : {"Content-Length", "Content-Type", "Content-Encoding",
                                    "Content-Language", "Content-Range", "Transfer-Encoding"})
    if (iequals(name, metadata)) return true;
  return false;
}

// max-age of a storable 200, in seconds; nullopt: not stored.
std::optional<long> storable_max_age(const Response& response) {
  if (response.status != 200) return std::nullopt;
  auto cc = response.fields.combined("Cache-Control");
  if (!cc) return std::nullopt;
  std::optional<long> max_age;
  for (auto directive : split(*cc, ',')) {
    const std::string d = to_lower(trim(directive));
    if (d == "no-store" || d == "private" || d == "no-cache") return std::nullopt;
    if (d.starts_with("max-age=")) {
      const std::string n = d.substr(8);
      if (n.empty() || n.find_first_not_of("0123456789") != std::string::npos || n.size() > 9)
        return std::nullopt;
      max_age = std::stol(n);
    }
  }
  return max_age;
}

struct Stored {
  Fields fields;
  std::string content;
  Seconds received;
  long max_age = 0;
  // The ETag of the response this one replaced (kept for a fault only).
  std::string replaced_etag;
  // The fields its Vary names, as the request it was stored for carried
  // them: its secondary key (RFC 9111 4.1).
  Fields selecting;
  // The Content-Length a 304 said, served over the whole stored content
  // (kept for a fault only).
  std::string length_from_304;
};

// Stored variants kept per URL, at most; the oldest goes first.
constexpr size_t kMaxVariants = 8;

// The names a response's Vary lists ("*" among them when present).
std::vector<std::string> vary_names(const Fields& response_fields) {
  std::vector<std::string> names;
  if (auto vary = response_fields.combined("Vary"))
    for (auto listed : split(*vary, ','))
      if (auto name = trim(listed); !name.empty()) names.emplace_back(name);
  return names;
}

// The request's fields that a response's Vary names.
Fields named_by_vary(const Fields& response_fields, const Fields& request_fields) {
  Fields out;
  for (const auto& name : vary_names(response_fields))
    for (const auto& field : request_fields)
      if (iequals(field.name, name)) out.add(field.name, field.value);
  return out;
}

// Whether a stored response is the variant for this request (RFC 9111
// 4.1): each field its Vary names has the value (or the absence) it had in
// the request the response was stored for; Vary: * matches no request.
bool is_variant_for(const Stored& stored, const Fields& request_fields) {
  for (const auto& name : vary_names(stored.fields)) {
    if (name == "*") return false;
    if (request_fields.combined(name) != stored.selecting.combined(name)) return false;
  }
  return true;
}

}  // namespace

const std::vector<CacheFault>& known_cache_faults() {
  static const std::vector<CacheFault> faults = {
      {fault::serve_stale, "9111-4.2.4-no-stale-unpermitted",
       "serves a stored response after its max-age without revalidating it"},
      {fault::no_etag_validator, "9111-4.3.1-send-stored-etag",
       "revalidates without If-None-Match, though the stored response has an ETag"},
      {fault::strong_etag_validator, "9111-4.3.1-send-stored-etag",
       "revalidates a weak stored tag W/\"x\" as the strong \"x\""},
      {fault::no_date_validator, "9111-4.3.1-send-last-modified",
       "revalidates a response that has only Last-Modified without If-Modified-Since"},
      {fault::no_freshen, "9111-4.3.4-freshen-fields",
       "keeps its stored fields when a 304 carries new values for them"},
      {fault::keep_old, "9111-4.3.3-use-full-response",
       "keeps serving its stored response when revalidation brings a new 200"},
      {fault::ignore_inm, "9111-4.3.2-answer-if-none-match",
       "answers a client's If-None-Match with its stored 200, even when the tag matches"},
      {fault::inm_always, "9110-13.1.2-evaluate",
       "answers any If-None-Match on a stored response with 304, matching or not"},
      {fault::content_in_304, "9110-15.4.5-no-content",
       "writes the stored content after the header section of its own 304s"},
      {fault::no_etag_in_304, "9110-15.4.5-etag", "leaves the stored ETag out of its own 304s"},
      {fault::ignore_ims, "9111-4.3.2-answer-if-modified-since",
       "answers a client's If-Modified-Since with its stored 200, even when the date matches"},
      {fault::star_as_tag, "9111-4.3.2-answer-if-none-match",
       "compares If-None-Match: * as if it were a tag, so it never matches"},
      {fault::origin_preconditions, "9111-4.3.2-no-origin-preconditions",
       "evaluates a client's If-Match and If-Unmodified-Since against its stored response and "
       "answers 412 itself"},
      {fault::not_modified_on_miss, "9111-4.3.2-no-evaluation-on-a-miss",
       "answers a client's If-None-Match or If-Modified-Since with 304 when it has nothing "
       "stored, without asking the origin"},
      {fault::replaced_tag_matches, "9110-13.1.2-evaluate",
       "after a 200 replaced its stored response, still answers the replaced tag with 304"},
      {fault::range_despite_if_range, "9110-13.1.5-false-200",
       "serves the Range from its stored response even when If-Range names another tag"},
      {fault::if_range_never_true, "9110-13.1.5-etag-true-206",
       "ignores the Range of a request with If-Range, even when it names the stored tag"},
      {fault::drop_unrepeated, "9111-3.2-update-keeps-fields",
       "updating from a 304, drops the stored fields the 304 does not repeat"},
      {fault::length_from_304, "9111-3.2-no-content-length-update",
       "updating from a 304, takes its Content-Length as the stored content's length"},
      {fault::length_field_from_304, "9111-3.2-no-content-length-update",
       "updating from a 304, takes its Content-Length field but keeps the stored content, and "
       "sends the content after that length (as Squid 5 does)"},
      {fault::keep_max_age, "9111-4.3.4-freshen-fields",
       "updating from a 304, keeps the freshness lifetime it had, whatever max-age the 304 says"},
      {fault::update_from_any_304, "9111-4.3.4-no-update-other-validator",
       "updates its stored response from a 304 whose strong ETag, or Last-Modified, is another "
       "one"},
      {fault::drop_vary_fields, "9111-4.3.1-send-vary-fields",
       "revalidates with its validators only, without the request fields Vary names"},
      {fault::framing_from_304, "9111-3.2-no-framing-update",
       "updating from a 304, takes its Transfer-Encoding, and then sends the stored response "
       "chunked with its Content-Length too"},
      {fault::unchunked_under_304_te, "9111-3.2-no-framing-update",
       "answers the request it revalidated with the 304's Transfer-Encoding and the stored "
       "content unchunked, without Content-Length"},
      {fault::stray_as_response, "9112-6.3-no-extra-data-as-response",
       "keeps its upstream connection after a 304, and reads the bytes a broken origin wrote "
       "after the 304 as the start of the next response (then answers 502)"},
      {fault::ignore_vary, "9111-4.1-vary-selects",
       "answers a request with any stored variant of the URL, whatever the fields its Vary "
       "names say"},
      {fault::no_cache_control_in_304, "9110-15.4.5-cache-control",
       "leaves the stored Cache-Control out of its own 304s"},
      {fault::no_vary_in_304, "9110-15.4.5-vary", "leaves the stored Vary out of its own 304s"},
      {fault::no_content_location_in_304, "9110-15.4.5-content-location",
       "leaves the stored Content-Location out of its own 304s"},
      {fault::no_expires_in_304, "9110-15.4.5-expires",
       "leaves the stored Expires out of its own 304s"},
      {fault::no_date_in_304, "9110-15.4.5-date", "leaves the stored Date out of its own 304s"},
      {fault::content_type_in_304, "9110-15.4.5-minimal-metadata",
       "repeats the stored Content-Type in its own 304s"},
      {fault::refetch_after_broken_304, "",
       "uses no 304 that leaves out a stored field it must repeat (ETag, Cache-Control, Expires, "
       "Vary, Content-Location, Date) or carries Content-Length: drops the stored response and "
       "fetches it again without conditionals"},
      {fault::reuse_after_304, "",
       "keeps its upstream connection after a 304 and sends the next request on it, dropping "
       "the bytes a broken origin wrote after the 304"},
  };
  return faults;
}

struct ReferenceCache::Impl {
  ReferenceCacheOptions options;
  SystemClock system_clock;
  const Clock* clock = nullptr;
  Url upstream;
  std::mutex mutex;
  // Per path, its stored variants, the most recent first.
  std::map<std::string, std::vector<Stored>> store;
  // Upstream connections kept open between requests (RFC 9112 9.3), each
  // used by one request at a time. Kept per path, so that scenarios run side
  // by side never share one (a fault's damage stays in its own scenario).
  std::mutex idle_mutex;
  std::map<std::string, std::vector<std::unique_ptr<Transport>>> idle;
  std::unique_ptr<Http1Server> server;

  bool has(std::string_view name) const { return options.faults.contains(std::string(name)); }

  // The stored response that may answer this request, if any (RFC 9111 4.1).
  std::optional<Stored> stored_for(const Incoming& request) {
    std::lock_guard lock(mutex);
    auto it = store.find(request.path);
    if (it == store.end()) return std::nullopt;
    for (const auto& variant : it->second)
      if (has(fault::ignore_vary) || is_variant_for(variant, request.fields)) return variant;
    return std::nullopt;
  }

  // Stores a response as the variant for this request, replacing the one
  // stored for the same secondary key.
  void put(const Incoming& request, Stored stored) {
    std::lock_guard lock(mutex);
    auto& variants = store[request.path];
    std::erase_if(variants, [&](const Stored& v) { return is_variant_for(v, request.fields); });
    variants.insert(variants.begin(), std::move(stored));
    if (variants.size() > kMaxVariants) variants.pop_back();
  }

  void forget(const Incoming& request) {
    std::lock_guard lock(mutex);
    if (auto it = store.find(request.path); it != store.end())
      std::erase_if(it->second, [&](const Stored& v) { return is_variant_for(v, request.fields); });
  }

  std::unique_ptr<Transport> idle_connection(const std::string& path) {
    std::lock_guard lock(idle_mutex);
    auto it = idle.find(path);
    if (it == idle.end() || it->second.empty()) return nullptr;
    auto transport = std::move(it->second.back());
    it->second.pop_back();
    return transport;
  }

  void keep_idle(const std::string& path, std::unique_ptr<Transport> transport) {
    std::lock_guard lock(idle_mutex);
    idle[path].push_back(std::move(transport));
  }

  // One request to the origin, on a kept connection when there is one. A
  // connection is kept only when it is clean (Transport::release): never
  // after a 304, behind which a broken origin's stray bytes hide until the
  // next use; those are discarded with the connection (RFC 9112 6.3).
  std::optional<Response> fetch(const std::string& path, const Fields& conditionals) {
    Request request;
    request.target = path;
    request.fields = conditionals;
    auto transport = idle_connection(path);
    if (!transport) {
      ClientOptions client;
      client.deadline = std::chrono::milliseconds{5000};
      transport = make_transport(upstream, client);
    }
    Sent sent = transport->send(request);
    if (!sent.exchange.ok()) {
      transport->close();
      return std::nullopt;
    }
    if (has(fault::reuse_after_304)) {
      // The stray bytes came before the next response and are not part of
      // it (the transport sets them apart): dropped, the connection kept.
      keep_idle(path, std::move(transport));
    } else if (has(fault::stray_as_response)) {
      // The bytes after the previous response, read as the start of this
      // one: no status line, so no response.
      if (!sent.stray_of_previous.bytes.empty()) {
        transport->close();
        return std::nullopt;
      }
      keep_idle(path, std::move(transport));
    } else if (transport->release().kept_open) {
      keep_idle(path, std::move(transport));
    }
    return *sent.exchange.response;
  }

  // The fields of the client's request that the stored response's Vary
  // names: the validation request carries them so that the origin selects
  // the variant being validated (RFC 9111 4.3.1).
  Fields vary_fields_of(const Stored& stored, const Incoming& request) const {
    Fields out;
    auto vary = stored.fields.combined("Vary");
    if (!vary || has(fault::drop_vary_fields)) return out;
    for (auto listed : split(*vary, ',')) {
      const std::string name(trim(listed));
      for (const auto& field : request.fields)
        if (!name.empty() && iequals(field.name, name)) out.add(field.name, field.value);
    }
    return out;
  }

  Fields validators_of(const Stored& stored) const {
    Fields conditionals;
    if (auto etag = stored.fields.combined("ETag"); etag && !has(fault::no_etag_validator)) {
      std::string tag(trim(*etag));
      if (has(fault::strong_etag_validator) && tag.starts_with("W/")) tag = tag.substr(2);
      conditionals.add("If-None-Match", tag);
    }
    if (auto modified = stored.fields.combined("Last-Modified");
        modified && !has(fault::no_date_validator))
      conditionals.add("If-Modified-Since", std::string(trim(*modified)));
    return conditionals;
  }

  // Whether a 304 names a validator the stored response does not have: a
  // strong entity tag, or, without an entity tag, a Last-Modified (strong
  // for a stored response dated a second or more after it, RFC 9110
  // 8.8.2.2, which every scripted one is). Then it is about another
  // representation, and updates nothing (RFC 9111 4.3.4).
  bool names_other_validator(const Stored& stored, const Response& not_modified) const {
    if (has(fault::update_from_any_304)) return false;
    auto tag = not_modified.fields.combined("ETag");
    if (!tag) {
      auto modified = not_modified.fields.combined("Last-Modified");
      auto stored_modified = stored.fields.combined("Last-Modified");
      return modified && stored_modified && trim(*modified) != trim(*stored_modified);
    }
    auto new_tag = parse_entity_tag(trim(*tag));
    if (!new_tag || new_tag->weak) return false;
    auto stored_tag = stored.fields.combined("ETag");
    auto old_tag = stored_tag ? parse_entity_tag(trim(*stored_tag)) : std::nullopt;
    return !old_tag || old_tag->weak || old_tag->opaque != new_tag->opaque;
  }

  // Under refetch-after-broken-304: a 304 that leaves out a field of the
  // stored response that RFC 9110 15.4.5 makes it repeat (the ETag, or
  // Cache-Control, Expires, Vary, Content-Location, Date), or says a
  // Content-Length, is not used (as Apache httpd's mod_cache does with
  // some), and the response is fetched whole.
  bool refetches(const Stored& stored, const Response& not_modified) const {
    if (!has(fault::refetch_after_broken_304)) return false;
    for (const auto& left_out : kFieldsLeftOutOf304)
      if (stored.fields.has(left_out.field) && !not_modified.fields.has(left_out.field))
        return true;
    return not_modified.fields.has("Content-Length");
  }

  // Whether a 304's field leaves the stored one alone (RFC 9111 3.2).
  bool not_updated(std::string_view name) const {
    if (has(fault::framing_from_304) && iequals(name, "Transfer-Encoding")) return false;
    return kept_from_stored(name);
  }

  // A 304's fields added to the stored response, replacing those present
  // (RFC 9111 3.2), and its freshness recomputed from them.
  void freshen(Stored& stored, const Response& not_modified, Seconds now) const {
    if (!has(fault::no_freshen)) {
      if (has(fault::drop_unrepeated)) {
        Fields kept;
        for (const auto& field : stored.fields)
          if (kept_from_stored(field.name)) kept.add(field.name, field.value);
        stored.fields = kept;
      }
      for (const auto& field : not_modified.fields)
        if (!not_updated(field.name)) stored.fields.remove(field.name);
      for (const auto& field : not_modified.fields)
        if (!not_updated(field.name)) stored.fields.add(field.name, field.value);
    }
    if (auto length = not_modified.fields.combined("Content-Length");
        length && has(fault::length_from_304)) {
      const std::string digits(trim(*length));
      if (!digits.empty() && digits.size() < 10 &&
          digits.find_first_not_of("0123456789") == std::string::npos)
        stored.content.resize(std::min<size_t>(stored.content.size(), std::stoul(digits)));
    }
    if (auto length = not_modified.fields.combined("Content-Length");
        length && has(fault::length_field_from_304))
      stored.length_from_304 = std::string(trim(*length));
    stored.received = now;
    if (has(fault::keep_max_age)) return;
    if (auto max_age = storable_max_age(Response{.status = 200, .fields = stored.fields}))
      stored.max_age = *max_age;
  }

  static Reply relayed(const Response& response, bool head) {
    Reply reply{.status = response.status};
    for (const auto& field : response.fields)
      if (!iequals(field.name, "Transfer-Encoding") && !iequals(field.name, "Connection") &&
          !iequals(field.name, "Content-Length"))
        reply.fields.add(field.name, field.value);
    if (response.status != 304 && response.status != 204)
      reply.fields.add("Content-Length", std::to_string(response.content.size()));
    if (!head) reply.content = response.content;
    return reply;
  }

  // A Range honoured from a stored response (RFC 9110 14.2): 206 with the
  // part, 416 beyond its end, or the whole 200 for a Range not understood.
  static Reply partial_from_store(const Stored& stored, std::string_view range, Seconds now) {
    const auto asked = parse_range(range, stored.content.size());
    if (asked.kind == RangeRequest::unsatisfiable) {
      Reply reply = bare_reply(416, now);
      reply.fields.add("Content-Range", fmt::format("bytes */{}", stored.content.size()));
      return reply;
    }
    Reply reply{.status = 200, .fields = stored.fields};
    reply.fields.remove("Content-Length");
    std::string part = stored.content;
    if (asked.kind == RangeRequest::single) {
      reply.status = 206;
      part = stored.content.substr(asked.first, asked.last - asked.first + 1);
      reply.fields.add("Content-Range", fmt::format("bytes {}-{}/{}", asked.first, asked.last,
                                                    stored.content.size()));
    }
    reply.fields.add("Content-Length", std::to_string(part.size()));
    reply.content = std::move(part);
    return reply;
  }

  // The answer to a client from a stored response, its preconditions
  // evaluated against it (RFC 9111 4.3.2).
  Reply from_store(const Stored& stored, const Incoming& request, Seconds now) const {
    RepresentationState state;
    state.exists = true;
    state.date = now;
    if (auto etag = stored.fields.combined("ETag")) state.etag = parse_entity_tag(trim(*etag));
    if (auto modified = stored.fields.combined("Last-Modified"))
      state.last_modified = parse_http_date(trim(*modified), now);
    // A stored response is complete, so the cache serves byte ranges of it
    // itself, If-Range evaluated against the stored validators (4.3.2).
    state.ranges_supported = true;
    Fields conditions = request.fields;
    if (has(fault::range_despite_if_range)) conditions.remove("If-Range");
    if (has(fault::if_range_never_true) && conditions.has("If-Range")) conditions.remove("Range");
    // If-Match and If-Unmodified-Since apply only to an origin server: a
    // cache does not evaluate them (RFC 9111 4.3.2) and may ignore them (RFC
    // 9110 13.1.1, 13.1.4), which this one does.
    if (!has(fault::origin_preconditions)) {
      conditions.remove("If-Match");
      conditions.remove("If-Unmodified-Since");
    }
    if (has(fault::ignore_inm)) conditions.remove("If-None-Match");
    if (has(fault::ignore_ims)) conditions.remove("If-Modified-Since");
    if (has(fault::star_as_tag) && trim(conditions.combined("If-None-Match").value_or("")) == "*")
      conditions.set("If-None-Match", "\"*\"");
    Decision decision = evaluate_preconditions(request.method, conditions, state);
    if (has(fault::inm_always) && request.fields.has("If-None-Match"))
      decision = Decision::not_modified;
    if (has(fault::replaced_tag_matches) && !stored.replaced_etag.empty() &&
        request.fields.combined("If-None-Match").value_or("").find(stored.replaced_etag) !=
            std::string::npos)
      decision = Decision::not_modified;
    const long age = std::max<long>(0, (now - stored.received).count());
    if (decision == Decision::precondition_failed) return bare_reply(412, now);
    Reply reply;
    if (decision == Decision::partial) {
      reply = partial_from_store(stored, conditions.combined("Range").value_or(""), now);
    } else if (decision == Decision::not_modified) {
      reply.status = 304;
      for (const auto& field : stored.fields)
        if (!content_metadata(field.name)) reply.fields.add(field.name, field.value);
      for (const auto& [name, field] : kFieldsLeftOutOf304)
        if (has(name)) reply.fields.remove(field);
      if (auto type = stored.fields.combined("Content-Type");
          type && has(fault::content_type_in_304))
        reply.fields.add("Content-Type", *type);
      if (has(fault::content_in_304)) {
        reply.content = stored.content;
        reply.framing.content_after_bodiless = true;
      }
    } else {
      reply.status = 200;
      reply.fields = stored.fields;
      reply.fields.remove("Content-Length");
      reply.fields.add("Content-Length", stored.length_from_304.empty()
                                             ? std::to_string(stored.content.size())
                                             : stored.length_from_304);
      if (request.method != "HEAD") reply.content = stored.content;
      // Only under a fault does a stored response have Transfer-Encoding:
      // it is then sent as it says, Content-Length and all.
      if (reply.fields.has("Transfer-Encoding")) {
        reply.fields.remove("Transfer-Encoding");
        reply.framing.chunked = true;
      }
    }
    reply.fields.remove("Age");
    reply.fields.add("Age", std::to_string(age));
    return reply;
  }

  Reply respond(const Incoming& request) {
    const Seconds now = clock->now();
    if (request.method != "GET" && request.method != "HEAD")
      return allow_reply(405, "GET, HEAD", now);
    const bool head = request.method == "HEAD";
    std::optional<Stored> stored = stored_for(request);
    if (stored) {
      const bool fresh = (now - stored->received).count() < stored->max_age;
      if (fresh || has(fault::serve_stale)) return from_store(*stored, request, now);
    }
    if (!stored && has(fault::not_modified_on_miss) &&
        (request.fields.has("If-None-Match") || request.fields.has("If-Modified-Since")))
      return bare_reply(304, now);
    Fields upstream_fields;
    if (stored) {
      upstream_fields = vary_fields_of(*stored, request);
      for (const auto& field : validators_of(*stored)) upstream_fields.add(field.name, field.value);
    }
    auto response = fetch(request.path, upstream_fields);
    if (!response) return bare_reply(502, now);
    if (stored && response->status == 304 &&
        (names_other_validator(*stored, *response) || refetches(*stored, *response))) {
      // A 304 that updates nothing leaves the request unanswered: ask for
      // the whole response.
      response = fetch(request.path, vary_fields_of(*stored, request));
      if (!response) return bare_reply(502, now);
    }
    if (stored && response->status == 304) {
      freshen(*stored, *response, now);
    } else if (auto max_age = storable_max_age(*response)) {
      if (!(stored && has(fault::keep_old))) {
        std::string replaced;
        if (stored) replaced = std::string(trim(stored->fields.combined("ETag").value_or("")));
        stored = Stored{
            response->fields, response->content, now,
            *max_age,         replaced,          named_by_vary(response->fields, request.fields)};
      } else
        stored->received = now;
    } else {
      forget(request);
      return relayed(*response, head);
    }
    stored->fields.remove("Content-Length");
    if (!has(fault::framing_from_304)) stored->fields.remove("Transfer-Encoding");
    stored->fields.remove("Connection");
    put(request, *stored);
    Reply reply = from_store(*stored, request, now);
    if (has(fault::unchunked_under_304_te) && response->status == 304 && reply.status == 200) {
      // As Apache httpd's mod_cache 2.4 does (real-cache disagreement D14):
      // the 304's Transfer-Encoding goes into the response built from the
      // freshened one, not into the store, and the content goes out as
      // stored: framed by nothing a client can read.
      if (auto coding = response->fields.combined("Transfer-Encoding")) {
        reply.fields.remove("Content-Length");
        reply.fields.add("Transfer-Encoding", *coding);
      }
    }
    return reply;
  }
};

ReferenceCache::ReferenceCache(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ReferenceCache::~ReferenceCache() {
  stop();
}

Result<std::unique_ptr<ReferenceCache>> ReferenceCache::start(ReferenceCacheOptions options) {
  for (const auto& name : options.faults) {
    const auto& known = known_cache_faults();
    if (std::none_of(known.begin(), known.end(),
                     [&](const CacheFault& f) { return f.name == name; }))
      return Error{fmt::format("unknown cache fault '{}' (see --list-faults)", name)};
  }
  auto upstream = parse_url(options.upstream);
  if (!upstream || upstream->scheme != "http")
    return Error{fmt::format("the upstream must be an http:// URL, got '{}'", options.upstream)};
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  impl->clock = impl->options.clock ? impl->options.clock : &impl->system_clock;
  impl->upstream = *upstream;
  Impl* raw = impl.get();
  auto server = Http1Server::start(
      {.host = raw->options.host, .port = raw->options.port},
      {.respond = [raw](const Incoming& request) { return raw->respond(request); },
       .transport_error = [raw](int status) { return bare_reply(status, raw->clock->now()); }});
  if (!server) return server.error();
  impl->server = std::move(*server);
  return std::unique_ptr<ReferenceCache>(new ReferenceCache(std::move(impl)));
}

int ReferenceCache::port() const {
  return impl_->server->port();
}

std::string ReferenceCache::base_url() const {
  return fmt::format("http://{}:{}", impl_->options.host, port());
}

void ReferenceCache::stop() {
  if (impl_ && impl_->server) impl_->server->stop();
}

}  // namespace condspec
