#include "reports/json_report.h"

#include <openssl/evp.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string_view>
#include <utility>

#include "reports/report_text.h"
#include "src/cases/facts.h"
#include "src/cases/model.h"
#include "src/core/text.h"
#include "src/engine/outcome.h"
#include "src/http/frame_record.h"

namespace condspec {

std::string_view framing_name(Framing f) {
  switch (f) {
    case Framing::no_content:
      return "no_content";
    case Framing::content_length:
      return "content_length";
    case Framing::chunked:
      return "chunked";
    case Framing::close_delimited:
      return "close_delimited";
    case Framing::end_stream:
      return "end_stream";
  }
  return "?";
}

std::optional<Framing> framing_from(std::string_view name) {
  for (Framing f : {Framing::no_content, Framing::content_length, Framing::chunked,
                    Framing::close_delimited, Framing::end_stream})
    if (framing_name(f) == name) return f;
  return std::nullopt;
}

namespace {
using nlohmann::ordered_json;

double millis(std::chrono::microseconds us) {
  return static_cast<double>(us.count()) / 1000.0;
}

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(bytes.data()),
                                      static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(written));
  return out;
}

// Evidence bytes: the text, where bytes that are not UTF-8 become U+FFFD
// (at dump time), and then also the exact bytes as `<key>_base64`.
void put_bytes(ordered_json& j, const std::string& key, const std::string& bytes) {
  j[key] = bytes;
  if (!is_utf8(bytes)) j[key + "_base64"] = base64(bytes);
}

ordered_json exchange_json(const StepRecord& record) {
  const Exchange& ex = record.exchange;
  ordered_json j;
  j["step"] = record.step;
  j["url"] = record.url;
  j["follow_up"] = record.follow_up;
  j["hop"] = to_string(record.hop);
  if (!record.first_sent_by.empty()) j["first_sent_by"] = record.first_sent_by;
  if (record.connection > 0) j["connection"] = record.connection;
  put_bytes(j, "request", ex.request_bytes);
  if (ex.response) {
    j["status"] = ex.response->status;
    put_bytes(j, "response_head", ex.response->head);
    j["framing"] = framing_name(ex.response->framing);
    j["content_length"] = ex.response->content_size();
    j["framing_notes"] = ex.response->framing_notes;
  } else {
    j["status"] = nullptr;
    j["error"] = ex.error;
    put_bytes(j, "received", ex.received);
    j["received_dropped"] = ex.received_dropped;
  }
  put_bytes(j, "stray_bytes", ex.stray_bytes);
  j["stray_bytes_dropped"] = ex.stray_bytes_dropped;
  j["stray_checked"] = ex.stray_checked;
  j["elapsed_ms"] = millis(ex.elapsed);
  j["frames"] = ordered_json::array();
  for (const auto& f : ex.frames) {
    j["frames"].push_back({{"sent", f.sent},
                           {"type", frame_type_name(f.type)},
                           {"flags", frame_flags_text(f.type, f.flags)},
                           {"length", f.length},
                           {"stream", f.stream}});
  }
  j["frames_dropped"] = ex.frames_dropped;
  return j;
}

ordered_json check_json(const CheckResult& c) {
  ordered_json j;
  j["step"] = c.step;
  j["requirement"] = c.requirement;
  j["rfc"] = c.rfc;
  j["section"] = c.section;
  j["level"] = to_string(c.level);
  j["outcome"] = to_string(c.outcome);
  j["expected"] = c.expected;
  j["actual"] = c.actual;
  j["message"] = c.message;
  j["hop"] = to_string(c.hop);
  return j;
}

ordered_json result_json(const ScenarioResult& r) {
  ordered_json j;
  j["scenario"] = r.scenario;
  j["title"] = r.title;
  j["rfc"] = scenario_rfc(r);
  j["section"] = r.section;
  j["outcome"] = to_string(r.outcome);
  j["reason"] = r.reason.empty() ? ordered_json(nullptr) : ordered_json(r.reason);
  j["elapsed_ms"] = millis(r.elapsed);
  if (r.known)
    j["known"] = {{"reason", r.known->reason},
                  {"expires", r.known->expires.empty() ? ordered_json(nullptr)
                                                       : ordered_json(r.known->expires)}};
  else
    j["known"] = nullptr;
  if (r.handling)
    j["handling"] = {{"kind", to_string(r.handling->kind)},
                     {"step", r.handling->step},
                     {"detail", r.handling->detail}};
  j["checks"] = ordered_json::array();
  for (const auto& c : r.checks) j["checks"].push_back(check_json(c));
  j["exchanges"] = ordered_json::array();
  for (const auto& e : r.exchanges) j["exchanges"].push_back(exchange_json(e));
  return j;
}
}  // namespace

