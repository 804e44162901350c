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

// What the first answer says about validators, recorded as facts.
struct Validators {
  std::string etag_text;
  std::string lm_text;
  std::optional<EntityTag> etag;
  std::optional<Seconds> lm;
};

Validators validator_facts(const Response& baseline, Seconds now, Facts& facts) {
  Validators v;
  v.etag_text = field_or_empty(baseline, "ETag");
  v.lm_text = field_or_empty(baseline, "Last-Modified");
  if (baseline.fields.count("ETag") == 1) v.etag = parse_entity_tag(v.etag_text);
  v.lm = parse_http_date(v.lm_text, now);
  const auto date = parse_http_date(field_or_empty(baseline, "Date"), now);
  if (!v.etag) facts.emplace(fact::no_etag);
  if (v.etag) {
    facts.emplace(fact::etag);
    facts.emplace(v.etag->weak ? fact::weak_etag : fact::strong_etag);
  }
  if (!baseline.fields.has("Last-Modified")) facts.emplace(fact::no_last_modified);
  if (v.lm) {
    facts.emplace(fact::last_modified);
    if (date && *v.lm + std::chrono::seconds{60} <= *date) facts.emplace(fact::old_last_modified);
  }
  return v;
}

// Every probe after the first depends on the first answer only (and one on
// the If-Match probe, sent after them), listed in the order they are
// recorded, with where each kind sits in the list.
struct ProbePlan {
  std::vector<Probe> probes;
  size_t again_at = 0, star_at = 0, if_match_at = 0, identity_at = 0, gzip_at = 0, missing_at = 0;
  std::optional<size_t> inm_at, ims_at, ius_at;
  std::vector<size_t> ranges_at;

  size_t ask(std::string name, const Url& url, Fields fields = {}) {
    probes.push_back({std::move(name), url, std::move(fields)});
    return probes.size() - 1;
  }
};

ProbePlan plan_probes(const Url& url, const Response& baseline, const Validators& v) {
  ProbePlan plan;
  plan.again_at = plan.ask("discover-get-again", url);
  if (v.etag)
    plan.inm_at = plan.ask("discover-if-none-match", url, {{"If-None-Match", v.etag_text}});
  plan.star_at = plan.ask("discover-if-none-match-star", url, {{"If-None-Match", "*"}});
  if (v.lm)
    plan.ims_at = plan.ask("discover-if-modified-since", url, {{"If-Modified-Since", v.lm_text}});
  plan.if_match_at = plan.ask("discover-if-match", url, {{"If-Match", "\"condspec-no-match\""}});
  if (v.lm)
    plan.ius_at =
        plan.ask("discover-if-unmodified-since", url,
                 {{"If-Unmodified-Since", format_imf_fixdate(*v.lm - std::chrono::hours{24})}});
  if (baseline.content.size() >= 2)
    for (const auto& [name, range] :
         {std::pair{"discover-range", "bytes=0-0"}, std::pair{"discover-range-middle", "bytes=1-2"},
          std::pair{"discover-range-suffix", "bytes=-5"}})
      plan.ranges_at.push_back(plan.ask(name, url, {{"Range", range}}));
  plan.identity_at = plan.ask("discover-identity", url, {{"Accept-Encoding", "identity"}});
  plan.gzip_at = plan.ask("discover-gzip", url, {{"Accept-Encoding", "gzip"}});
  plan.missing_at = plan.ask("discover-missing", missing_url(url));
  return plan;
}

// The answers to a plan's probes, wherever each was sent.
class Answers {
 public:
  Answers(const std::deque<Lane>& lanes, const std::vector<Placed>& placed)
      : lanes_(lanes), placed_(placed) {}
  const Response* operator()(size_t at) const { return answer_of(lanes_, placed_[at]); }
  bool are(std::optional<size_t> at, int status) const {
    const Response* r = at ? (*this)(*at) : nullptr;
    return r && r->status == status;
  }

 private:
  const std::deque<Lane>& lanes_;
  const std::vector<Placed>& placed_;
};

