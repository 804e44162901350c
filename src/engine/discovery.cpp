#include "src/engine/discovery.h"

#include <fmt/format.h>

#include <atomic>
#include <deque>
#include <memory>
#include <optional>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

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
  Prober(const TargetConfig& target, std::vector<StepRecord>& records, ConnectionPool* pool,
         bool fresh)
      : target_(target), records_(records), pool_(pool), fresh_(fresh) {}

  // Sends a GET of `url` with the given extra fields; nullptr if it failed,
  // or without sending anything once the run is cancelled.
  const Response* get(std::string name, const Url& url, Fields fields = {}) {
    if (target_.client.cancel && target_.client.cancel->cancelled()) return nullptr;
    if (!transport_ || transport_origin_ != url.origin()) {
      finish();
      transport_ =
          pool_ ? pool_->take(url, target_.client, fresh_) : make_transport(url, target_.client);
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
    records_.push_back({std::move(name), url.str(), std::move(sent.exchange), false});
    previous_index_ = records_.size() - 1;
    const auto& ex = records_.back().exchange;
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
  Exchange* previous() { return previous_index_ ? &records_[*previous_index_].exchange : nullptr; }

  const TargetConfig& target_;
  std::vector<StepRecord>& records_;
  ConnectionPool* pool_;
  bool fresh_;  // a new connection, not an idle one from the pool
  std::unique_ptr<Transport> transport_;
  std::string transport_origin_;
  std::optional<size_t> previous_index_;
};

std::string field_or_empty(const Response& r, std::string_view name) {
  const std::string* v = r.fields.find(name);
  return v ? std::string(trim(*v)) : std::string();
}

// A request of discovery that depends on nothing but the first answer.
struct Probe {
  std::string name;
  Url url;
  Fields fields;
};

// One connection's worth of discovery: its records, in the order it sent them.
// Lanes live in a deque: a prober keeps a reference to its lane's records.
struct Lane {
  std::vector<StepRecord> records;
  std::unique_ptr<Prober> prober;
};

// Where a probe's record is; no index when it was never sent (the run was
// cancelled).
struct Placed {
  size_t lane = 0;
  std::optional<size_t> index;
};

// Sends `probes` on every lane at once, each lane taking the next probe not
// yet sent, so that at N lanes they take about 1/N of the round trips.
std::vector<Placed> send_on_lanes(std::deque<Lane>& lanes, const std::vector<Probe>& probes) {
  std::vector<Placed> placed(probes.size());
  std::atomic<size_t> next{0};
  auto drain = [&](size_t l) {
    for (size_t i = next++; i < probes.size(); i = next++) {
      const size_t before = lanes[l].records.size();
      lanes[l].prober->get(probes[i].name, probes[i].url, probes[i].fields);
      if (lanes[l].records.size() > before) placed[i] = {l, before};
    }
  };
  std::vector<std::jthread> helpers;
  for (size_t l = 1; l < lanes.size(); ++l) helpers.emplace_back(drain, l);
  drain(0);
  helpers.clear();  // joins
  return placed;
}

const Response* answer_of(const std::deque<Lane>& lanes, const Placed& placed) {
  if (!placed.index) return nullptr;
  const Exchange& ex = lanes[placed.lane].records[*placed.index].exchange;
  return ex.ok() ? &*ex.response : nullptr;
}

}  // namespace

