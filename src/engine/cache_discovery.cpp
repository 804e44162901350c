#include "src/engine/cache_discovery.h"

#include <fmt/format.h>

#include "src/core/cancellation.h"
#include "src/http/transport.h"
#include "src/http/upstream_exchange.h"

namespace condspec {
namespace {

constexpr std::string_view kProbe = "condspec-probe";

OriginScript probe_script() {
  OriginScript script;
  script.fields = {{"Cache-Control", "max-age=3600"},
                   {"ETag", "\"condspec-probe\""},
                   {"Last-Modified", "Wed, 01 Jan 2020 00:00:00 GMT"},
                   {"Content-Type", "text/plain"}};
  script.content = "condspec probe: the cache under test reaches this origin\n";
  return script;
}

}  // namespace

Discovery discover_cache(const TargetConfig& target, Seconds) {
  Discovery d;
  const CacheTarget& cache = *target.cache;
  InstrumentedOrigin& origin = *cache.origin;
  const std::string name = resource_name(cache, kProbe);
  if (auto scripted = origin.script(name, probe_script()); !scripted) {
    d.unusable = "the origin cannot answer the probe: " + scripted.error().message;
    return d;
  }
  const Url url = cache_url_for(target.url, cache, name);
  auto transport = make_transport(url, target.client);

  // One GET, then what reached the origin for it; nullptr if it failed.
  auto get = [&](const std::string& step) -> const Response* {
    const size_t before = origin.received_count(name);
    Request request;
    request.target = url.target;
    add_extra_fields(request, target.extra_fields);
    Sent sent = transport->send(request);
    d.records.push_back({step, url.str(), std::move(sent.exchange), false});
    const size_t client_record = d.records.size() - 1;
    // A cancellation cuts it short: the run then marks the target as
    // interrupted during discovery, whatever was found.
    pause_unless_cancelled(target.client.cancel, cache.settle);
    for (const auto& upstream : origin.received(name, before)) {
      StepRecord record{
          step, origin.base_url() + upstream.request.target, {}, false, Hop::upstream};
      record.exchange.request_bytes = request_text(upstream.request);
      record.exchange.response = upstream.response;
      record.exchange.stray_checked = true;
      d.records.push_back(std::move(record));
    }
    const Exchange& exchange = d.records[client_record].exchange;
    return exchange.ok() ? &*exchange.response : nullptr;
  };

  const size_t refused_before = origin.refused_outside_prefix();
  const Response* first = get("discover-cache");
  const size_t reached = origin.received_count(name);
  if (!first) {
    d.unusable = fmt::format(
        "the first request to the cache at {} failed: {}{}", url.str(),
        d.records.front().exchange.error,
        reached == 0 ? fmt::format("; the origin at {} received no request", origin.base_url())
                     : "");
    return d;
  }
  if (reached == 0) {
    const size_t refused = origin.refused_outside_prefix() - refused_before;
    d.unusable =
        refused > 0
            ? fmt::format(
                  "the cache answered {} for {}, but the origin at {} received that "
                  "request outside the run's prefix {}: the cache changes the path it "
                  "forwards (it must keep the part from {} on)",
                  status_and_reason(*first), url.str(), origin.base_url(), origin.prefix(),
                  origin.prefix())
            : fmt::format(
                  "the cache answered {} for {}, but the origin at {} received no "
                  "request: the cache does not forward to this origin (set its upstream, "
                  "or backend, to {})",
                  status_and_reason(*first), url.str(), origin.base_url(), origin.base_url());
    return d;
  }
  if (first->status != 200) {
    d.unusable = fmt::format(
        "the cache answered {} for {}, which the origin answered with 200; condspec needs a "
        "cache that passes a plain GET through",
        status_and_reason(*first), url.str());
    return d;
  }
  const Response* again = get("discover-cache-again");
  if (again && again->status == 200 && origin.received_count(name) == reached)
    d.facts.emplace(fact::cache_stores);
  transport->close();
  return d;
}

}  // namespace condspec