// Two GETs in a row: the same content with the same validators is what
// revalidation needs (stable). Validators that change while the content
// does not are judged by a scenario of their own; content that changes
// with its tag is content generated per request.
void repeat_facts(const Response* again, const Response& baseline, const Validators& v,
                  Facts& facts) {
  if (!again) return;
  if (again->status == 200 && again->content == baseline.content) {
    facts.emplace(fact::same_content);
    if (field_or_empty(*again, "ETag") == v.etag_text &&
        field_or_empty(*again, "Last-Modified") == v.lm_text)
      facts.emplace(fact::stable);
  }
  const auto again_etag = again->fields.count("ETag") == 1
                              ? parse_entity_tag(field_or_empty(*again, "ETag"))
                              : std::nullopt;
  if (again->status == 200 && again->content != baseline.content && v.etag && again_etag &&
      again_etag->opaque != v.etag->opaque)
    facts.emplace(fact::etag_follows_content);
}

// Whether If-None-Match is evaluated, in two separate facts: with the tag
// the target itself sent, and with "*". Scenarios about other tag forms
// build on the first, so a server whose own tag never matches (Apache's
// "-gzip" suffix) fails the one scenario about evaluation instead of every
// comparison scenario; the second is all that can be seen of evaluation on
// a resource without an ETag.
void none_match_facts(const Answers& answer, const ProbePlan& plan, Facts& facts) {
  if (answer.are(plan.inm_at, 304)) facts.emplace(fact::if_none_match);
  if (answer.are(plan.star_at, 304)) facts.emplace(fact::if_none_match_star);
  if (facts.contains(fact::if_none_match) || facts.contains(fact::if_none_match_star))
    facts.emplace(fact::if_none_match_evaluated);
  if (answer.are(plan.ims_at, 304)) facts.emplace(fact::if_modified_since);
}

// Likewise for If-Match and If-Unmodified-Since: a server that ignores one
// fails the scenario about evaluating it, not every scenario built on it.
// A tag the target does not have is false with or without an ETag of its
// own, so that much is learned of every target. The one probe that depends
// on another is sent here, last, on the first connection: where its record
// is in that lane, if it was sent.
std::optional<size_t> match_facts(const Answers& answer, const ProbePlan& plan, const Validators& v,
                                  const Url& url, Lane& first_lane, Facts& facts) {
  std::optional<size_t> current_at;
  if (answer.are(plan.if_match_at, 412)) {
    facts.emplace(fact::if_match_evaluated);
    bool own_tag_holds = v.etag.has_value();
    if (v.etag && !v.etag->weak) {
      const size_t before = first_lane.records.size();
      const Response* r =
          first_lane.prober->get("discover-if-match-current", url, {{"If-Match", v.etag_text}});
      if (first_lane.records.size() > before) current_at = before;
      own_tag_holds = r && r->status == 200;
    }
    if (own_tag_holds) facts.emplace(fact::if_match);
  }
  if (answer.are(plan.ius_at, 412)) facts.emplace(fact::if_unmodified_since);
  return current_at;
}

// Byte ranges, from three shapes of range: a server that mishandles one of
// them (a 206 of the whole content, a suffix read as a prefix) still serves
// ranges, and the partial-content scenarios judge each shape.
void range_facts(const Answers& answer, const ProbePlan& plan, Facts& facts) {
  if (plan.ranges_at.empty()) return;
  const Response* first_byte = answer(plan.ranges_at[0]);
  bool partial = first_byte && first_byte->status == 206;
  if (partial && first_byte->content.size() == 1) facts.emplace(fact::ranges);
  if (first_byte && first_byte->status == 200) facts.emplace(fact::no_ranges);
  for (size_t k = 1; k < plan.ranges_at.size(); ++k)
    partial = partial || answer.are(plan.ranges_at[k], 206);
  if (partial) facts.emplace(fact::partial_content);
}

