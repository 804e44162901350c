#include "reports/json_report.h"

#include <openssl/evp.h>

#include <algorithm>
#include <string_view>
#include <utility>

#include "reports/json_writer.h"
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

// A string member, or null when it is empty.
void string_or_null(JsonWriter& w, std::string_view key, const std::string& text) {
  w.key(key);
  if (text.empty())
    w.null();
  else
    w.value(text);
}

void strings(JsonWriter& w, std::string_view key, const auto& texts) {
  w.key(key);
  w.begin_array();
  for (const std::string& text : texts) w.value(text);
  w.end_array();
}

// Evidence bytes: the text, where bytes that are not UTF-8 become U+FFFD,
// and then also the exact bytes as `<key>_base64`.
void put_bytes(JsonWriter& w, std::string_view key, const std::string& bytes) {
  w.key(key);
  w.value(bytes);
  if (is_utf8(bytes)) return;
  w.key(std::string(key) + "_base64");
  w.value(base64(bytes));
}

void write_frames(JsonWriter& w, const std::vector<FrameRecord>& frames) {
  w.key("frames");
  w.begin_array();
  for (const auto& f : frames) {
    w.begin_object();
    w.member("sent", f.sent);
    w.member("type", frame_type_name(f.type));
    w.member("flags", frame_flags_text(f.type, f.flags));
    w.member("length", uint64_t{f.length});
    w.member("stream", uint64_t{f.stream});
    w.end_object();
  }
  w.end_array();
}

void write_exchange(JsonWriter& w, const StepRecord& record) {
  const Exchange& ex = record.exchange;
  w.begin_object();
  w.member("step", record.step);
  w.member("url", record.url);
  w.member("follow_up", record.follow_up);
  w.member("hop", to_string(record.hop));
  if (!record.first_sent_by.empty()) {
    w.member("first_sent_by", record.first_sent_by);
  }
  if (record.connection > 0) {
    w.member("connection", record.connection);
  }
  if (record.missed_attempt > 0) {
    w.member("missed_attempt", record.missed_attempt);
  }
  put_bytes(w, "request", ex.request_bytes);
  w.key("status");
  if (ex.response) {
    w.value(ex.response->status);
    put_bytes(w, "response_head", ex.response->head);
    w.member("framing", framing_name(ex.response->framing));
    w.member("content_length", uint64_t{ex.response->content_size()});
    strings(w, "framing_notes", ex.response->framing_notes);
  } else {
    w.null();
    w.member("error", ex.error);
    put_bytes(w, "received", ex.received);
    w.member("received_dropped", uint64_t{ex.received_dropped});
  }
  put_bytes(w, "stray_bytes", ex.stray_bytes);
  w.member("stray_bytes_dropped", uint64_t{ex.stray_bytes_dropped});
  w.member("stray_checked", ex.stray_checked);
  w.member("elapsed_ms", millis(ex.elapsed));
  write_frames(w, ex.frames);
  w.member("frames_dropped", uint64_t{ex.frames_dropped});
  w.end_object();
}

void write_check(JsonWriter& w, const CheckResult& c) {
  w.begin_object();
  w.member("step", c.step);
  w.member("requirement", c.requirement);
  w.member("rfc", c.rfc);
  w.member("section", c.section);
  w.member("level", to_string(c.level));
  w.member("outcome", to_string(c.outcome));
  w.member("expected", c.expected);
  w.member("actual", c.actual);
  w.member("message", c.message);
  w.member("hop", to_string(c.hop));
  w.end_object();
}