Discovery discover(const TargetConfig& target, Seconds now, ConnectionPool* pool,
                   ConnectionBudget* budget) {
  Discovery d;
  std::deque<Lane> lanes(1);
  lanes[0].prober = std::make_unique<Prober>(target, lanes[0].records, pool, true);
  Prober& probe = *lanes[0].prober;
  const std::string where = target.url.str();

  const Response* first = probe.get("discover-get", target.url);
  if (!first && lanes[0].records.empty()) {  // cancelled before it was sent
    d.unusable = "not tested: the run was interrupted";
    return d;
  }
  if (!first) {
    d.unusable = fmt::format("the first request to {} failed: {}", where,
                             lanes[0].records.back().exchange.error);
    probe.finish();
    d.records = std::move(lanes[0].records);
    return d;
  }
  if (first->status != 200) {
    d.unusable = fmt::format(
        "GET {} answered {}; condspec needs a URL whose GET answers 200 (give the URL of an "
        "existing resource)",
        where, status_and_reason(*first));
    probe.finish();
    d.records = std::move(lanes[0].records);
    return d;
  }
  const Response baseline = *first;  // copy: later probes may reallocate records

  const std::string etag_text = field_or_empty(baseline, "ETag");
  const std::string lm_text = field_or_empty(baseline, "Last-Modified");
  const auto etag = baseline.fields.count("ETag") == 1 ? parse_entity_tag(etag_text) : std::nullopt;
  const auto lm = parse_http_date(lm_text, now);
  const auto date = parse_http_date(field_or_empty(baseline, "Date"), now);

  if (!etag) d.facts.emplace(fact::no_etag);
  if (etag) {
    d.facts.emplace(fact::etag);
    d.facts.emplace(etag->weak ? fact::weak_etag : fact::strong_etag);
  }
  if (!baseline.fields.has("Last-Modified")) d.facts.emplace(fact::no_last_modified);
  if (lm) {
    d.facts.emplace(fact::last_modified);
    if (date && *lm + std::chrono::seconds{60} <= *date) d.facts.emplace(fact::old_last_modified);
  }

  // Every further probe depends on the first answer only (and one on the
  // If-Match probe, sent after them): they go out at once, on as many
  // connections as the budget lends, and are recorded in this order.
  std::vector<Probe> probes;
  auto ask = [&](std::string name, const Url& url, Fields fields = {}) {
    probes.push_back({std::move(name), url, std::move(fields)});
    return probes.size() - 1;
  };
  const size_t again_at = ask("discover-get-again", target.url);
  std::optional<size_t> inm_at, ims_at, ius_at;
  if (etag) inm_at = ask("discover-if-none-match", target.url, {{"If-None-Match", etag_text}});
  const size_t star_at = ask("discover-if-none-match-star", target.url, {{"If-None-Match", "*"}});
  if (lm) ims_at = ask("discover-if-modified-since", target.url, {{"If-Modified-Since", lm_text}});
  const size_t if_match_at =
      ask("discover-if-match", target.url, {{"If-Match", "\"condspec-no-match\""}});
  if (lm)
    ius_at = ask("discover-if-unmodified-since", target.url,
                 {{"If-Unmodified-Since", format_imf_fixdate(*lm - std::chrono::hours{24})}});
  std::vector<size_t> ranges_at;
  if (baseline.content.size() >= 2)
    for (const auto& [name, range] :
         {std::pair{"discover-range", "bytes=0-0"}, std::pair{"discover-range-middle", "bytes=1-2"},
          std::pair{"discover-range-suffix", "bytes=-5"}})
      ranges_at.push_back(ask(name, target.url, {{"Range", range}}));
  const size_t identity_at =
      ask("discover-identity", target.url, {{"Accept-Encoding", "identity"}});
  const size_t gzip_at = ask("discover-gzip", target.url, {{"Accept-Encoding", "gzip"}});
  const size_t missing_at = ask("discover-missing", missing_url(target.url));

  const size_t borrowed = budget ? budget->borrow(probes.size() - 1) : 0;
  for (size_t l = 1; l <= borrowed; ++l) {
    lanes.emplace_back();
    lanes.back().prober = std::make_unique<Prober>(target, lanes.back().records, pool, false);
  }
  const std::vector<Placed> placed = send_on_lanes(lanes, probes);
  auto answer = [&](size_t at) { return answer_of(lanes, placed[at]); };

  // Two GETs in a row: the same content with the same validators is what
  // revalidation needs (stable). Validators that change while the content
  // does not are judged by a scenario of their own; content that changes
  // with its tag is content generated per request.
  if (const Response* again = answer(again_at)) {
    if (again->status == 200 && again->content == baseline.content) {
      d.facts.emplace(fact::same_content);
      if (field_or_empty(*again, "ETag") == etag_text &&
          field_or_empty(*again, "Last-Modified") == lm_text)
        d.facts.emplace(fact::stable);
    }
    const auto again_etag = again->fields.count("ETag") == 1
                                ? parse_entity_tag(field_or_empty(*again, "ETag"))
                                : std::nullopt;
    if (again->status == 200 && again->content != baseline.content && etag && again_etag &&
        again_etag->opaque != etag->opaque)
      d.facts.emplace(fact::etag_follows_content);
  }
  // Whether If-None-Match is evaluated, in two separate facts: with the tag
  // the target itself sent, and with "*". Scenarios about other tag forms
  // build on the first, so a server whose own tag never matches (Apache's
  // "-gzip" suffix) fails the one scenario about evaluation instead of every
  // comparison scenario; the second is all that can be seen of evaluation on
  // a resource without an ETag.
  auto answered = [&](std::optional<size_t> at, int status) {
    const Response* r = at ? answer(*at) : nullptr;
    return r && r->status == status;
  };
  if (answered(inm_at, 304)) d.facts.emplace(fact::if_none_match);
  if (answered(star_at, 304)) d.facts.emplace(fact::if_none_match_star);
  if (d.facts.contains(fact::if_none_match) || d.facts.contains(fact::if_none_match_star))
    d.facts.emplace(fact::if_none_match_evaluated);
  if (answered(ims_at, 304)) d.facts.emplace(fact::if_modified_since);
  // Likewise for If-Match and If-Unmodified-Since: a server that ignores one
  // fails the scenario about evaluating it, not every scenario built on it.
  // A tag the target does not have is false with or without an ETag of its
  // own, so that much is learned of every target. The one probe that
  // depends on another goes last, on the first connection.
  std::optional<size_t> current_in_lane0;
  if (answered(if_match_at, 412)) {
    d.facts.emplace(fact::if_match_evaluated);
    bool own_tag_holds = etag.has_value();
    if (etag && !etag->weak) {
      const size_t before = lanes[0].records.size();
      const Response* r =
          probe.get("discover-if-match-current", target.url, {{"If-Match", etag_text}});
      if (lanes[0].records.size() > before) current_in_lane0 = before;
      own_tag_holds = r && r->status == 200;
    }
    if (own_tag_holds) d.facts.emplace(fact::if_match);
  }
  if (answered(ius_at, 412)) d.facts.emplace(fact::if_unmodified_since);
  // Byte ranges, from three shapes of range: a server that mishandles one of
  // them (a 206 of the whole content, a suffix read as a prefix) still serves
  // ranges, and the partial-content scenarios judge each shape.
  if (!ranges_at.empty()) {
    const Response* first_byte = answer(ranges_at[0]);
    bool partial = first_byte && first_byte->status == 206;
    if (partial && first_byte->content.size() == 1) d.facts.emplace(fact::ranges);
    if (first_byte && first_byte->status == 200) d.facts.emplace(fact::no_ranges);
    for (size_t k = 1; k < ranges_at.size(); ++k) partial = partial || answered(ranges_at[k], 206);
    if (partial) d.facts.emplace(fact::partial_content);
  }
  // Whether Accept-Encoding chooses between a gzip and an identity variant,
  // asked explicitly so that the user's own Accept-Encoding does not decide.
  {
    const Response* plain = answer(identity_at);
    const Response* identity =
        plain && plain->status == 200 && !plain->fields.has("Content-Encoding") ? plain : nullptr;
    const Response* coded = answer(gzip_at);
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
  if (answered(missing_at, 404)) d.facts.emplace(fact::missing_404);
  if (target.unsafe) d.facts.emplace(fact::unsafe_url);

  // Each connection's last exchange receives what came after it; then the
  // records, in the order the probes were listed (as if sent one by one).
  for (auto& lane : lanes) lane.prober->finish();
  if (budget) budget->give_back(borrowed);
  d.records.push_back(std::move(lanes[0].records[0]));
  for (size_t i = 0; i < probes.size(); ++i) {
    if (placed[i].index)
      d.records.push_back(std::move(lanes[placed[i].lane].records[*placed[i].index]));
    if (i == if_match_at && current_in_lane0)
      d.records.push_back(std::move(lanes[0].records[*current_in_lane0]));
  }
  return d;
}

}  // namespace condspec