namespace {

ordered_json target_json(const TargetResult& target) {
  ordered_json tj;
  tj["url"] = target.url;
  tj["protocol"] = to_string(target.protocol);
  tj["unusable"] = target.unusable ? ordered_json(*target.unusable) : ordered_json(nullptr);
  tj["facts"] = ordered_json::array();
  for (const auto& f : target.facts) tj["facts"].push_back(f);
  tj["discovery"] = ordered_json::array();
  for (const auto& e : target.discovery) tj["discovery"].push_back(exchange_json(e));
  tj["results"] = ordered_json::array();
  for (const auto& r : target.results) tj["results"].push_back(result_json(r));
  return tj;
}

// Servers may send bytes that are not UTF-8; they are replaced (U+FFFD)
// rather than making the whole report fail to render.
std::string dump(const ordered_json& j) {
  return j.dump(2, ' ', false, ordered_json::error_handler_t::replace);
}

// `text` (a dump) as it reads nested `levels` deep in a dump: every line
// after the first indented. JSON strings hold no raw line ends, so every
// line end is the dump's own.
// Copies line by line rather than byte by byte: the targets' dumps are
// most of a report's megabytes, and this ran as long as the dump itself.
std::string nested(const std::string& text, int levels) {
  const std::string indent(static_cast<size_t>(2 * levels), ' ');
  const std::string_view whole(text);
  std::string out;
  out.reserve(text.size() +
              indent.size() * static_cast<size_t>(std::count(text.begin(), text.end(), '\n')));
  size_t from = 0;
  for (size_t end = whole.find('\n'); end != std::string_view::npos; end = whole.find('\n', from)) {
    out.append(whole.substr(from, end + 1 - from));
    out.append(indent);
    from = end + 1;
  }
  out.append(whole.substr(from));
  return out;
}

}  // namespace

// The text is exactly that of dumping the whole report as one document;
// only the targets, the part that grows with the run, are dumped one by one
// into their places.
void render_json_report(const RunResult& run, FailOn fail_on,
                        const std::function<void(std::string_view)>& sink) {
  const Tally t = tally(run);
  ordered_json j;
  j["schema_version"] = kJsonSchemaVersion;
  j["tool"] = {{"name", "condspec"}, {"version", run.tool_version}};
  j["started_at"] = run.started_at;
  j["elapsed_ms"] = millis(run.elapsed);
  j["complete"] = run.complete;
  j["shard"] = run.shard_count > 0
                   ? ordered_json{{"index", run.shard_index}, {"count", run.shard_count}}
                   : ordered_json(nullptr);
  j["gate"] = {{"fail_on", to_string(fail_on)},
               {"exit_code", exit_code(run, fail_on)},
               {"summary", gate_summary(run, fail_on)}};
  j["totals"] = {{"pass", t.pass},   {"info", t.info},
                 {"warn", t.warn},   {"fail", t.fail},
                 {"known", t.known}, {"not_applicable", t.not_applicable},
                 {"error", t.error}, {"unusable_targets", t.unusable_targets}};
  j["baseline_notes"] = run.baseline_notes;
  j["cache"] = run.cache
                   ? ordered_json{{"origin", run.cache->origin}, {"prefix", run.cache->prefix}}
                   : ordered_json(nullptr);
  std::string head = dump(j);
  head.resize(head.size() - 2);  // the closing "\n}"
  if (run.targets.empty()) {
    sink(head + ",\n  \"targets\": []\n}\n");
    return;
  }
  sink(head + ",\n  \"targets\": [\n    ");
  for (size_t i = 0; i < run.targets.size(); ++i) {
    if (i > 0) sink(",\n    ");
    sink(nested(dump(target_json(run.targets[i])), 2));
  }
  sink("\n  ]\n}\n");
}

std::string render_json_report(const RunResult& run, FailOn fail_on) {
  std::string text;
  render_json_report(run, fail_on, [&](std::string_view piece) { text += piece; });
  return text;
}

}  // namespace condspec
