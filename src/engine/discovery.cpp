#include "src/engine/discovery.h"

#include <fmt/format.h>

#include <memory>
#include <optional>
#include <string_view>
#include <utility>

#include "src/core/text.h"
#include "src/engine/connection_pool.h"
#include "src/http/entity_tag.h"
#include "src/http/http_date.h"
#include "src/http/stray_bytes.h"
#include "src/http/transport.h"
#include "src/http/url.h"

namespace condspec {

void add_extra_fields(Request& request, const Fields& extra) {
  for (const auto& f : extra) {
    if (!request.fields.has(f.name)) request.fields.add(f.name, f.value);
  }
}

namespace {

class Prober {
 public:
  Prober(const TargetConfig& target, Discovery& out, ConnectionPool* pool)
      : target_(target), out_(out), pool_(pool) {}

  // Sends a GET of `url` with the given extra fields; nullptr if it failed,
  // or without sending anything once the run is cancelled.
  const Response* get(std::string name, const Url& url, Fields fields = {}) {
    if (target_.client.cancel && target_.client.cancel->cancelled()) return nullptr;
    if (!transport_ || transport_origin_ != url.origin()) {
      finish();
      transport_ =
          pool_ ? pool_->take(url, target_.client, true) : make_transport(url, target_.client);
      transport_origin_ = url.origin();
    }
    Request request;
    request.target = url.target;
    request.fields = std::move(fields);
    add_extra_fields(request, target_.extra_fields);
    Sent sent = transport_->send(request);
    // The previous exchange on this connection receives any bytes that
    // arrived after its response (content after a 304 or HEAD).
    if (Exchange* last = previous()) attach_stray(*last, sent.stray_of_previous);
    out_.records.push_back({std::move(name), url.str(), std::move(sent.exchange), false});
    previous_index_ = out_.records.size() - 1;
    const auto& ex = out_.records.back().exchange;
    return ex.ok() ? &*ex.response : nullptr;
  }

  void finish() {
    if (transport_) {
      StrayBytes stray =
          pool_ ? pool_->give_back(std::move(transport_), target_.client) : transport_->close();
      transport_.reset();
      if (Exchange* last = previous()) attach_stray(*last, stray);
    }
    previous_index_.reset();
  }

 private:
  Exchange* previous() {
    return previous_index_ ? &out_.records[*previous_index_].exchange : nullptr;
  }