// Whether Accept-Encoding chooses between a gzip and an identity variant,
// asked explicitly so that the user's own Accept-Encoding does not decide.
void encoding_facts(const Answers& answer, const ProbePlan& plan, Facts& facts) {
  const Response* plain = answer(plan.identity_at);
  const Response* identity =
      plain && plain->status == 200 && !plain->fields.has("Content-Encoding") ? plain : nullptr;
  const Response* coded = answer(plan.gzip_at);
  const std::string coding = coded ? field_or_empty(*coded, "Content-Encoding") : "";
  if (!identity || !coded || coded->status != 200 ||
      !(iequals(coding, "gzip") || iequals(coding, "x-gzip")))
    return;
  facts.emplace(fact::gzip);
  auto single_tag = [](const Response& r) {
    return r.fields.count("ETag") == 1 ? parse_entity_tag(field_or_empty(r, "ETag")) : std::nullopt;
  };
  auto identity_tag = single_tag(*identity);
  auto coded_tag = single_tag(*coded);
  if (identity_tag && coded_tag && identity_tag->opaque != coded_tag->opaque)
    facts.emplace(fact::gzip_distinct_etags);
}

// The records in the order the probes were listed, as if sent one by one:
// the first GET, each probe, and If-Match's follow-up right after it.
std::vector<StepRecord> records_in_probe_order(std::deque<Lane>& lanes, const ProbePlan& plan,
                                               const std::vector<Placed>& placed,
                                               std::optional<size_t> current_at) {
  std::vector<StepRecord> records;
  records.push_back(std::move(lanes[0].records[0]));
  for (size_t i = 0; i < plan.probes.size(); ++i) {
    if (placed[i].index)
      records.push_back(std::move(lanes[placed[i].lane].records[*placed[i].index]));
    if (i == plan.if_match_at && current_at)
      records.push_back(std::move(lanes[0].records[*current_at]));
  }
  return records;
}

// Why a target whose first GET did not answer 200 cannot be tested.
std::string unusable_first_answer(const Response* first, const std::vector<StepRecord>& records,
                                  const std::string& where) {
  if (!first && records.empty())  // cancelled before it was sent
    return "not tested: the run was interrupted";
  if (!first)
    return fmt::format("the first request to {} failed: {}", where, records.back().exchange.error);
  return fmt::format(
      "GET {} answered {}; condspec needs a URL whose GET answers 200 (give the URL of an "
      "existing resource)",
      where, status_and_reason(*first));
}

}  // namespace

Discovery discover(const TargetConfig& target, Seconds now, ConnectionPool* pool,
                   ConnectionBudget* budget) {
  Discovery d;
  std::deque<Lane> lanes(1);
  lanes[0].prober = std::make_unique<Prober>(target, lanes[0].records, pool, true);

  const Response* first = lanes[0].prober->get("discover-get", target.url);
  if (!first || first->status != 200) {
    d.unusable = unusable_first_answer(first, lanes[0].records, target.url.str());
    lanes[0].prober->finish();
    d.records = std::move(lanes[0].records);
    return d;
  }
  const Response baseline = *first;  // copy: later probes may reallocate records
  const Validators validators = validator_facts(baseline, now, d.facts);

  // The further probes go out at once, on as many connections as the budget
  // lends.
  const ProbePlan plan = plan_probes(target.url, baseline, validators);
  const size_t borrowed = budget ? budget->borrow(plan.probes.size() - 1) : 0;
  for (size_t l = 1; l <= borrowed; ++l) {
    lanes.emplace_back();
    lanes.back().prober = std::make_unique<Prober>(target, lanes.back().records, pool, false);
  }
  const std::vector<Placed> placed = send_on_lanes(lanes, plan.probes);
  const Answers answer(lanes, placed);

  repeat_facts(answer(plan.again_at), baseline, validators, d.facts);
  none_match_facts(answer, plan, d.facts);
  const auto current_at = match_facts(answer, plan, validators, target.url, lanes[0], d.facts);
  range_facts(answer, plan, d.facts);
  encoding_facts(answer, plan, d.facts);
  if (answer.are(plan.missing_at, 404)) d.facts.emplace(fact::missing_404);
  if (target.unsafe) d.facts.emplace(fact::unsafe_url);

  // Each connection's last exchange receives what came after it.
  for (auto& lane : lanes) lane.prober->finish();
  if (budget) budget->give_back(borrowed);
  d.records = records_in_probe_order(lanes, plan, placed, current_at);
  return d;
}

}  // namespace condspec
