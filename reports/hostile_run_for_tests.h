#pragma once
// A RunResult in which every piece of text holds what a hostile server (or
// case file) could put there: terminal escape sequences (ESC, raw C1, the
// UTF-8 C1 CSI), bidirectional overrides, line breaks, bytes that are not
// UTF-8, and markup meant to break out of XML, HTML and Markdown. Every
// outcome, an unusable target, a known failure, baseline notes, an
// interrupted run and a cache run's upstream exchanges are in it, so every
// branch of every renderer meets it.
// first_unsafe() finds what must never be in an output.

#include <fmt/format.h>

#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>

#include "src/core/text.h"
#include "src/engine/run_result.h"

namespace condspec::testing {

// The payload: each piece is something one of the output formats must
// neutralise.
inline const std::string kHostileText =
    "A\x1b]0;owned\x07\x1b[2J"  // OSC title, clear screen
    "\x9b"                      // raw C1 CSI (not UTF-8)
    "31m\xc2\x9b"               // the UTF-8 C1 CSI
    "32m\xe2\x80\xae"           // RIGHT-TO-LEFT OVERRIDE
    "txt.exe\xe2\x81\xa6"       // LEFT-TO-RIGHT ISOLATE
    "\xe2\x80\xa8"              // LINE SEPARATOR
    "|<script>alert(1)</script>]]>&amp;\"'`*_[x](javascript:1)\r\n\t\x7f\xff\xfe";

// A run whose every string is `what it is` followed by `payload`.
inline RunResult hostile_run(const std::string& payload = kHostileText) {
  auto hostile = [&](const std::string& what) { return what + payload; };
  auto exchange = [&](bool failed) {
    StepRecord record;
    record.step = hostile("step");
    record.url = hostile("http://h/");
    record.exchange.request_bytes = hostile("GET / HTTP/1.1\r\nX: ") + "\r\n\r\n";
    if (failed) {
      record.exchange.error = hostile("error");
      record.exchange.received = hostile("received");
    } else {
      record.exchange.response = Response{};
      record.exchange.response->status = 200;
      record.exchange.response->reason = hostile("reason");
      record.exchange.response->head = hostile("HTTP/1.1 200 ") + "\r\n\r\n";
      record.exchange.response->content = hostile("content");
      record.exchange.response->framing_notes = {hostile("note")};
    }
    record.exchange.stray_bytes = hostile("stray");
    return record;
  };
  auto check = [&](Outcome outcome) {
    return CheckResult{
        hostile("step"), hostile("requirement"), hostile("rfc"),    hostile("section"), Level::must,
        outcome,         hostile("expected"),    hostile("actual"), hostile("message")};
  };

  RunResult run;
  run.tool_version = hostile("version");
  run.started_at = hostile("started");
  run.complete = false;
  run.baseline_notes = {hostile("baseline note")};

  TargetResult unusable;
  unusable.url = hostile("http://unusable/");
  unusable.unusable = hostile("unusable");
  unusable.discovery = {exchange(false), exchange(true)};
  run.targets.push_back(unusable);

  TargetResult target;
  target.url = hostile("http://target/");
  target.facts = {hostile("fact")};
  target.discovery = {exchange(false)};
  for (Outcome outcome : {Outcome::pass, Outcome::fail, Outcome::warn, Outcome::info,
                          Outcome::error, Outcome::not_applicable}) {
    ScenarioResult r;
    r.scenario = hostile("scenario");
    r.title = hostile("title");
    r.section = hostile("section");
    r.outcome = outcome;
    if (outcome == Outcome::error || outcome == Outcome::not_applicable)
      r.reason = hostile("reason");
    if (outcome != Outcome::not_applicable) {
      r.checks = {check(outcome), check(Outcome::pass)};
      // The cache run's second hop: what the cache sent the origin is as
      // much the adversary's text as a server's answer.
      StepRecord upstream = exchange(false);
      upstream.hop = Hop::upstream;
      upstream.exchange.stray_checked = true;
      r.exchanges = {exchange(false), exchange(true), upstream};
    }
    target.results.push_back(r);
  }
  ScenarioResult known = target.results[1];
  known.known = KnownFailure{hostile("known reason"), hostile("expires")};
  target.results.push_back(known);
  ScenarioResult error_without_checks;
  error_without_checks.scenario = hostile("scenario");
  error_without_checks.outcome = Outcome::error;
  error_without_checks.reason = hostile("reason");
  target.results.push_back(error_without_checks);
  run.targets.push_back(target);
  return run;
}

// Decodes one UTF-8 character at `i`; 0 bytes when it is not valid UTF-8.
inline size_t utf8_at(std::string_view text, size_t i, uint32_t& code) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) {
    code = c;
    return 1;
  }
  const size_t length = c >= 0xc2 && c <= 0xdf   ? 2
                        : c >= 0xe0 && c <= 0xef ? 3
                        : c >= 0xf0 && c <= 0xf4 ? 4
                                                 : 0;
  if (length == 0 || i + length > text.size()) return 0;
  code = length == 2 ? c & 0x1f : length == 3 ? c & 0x0f : c & 0x07;
  for (size_t k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(text[i + k]);
    if ((next & 0xc0) != 0x80) return 0;
    code = (code << 6) | (next & 0x3f);
  }
  const uint32_t smallest = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
  if (code < smallest || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return 0;
  return length;
}

inline bool is_reordering(uint32_t code) {
  return code == 0x061c || code == 0x200e || code == 0x200f || (code >= 0x202a && code <= 0x202e) ||
         (code >= 0x2066 && code <= 0x2069) || code == 0x2028 || code == 0x2029;
}

// The first thing in `text` that could act on a terminal or a reader rather
// than be read: "" when there is none. Line feeds are allowed, and with
// `colors`, condspec's own SGR sequences (ESC [ digits m).
inline std::string first_unsafe(std::string_view text, bool colors = false) {
  for (size_t i = 0; i < text.size();) {
    uint32_t code = 0;
    const size_t length = utf8_at(text, i, code);
    auto where = [&] {
      return fmt::format(" at byte {}: ...{}...", i,
                         printable(text.substr(i < 40 ? 0 : i - 40, 80)));
    };
    if (length == 0) return "not UTF-8" + where();
    if (code == 0x1b && colors) {
      size_t end = i + 1;
      if (end < text.size() && text[end] == '[') {
        ++end;
        while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
        if (end < text.size() && text[end] == 'm' && end > i + 2) {
          i = end + 1;
          continue;
        }
      }
    }
    if ((code < 0x20 && code != '\n') || (code >= 0x7f && code <= 0x9f))
      return fmt::format("control U+{:04X}", code) + where();
    if (is_reordering(code)) return fmt::format("reordering U+{:04X}", code) + where();
    i += length;
  }
  return "";
}

}  // namespace condspec::testing