  const TargetConfig& target_;
  Discovery& out_;
  ConnectionPool* pool_;
  std::unique_ptr<Transport> transport_;
  std::string transport_origin_;
  std::optional<size_t> previous_index_;
};

std::string field_or_empty(const Response& r, std::string_view name) {
  const std::string* v = r.fields.find(name);
  return v ? std::string(trim(*v)) : std::string();
}

// The validators of the first response, which later probes send back.
struct Validators {
  std::string etag_text;
  std::string lm_text;
  std::optional<EntityTag> etag;  // when there is one ETag field and it parses
  std::optional<Seconds> lm;
};

// The first response's validators, and the facts they alone establish.
Validators validator_facts(const Response& baseline, Seconds now, Discovery& d) {
  Validators v;
  v.etag_text = field_or_empty(baseline, "ETag");
  v.lm_text = field_or_empty(baseline, "Last-Modified");
  v.etag = baseline.fields.count("ETag") == 1 ? parse_entity_tag(v.etag_text) : std::nullopt;
  v.lm = parse_http_date(v.lm_text, now);
  const auto date = parse_http_date(field_or_empty(baseline, "Date"), now);

  if (!v.etag) d.facts.emplace(fact::no_etag);
  if (v.etag) {
    d.facts.emplace(fact::etag);
    d.facts.emplace(v.etag->weak ? fact::weak_etag : fact::strong_etag);
  }
  if (!baseline.fields.has("Last-Modified")) d.facts.emplace(fact::no_last_modified);
  if (v.lm) {
    d.facts.emplace(fact::last_modified);
    if (date && *v.lm + std::chrono::seconds{60} <= *date) d.facts.emplace(fact::old_last_modified);
  }
  return v;
}

// Two GETs in a row: the same content with the same validators is what
// revalidation needs (stable). Validators that change while the content
// does not are judged by a scenario of their own; content that changes
// with its tag is content generated per request.
void probe_repeat(Prober& probe, const Url& url, const Response& baseline, const Validators& v,
                  Discovery& d) {
  if (const Response* again = probe.get("discover-get-again", url)) {
    if (again->status == 200 && again->content == baseline.content) {
      d.facts.emplace(fact::same_content);
      if (field_or_empty(*again, "ETag") == v.etag_text &&
          field_or_empty(*again, "Last-Modified") == v.lm_text)
        d.facts.emplace(fact::stable);
    }
    const auto again_etag = again->fields.count("ETag") == 1
                                ? parse_entity_tag(field_or_empty(*again, "ETag"))
                                : std::nullopt;
    if (again->status == 200 && again->content != baseline.content && v.etag && again_etag &&
        again_etag->opaque != v.etag->opaque)
      d.facts.emplace(fact::etag_follows_content);
  }
}

// Whether If-None-Match is evaluated, in two separate facts: with the tag
// the target itself sent, and with "*". Scenarios about other tag forms
// build on the first, so a server whose own tag never matches (Apache's
// "-gzip" suffix) fails the one scenario about evaluation instead of every
// comparison scenario; the second is all that can be seen of evaluation on
// a resource without an ETag.
void probe_preconditions(Prober& probe, const Url& url, const Validators& v, Discovery& d) {
  if (v.etag) {
    const Response* r = probe.get("discover-if-none-match", url, {{"If-None-Match", v.etag_text}});
    if (r && r->status == 304) d.facts.emplace(fact::if_none_match);
  }
  {
    const Response* r = probe.get("discover-if-none-match-star", url, {{"If-None-Match", "*"}});
    if (r && r->status == 304) d.facts.emplace(fact::if_none_match_star);
  }
  if (d.facts.contains(fact::if_none_match) || d.facts.contains(fact::if_none_match_star))
    d.facts.emplace(fact::if_none_match_evaluated);
  if (v.lm) {
    const Response* r =
        probe.get("discover-if-modified-since", url, {{"If-Modified-Since", v.lm_text}});
    if (r && r->status == 304) d.facts.emplace(fact::if_modified_since);
  }
  // Likewise for If-Match and If-Unmodified-Since: a server that ignores one
  // fails the scenario about evaluating it, not every scenario built on it.
  // A tag the target does not have is false with or without an ETag of its
  // own, so that much is learned of every target.
  {
    const Response* r =
        probe.get("discover-if-match", url, {{"If-Match", "\"condspec-no-match\""}});
    if (r && r->status == 412) {
      d.facts.emplace(fact::if_match_evaluated);
      bool own_tag_holds = v.etag.has_value();
      if (v.etag && !v.etag->weak) {
        r = probe.get("discover-if-match-current", url, {{"If-Match", v.etag_text}});
        own_tag_holds = r && r->status == 200;
      }
      if (own_tag_holds) d.facts.emplace(fact::if_match);
    }
  }
  if (v.lm) {
    const Response* r =
        probe.get("discover-if-unmodified-since", url,
                  {{"If-Unmodified-Since", format_imf_fixdate(*v.lm - std::chrono::hours{24})}});
    if (r && r->status == 412) d.facts.emplace(fact::if_unmodified_since);
  }
}

// Byte ranges, from three shapes of range: a server that mishandles one of
// them (a 206 of the whole content, a suffix read as a prefix) still serves
// ranges, and the partial-content scenarios judge each shape.
void probe_ranges(Prober& probe, const Url& url, const Response& baseline, Discovery& d) {
  if (baseline.content.size() >= 2) {
    const Response* first_byte = probe.get("discover-range", url, {{"Range", "bytes=0-0"}});
    bool partial = first_byte && first_byte->status == 206;
    if (partial && first_byte->content.size() == 1) d.facts.emplace(fact::ranges);
    if (first_byte && first_byte->status == 200) d.facts.emplace(fact::no_ranges);
    for (const auto& [name, range] : {std::pair{"discover-range-middle", "bytes=1-2"},
                                      std::pair{"discover-range-suffix", "bytes=-5"}}) {
      const Response* r = probe.get(name, url, {{"Range", range}});
      partial = partial || (r && r->status == 206);
    }
    if (partial) d.facts.emplace(fact::partial_content);
  }
}

// Whether Accept-Encoding chooses between a gzip and an identity variant,
// asked explicitly so that the user's own Accept-Encoding does not decide.
void probe_encodings(Prober& probe, const Url& url, Discovery& d) {
  const Response* plain = probe.get("discover-identity", url, {{"Accept-Encoding", "identity"}});
  std::optional<Response> identity;
  if (plain && plain->status == 200 && !plain->fields.has("Content-Encoding")) identity = *plain;
  const Response* coded = probe.get("discover-gzip", url, {{"Accept-Encoding", "gzip"}});
  const std::string coding = coded ? field_or_empty(*coded, "Content-Encoding") : "";
  if (identity && coded && coded->status == 200 &&
      (iequals(coding, "gzip") || iequals(coding, "x-gzip"))) {
    d.facts.emplace(fact::gzip);
    auto single_tag = [](const Response& r) {
      return r.fields.count("ETag") == 1 ? parse_entity_tag(field_or_empty(r, "ETag"))
                                         : std::nullopt;
    };
    auto identity_tag = single_tag(*identity);
    auto coded_tag = single_tag(*coded);
    if (identity_tag && coded_tag && identity_tag->opaque != coded_tag->opaque)
      d.facts.emplace(fact::gzip_distinct_etags);
  }
}

}  // namespace

Discovery discover(const TargetConfig& target, Seconds now, ConnectionPool* pool) {
  Discovery d;
  Prober probe(target, d, pool);
  const std::string where = target.url.str();

  const Response* first = probe.get("discover-get", target.url);
  if (!first && d.records.empty()) {  // cancelled before it was sent
    d.unusable = "not tested: the run was interrupted";
    return d;
  }
  if (!first) {
    d.unusable =
        fmt::format("the first request to {} failed: {}", where, d.records.back().exchange.error);
    probe.finish();
    return d;
  }
  if (first->status != 200) {
    d.unusable = fmt::format(
        "GET {} answered {}; condspec needs a URL whose GET answers 200 (give the URL of an "
        "existing resource)",
        where, status_and_reason(*first));
    probe.finish();
    return d;
  }
  const Response baseline = *first;  // copy: later probes may reallocate records

  const Validators v = validator_facts(baseline, now, d);
  probe_repeat(probe, target.url, baseline, v, d);
  probe_preconditions(probe, target.url, v, d);
  probe_ranges(probe, target.url, baseline, d);
  probe_encodings(probe, target.url, d);
  {
    const Response* r = probe.get("discover-missing", missing_url(target.url));
    if (r && r->status == 404) d.facts.emplace(fact::missing_404);
  }
  if (target.unsafe) d.facts.emplace(fact::unsafe_url);
  probe.finish();
  return d;
}

}  // namespace condspec