void write_result(JsonWriter& w, const ScenarioResult& r) {
  w.begin_object();
  w.member("scenario", r.scenario);
  w.member("title", r.title);
  w.member("rfc", scenario_rfc(r));
  w.member("section", r.section);
  w.member("outcome", to_string(r.outcome));
  string_or_null(w, "reason", r.reason);
  w.member("elapsed_ms", millis(r.elapsed));
  w.key("known");
  if (r.known) {
    w.begin_object();
    w.member("reason", r.known->reason);
    string_or_null(w, "expires", r.known->expires);
    w.end_object();
  } else {
    w.null();
  }
  if (r.handling) {
    w.key("handling");
    w.begin_object();
    w.member("kind", to_string(r.handling->kind));
    w.member("step", r.handling->step);
    w.member("detail", r.handling->detail);
    w.end_object();
  }
  w.key("checks");
  w.begin_array();
  for (const auto& c : r.checks) write_check(w, c);
  w.end_array();
  w.key("exchanges");
  w.begin_array();
  for (const auto& e : r.exchanges) write_exchange(w, e);
  w.end_array();
  w.end_object();
}

// A target's results are most of a report: they go to the sink whenever
// this much text has gathered, so that not even one target is held whole.
constexpr size_t kPieceSize = 256 * 1024;

void write_target(JsonWriter& w, const TargetResult& target,
                  const std::function<void(std::string_view)>& sink) {
  w.begin_object();
  w.member("url", target.url);
  w.member("protocol", to_string(target.protocol));
  w.key("unusable");
  if (target.unusable)
    w.value(*target.unusable);
  else
    w.null();
  strings(w, "facts", target.facts);
  w.key("discovery");
  w.begin_array();
  for (const auto& e : target.discovery) write_exchange(w, e);
  w.end_array();
  w.key("results");
  w.begin_array();
  for (const auto& r : target.results) {
    write_result(w, r);
    if (w.text().size() >= kPieceSize) w.flush_to(sink);
  }
  w.end_array();
  w.end_object();
}

void write_head(JsonWriter& w, const RunResult& run, FailOn fail_on) {
  const Tally t = tally(run);
  w.member("schema_version", kJsonSchemaVersion);
  w.key("tool");
  w.begin_object();
  w.member("name", "condspec");
  w.member("version", run.tool_version);
  w.end_object();
  w.member("started_at", run.started_at);
  w.member("elapsed_ms", millis(run.elapsed));
  w.member("complete", run.complete);
  w.key("shard");
  if (run.shard_count > 0) {
    w.begin_object();
    w.member("index", run.shard_index);
    w.member("count", run.shard_count);
    w.end_object();
  } else {
    w.null();
  }
  w.key("gate");
  w.begin_object();
  w.member("fail_on", to_string(fail_on));
  w.member("exit_code", exit_code(run, fail_on));
  w.member("summary", gate_summary(run, fail_on));
  w.end_object();
  w.key("totals");
  w.begin_object();
  for (auto [name, count] : {std::pair{"pass", t.pass},
                             {"info", t.info},
                             {"warn", t.warn},
                             {"fail", t.fail},
                             {"known", t.known},
                             {"not_applicable", t.not_applicable},
                             {"error", t.error},
                             {"unusable_targets", t.unusable_targets}}) {
    w.member(name, count);
  }
  w.end_object();
  strings(w, "baseline_notes", run.baseline_notes);
  w.key("cache");
  if (run.cache) {
    w.begin_object();
    w.member("origin", run.cache->origin);
    w.member("prefix", run.cache->prefix);
    w.end_object();
  } else {
    w.null();
  }
}

}  // namespace

// Written as JsonWriter lays it out, the text is exactly that of dumping
// the whole report as one nlohmann document (with invalid UTF-8 replaced),
// which is how it was made before; it goes to the sink in pieces.
void render_json_report(const RunResult& run, FailOn fail_on,
                        const std::function<void(std::string_view)>& sink) {
  JsonWriter w;
  w.begin_object();
  write_head(w, run, fail_on);
  w.key("targets");
  w.begin_array();
  for (const auto& target : run.targets) {
    write_target(w, target, sink);
    w.flush_to(sink);
  }
  w.end_array();
  w.end_object();
  w.flush_to(sink);
  sink("\n");
}

std::string render_json_report(const RunResult& run, FailOn fail_on) {
  std::string text;
  render_json_report(run, fail_on, [&](std::string_view piece) { text += piece; });
  return text;
}

}  // namespace condspec
