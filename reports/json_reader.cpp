#include "reports/json_reader.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <cstdint>
#include <exception>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "reports/json_report.h"
#include "src/cases/facts.h"
#include "src/cases/model.h"
#include "src/engine/outcome.h"
#include "src/http/frame_record.h"
#include "src/http/message.h"

namespace condspec {

namespace {
using nlohmann::json;

std::chrono::microseconds micros(const json& ms) {
  return std::chrono::microseconds{static_cast<int64_t>(ms.get<double>() * 1000.0 + 0.5)};
}

std::string text_or_empty(const json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

// Evidence bytes: exact from `<key>_base64` when the report has it (bytes
// that are not UTF-8), else the text.
std::string bytes_of(const json& j, const std::string& key) {
  const std::string encoded = text_or_empty(j, (key + "_base64").c_str());
  if (encoded.empty() || encoded.size() % 4 != 0) return text_or_empty(j, key.c_str());
  std::string out(encoded.size() / 4 * 3, '\0');
  const int decoded = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(encoded.data()),
                                      static_cast<int>(encoded.size()));
  if (decoded < 0) throw std::runtime_error("'" + key + "_base64' is not base64");
  // EVP_DecodeBlock counts the padding as zero bytes.
  size_t length = static_cast<size_t>(decoded);
  for (size_t i = encoded.size(); i > 0 && encoded[i - 1] == '='; --i) --length;
  out.resize(length);
  return out;
}

Outcome outcome_from(const std::string& s) {
  for (Outcome o : {Outcome::pass, Outcome::info, Outcome::warn, Outcome::fail,
                    Outcome::not_applicable, Outcome::error})
    if (to_string(o) == s) return o;
  throw std::runtime_error(fmt::format("unknown outcome '{}'", s));
}

Level level_or_throw(const std::string& s) {
  if (auto level = level_from(s)) return *level;
  throw std::runtime_error(fmt::format("unknown level '{}'", s));
}

StepRecord exchange_from(const json& j) {
  StepRecord record;
  record.step = j.at("step").get<std::string>();
  record.url = j.at("url").get<std::string>();
  record.follow_up = j.value("follow_up", false);
  record.first_sent_by = j.value("first_sent_by", std::string());
  record.hop = j.value("hop", "client") == "upstream" ? Hop::upstream : Hop::client;
  record.connection = j.value("connection", 0);
  record.missed_attempt = j.value("missed_attempt", 0);
  Exchange& ex = record.exchange;
  j.at("request");  // required
  ex.request_bytes = bytes_of(j, "request");
  if (!j.at("status").is_null()) {
    Response response;
    response.status = j["status"].get<int>();
    j.at("response_head");  // required
    response.head = bytes_of(j, "response_head");
    response.framing = framing_from(j.value("framing", "no_content")).value_or(Framing::no_content);
    response.content_dropped = j.value("content_length", size_t{0});
    response.framing_notes = j.value("framing_notes", std::vector<std::string>{});
    ex.response = std::move(response);
  } else {
    ex.error = text_or_empty(j, "error");
    ex.received = bytes_of(j, "received");
    ex.received_dropped = j.value("received_dropped", size_t{0});
  }
  ex.stray_bytes = bytes_of(j, "stray_bytes");
  ex.stray_bytes_dropped = j.value("stray_bytes_dropped", size_t{0});
  ex.stray_checked = j.value("stray_checked", false);
  ex.elapsed = micros(j.value("elapsed_ms", 0.0));
  if (j.contains("frames")) {
    for (const auto& f : j["frames"]) {
      const std::string type_name = f.at("type").get<std::string>();
      const std::string flags_text = f.value("flags", "");
      auto type = frame_type_from_name(type_name);
      if (!type) throw std::runtime_error(fmt::format("unknown frame type '{}'", type_name));
      auto flags = frame_flags_from_text(*type, flags_text);
      if (!flags)
        throw std::runtime_error(
            fmt::format("unknown flags '{}' of a {} frame", flags_text, type_name));
      ex.frames.push_back({f.value("sent", false), *type, *flags, f.at("length").get<uint32_t>(),
                           f.at("stream").get<uint32_t>()});
    }
  }
  ex.frames_dropped = j.value("frames_dropped", size_t{0});
  return record;
}

ScenarioResult result_from(const json& j) {
  ScenarioResult r;
  r.scenario = j.at("scenario").get<std::string>();
  r.title = text_or_empty(j, "title");
  r.section = j.at("section").get<std::string>();
  r.rfc = text_or_empty(j, "rfc");  // absent in reports older than it
  r.outcome = outcome_from(j.at("outcome").get<std::string>());
  r.reason = text_or_empty(j, "reason");
  r.elapsed = micros(j.value("elapsed_ms", 0.0));
  if (j.contains("known") && j["known"].is_object())
    r.known =
        KnownFailure{text_or_empty(j["known"], "reason"), text_or_empty(j["known"], "expires")};
  if (j.contains("handling") && j["handling"].is_object()) {
    const std::string kind = j["handling"].at("kind").get<std::string>();
    auto parsed = handling_kind_from(kind);
    if (!parsed) throw std::runtime_error(fmt::format("unknown handling '{}'", kind));
    r.handling = Handling{*parsed, text_or_empty(j["handling"], "step"),
                          text_or_empty(j["handling"], "detail")};
  }
  for (const auto& c : j.at("checks")) {
    r.checks.push_back({c.at("step").get<std::string>(), c.at("requirement").get<std::string>(),
                        c.at("rfc").get<std::string>(), c.at("section").get<std::string>(),
                        level_or_throw(c.at("level").get<std::string>()),
                        outcome_from(c.at("outcome").get<std::string>()),
                        text_or_empty(c, "expected"), text_or_empty(c, "actual"),
                        text_or_empty(c, "message"),
                        c.value("hop", "client") == "upstream" ? Hop::upstream : Hop::client});
  }
  for (const auto& e : j.at("exchanges")) r.exchanges.push_back(exchange_from(e));
  return r;
}

TargetResult target_from(const json& tj) {
  TargetResult target;
  target.url = tj.at("url").get<std::string>();
  // Reports from before protocols were judged are HTTP/1.1 runs.
  const std::string protocol = tj.value("protocol", "http/1.1");
  auto parsed = parse_protocol(protocol);
  if (!parsed) throw std::runtime_error(fmt::format("unknown protocol '{}'", protocol));
  target.protocol = *parsed;
  if (!tj.at("unusable").is_null()) target.unusable = tj["unusable"].get<std::string>();
  for (const auto& f : tj.at("facts"))
    target.facts.insert(target.facts.end(), f.get<std::string>());
  for (const auto& e : tj.at("discovery")) target.discovery.push_back(exchange_from(e));
  for (const auto& r : tj.at("results")) target.results.push_back(result_from(r));
  return target;
}

}  // namespace

Result<ReadReport> read_json_report(std::string_view text, std::string_view name) {
  try {
    // Each target becomes a TargetResult as soon as the parser has read it
    // and is then dropped from the document, so a report of many targets
    // (a large shard, for condspec merge) is never held whole as a
    // document. Its error, if any, is reported after those of the report
    // as a whole, as when the document was read first.
    std::vector<TargetResult> targets;
    std::optional<std::string> target_error;
    std::string top_level_key;
    const json::parser_callback_t convert_targets = [&](int depth, json::parse_event_t event,
                                                        json& parsed) {
      if (event == json::parse_event_t::key && depth == 1)
        top_level_key = parsed.get<std::string>();
      if (event != json::parse_event_t::object_end || depth != 2 || top_level_key != "targets")
        return true;
      if (!target_error) {
        try {
          targets.push_back(target_from(parsed));
        } catch (const std::exception& e) {
          target_error = e.what();
        }
      }
      return false;
    };
    const json j = json::parse(text, convert_targets);
    if (!j.is_object() || !j.contains("schema_version") || !j.contains("targets"))
      return Error{fmt::format("{}: not a condspec JSON report", name)};
    const int version = j["schema_version"].get<int>();
    if (version != kJsonSchemaVersion)
      return Error{fmt::format("{}: schema_version {} is not supported (this condspec reads {})",
                               name, version, kJsonSchemaVersion)};
    ReadReport read;
    RunResult& run = read.run;
    run.tool_version = j.at("tool").value("version", "");
    run.started_at = text_or_empty(j, "started_at");
    run.elapsed = micros(j.value("elapsed_ms", 0.0));
    run.complete = j.value("complete", true);
    if (j.contains("shard") && j["shard"].is_object()) {
      run.shard_index = j["shard"].at("index").get<int>();
      run.shard_count = j["shard"].at("count").get<int>();
    }
    if (j.contains("baseline_notes"))
      run.baseline_notes = j["baseline_notes"].get<std::vector<std::string>>();
    if (j.contains("cache") && j["cache"].is_object())
      run.cache =
          CacheRunInfo{text_or_empty(j["cache"], "origin"), text_or_empty(j["cache"], "prefix")};
    read.fail_on = fail_on_from(j.at("gate").value("fail_on", "must")).value_or(FailOn::must);
    if (target_error) throw std::runtime_error(*target_error);
    // What is left of "targets" was no target object: its error as before.
    for (const auto& tj : j["targets"]) targets.push_back(target_from(tj));
    run.targets = std::move(targets);
    return read;
  } catch (const std::exception& e) {
    return Error{fmt::format("{}: not a valid condspec JSON report: {}", name, e.what())};
  }
}

}  // namespace condspec
