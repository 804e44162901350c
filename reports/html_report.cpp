#include "reports/html_report.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <map>
#include <set>
#include <string_view>
#include <vector>

#include "reports/curl_command.h"
#include "reports/report_text.h"
#include "reports/wording.h"
#include "src/cases/model.h"
#include "src/core/natural_order.h"
#include "src/core/text.h"
#include "src/engine/outcome.h"
#include "src/http/frame_record.h"
#include "src/http/message.h"

namespace condspec {

namespace {

constexpr std::string_view kStyle = R"css(
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:1em 2em;color:#1b1b1b}
h1{margin:.2em 0}h2{margin-top:1.6em;border-bottom:1px solid #ccc}
.verdict{font-size:1.3em;font-weight:600;padding:.5em .8em;border-radius:6px}
.verdict.passed{background:#e3f4e3}.verdict.failed{background:#fbe3e3}.verdict.unjudged{background:#fdf1d6}
.banner{background:#fdf1d6;padding:.5em .8em;border-radius:6px;font-weight:600}
table{border-collapse:collapse;margin:.6em 0}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}
.o{display:inline-block;min-width:4.5em;text-align:center;border-radius:4px;font-weight:600;font-size:.85em;padding:0 .3em}
.o-pass{background:#cdeccd}.o-fail{background:#f6b8b8}.o-warn{background:#fbe0a0}.o-info{background:#cfe3f7}
.o-known{background:#e0d4f2}.o-not_applicable{background:#e6e6e6}.o-error{background:#f2c6e8}
details.scenario,details.failure{border:1px solid #ddd;border-radius:6px;margin:.4em 0;padding:.3em .6em}
details.scenario>summary,details.failure>summary{cursor:pointer}
pre{background:#f6f6f6;padding:.5em;overflow-x:auto;white-space:pre-wrap;word-break:break-all;margin:.3em 0}
.filters label{margin-right:1em}.muted{color:#666}
)css";

constexpr std::string_view kScript = R"js(
(function () {
  var form = document.getElementById('filters');
  function apply() {
    var outcome = form.elements.outcome.value;
    var level = form.elements.level.value;
    var section = form.elements.section.value;
    var shown = 0;
    document.querySelectorAll('details.scenario').forEach(function (el) {
      var ok = (outcome === '' || el.dataset.outcome === outcome) &&
               (level === '' || (' ' + el.dataset.levels + ' ').indexOf(' ' + level + ' ') >= 0) &&
               (section === '' || el.dataset.section === section);
      el.hidden = !ok;
      if (ok) shown++;
    });
    document.getElementById('shown').textContent = String(shown);
  }
  function fromHash() {
    var params = new URLSearchParams(location.hash.slice(1));
    ['outcome', 'level', 'section'].forEach(function (name) {
      var value = params.get(name);
      var select = form.elements[name];
      if (value !== null && Array.prototype.some.call(select.options, function (o) { return o.value === value; }))
        select.value = value;
    });
    apply();
  }
  form.addEventListener('change', apply);
  window.addEventListener('hashchange', fromHash);
  fromHash();
  document.documentElement.dataset.ready = '1';
})();
)js";

std::string sha256_base64(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr);
  unsigned char encoded[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
  const int n = EVP_EncodeBlock(encoded, digest, static_cast<int>(length));
  return std::string(reinterpret_cast<char*>(encoded), static_cast<size_t>(n));
}

std::string_view outcome_key(const ScenarioResult& r) {
  return r.known ? "known" : to_string(r.outcome);
}

std::string badge(std::string_view key, std::string_view word) {
  return fmt::format("<span class=\"o o-{}\">{}</span>", key, escape_markup(word));
}

std::string pre(std::string_view bytes) {
  return "<pre>" + escape_markup(printable(bytes)) + "</pre>";
}

// The first `limit` bytes, marked as cut when there were more.
std::string pre_cut(std::string_view bytes, size_t limit) {
  return "<pre>" + escape_markup(printable_prefix(bytes, limit)) + "</pre>";
}

std::string exchanges_html(const std::vector<StepRecord>& records) {
  std::string out;
  for (const auto& record : records) {
    const Exchange& ex = record.exchange;
    out += fmt::format("<h4>step {}{}{} → {} <span class=\"muted\">({})</span></h4>\n",
                       escape_markup(record.step), escape_markup(hop_note(record)),
                       record.follow_up ? " (follow-up on the same connection)" : "",
                       escape_markup(record.url), duration_text(ex.elapsed));
    out += "<div>request</div>" + pre(ex.request_bytes) + "\n";
    if (ex.response) {
      out += "<div>response head</div>" + pre(ex.response->head) + "\n";
      if (ex.response->content_size() > 0)
        out += fmt::format("<div class=\"muted\">{} content bytes</div>\n",
                           ex.response->content_size());
      for (const auto& note : ex.response->framing_notes)
        out += fmt::format("<div>framing: {}</div>\n", escape_markup(note));
    } else {
      out += fmt::format("<div>error: {}</div>\n", escape_markup(ex.error));
      if (!ex.received.empty()) out += "<div>received</div>" + pre(ex.received) + "\n";
    }
    if (!ex.stray_bytes.empty())
      out += fmt::format("<div>{} bytes after the end of this response</div>{}\n",
                         ex.stray_bytes.size(), pre_cut(ex.stray_bytes, 4096));
    if (!ex.frames.empty()) {
      std::string frames;
      for (const auto& frame : ex.frames) frames += describe(frame) + "\n";
      if (ex.frames_dropped > 0) frames += fmt::format("... and {} more\n", ex.frames_dropped);
      // Text of condspec's own (frame names and numbers): lines kept as lines.
      out += fmt::format("<div>{} frames</div><pre>{}</pre>\n",
                         ex.frames.size() + ex.frames_dropped, escape_markup(frames));
    }
  }
  return out;
}

struct SectionCounts {
  std::map<std::string, int> by_outcome;  // outcome key -> scenarios
  int total = 0;
};

constexpr std::string_view kOutcomeKeys[] = {"pass",  "fail",           "warn", "info",
                                             "known", "not_applicable", "error"};
constexpr std::string_view kOutcomeColors[] = {"#5cb85c", "#d9534f", "#f0ad4e", "#5bc0de",
                                               "#9b7fd1", "#b0b0b0", "#c9489f"};

// Per section, a stacked bar of scenario outcomes.
std::string overview_svg(const std::map<std::string, SectionCounts, NaturalLess>& sections) {
  const int row = 24, label_width = 150, bar_width = 560, legend = 30;
  const int height = static_cast<int>(sections.size()) * row + legend + 8;
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" role=\"img\" "
      "aria-label=\"scenario outcomes per RFC section\">\n",
      label_width + bar_width + 60, height);
  int x = 0;
  for (size_t k = 0; k < std::size(kOutcomeKeys); ++k) {
    out += fmt::format(
        "<rect x=\"{}\" y=\"4\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"15\" "
        "font-size=\"12\">{}</text>\n",
        x, kOutcomeColors[k], x + 16,
        kOutcomeKeys[k] == "not_applicable" ? "n/a" : kOutcomeKeys[k]);
    x += kOutcomeKeys[k] == "not_applicable" ? 50 : 70;
  }
  int y = legend;
  for (const auto& [section, counts] : sections) {
    out += fmt::format("<text x=\"0\" y=\"{}\" font-size=\"12\">{}</text>\n", y + 15,
                       escape_markup(section));
    double at = label_width;
    for (size_t k = 0; k < std::size(kOutcomeKeys); ++k) {
      auto it = counts.by_outcome.find(std::string(kOutcomeKeys[k]));
      if (it == counts.by_outcome.end() || counts.total == 0) continue;
      const double width = bar_width * static_cast<double>(it->second) / counts.total;
      out += fmt::format(
          "<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"18\" fill=\"{}\"><title>{} {}: "
          "{}</title></rect>\n",
          at, y + 2, width, kOutcomeColors[k], escape_markup(section), kOutcomeKeys[k], it->second);
      at += width;
    }
    out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text>\n",
                       label_width + bar_width + 6, y + 15, counts.total);
    y += row;
  }
  return out + "</svg>\n";
}

// Target × requirement: the worst check outcome of each requirement per
// target (known when its scenario is a known failure).
std::string matrix_html(const RunResult& run) {
  std::map<std::string, std::map<size_t, std::string>, NaturalLess>
      cells;  // requirement -> target -> key
  std::map<std::string, Outcome> worst;
  for (size_t t = 0; t < run.targets.size(); ++t) {
    for (const auto& r : run.targets[t].results) {
      for (const auto& c : r.checks) {
        const std::string cell_key = fmt::format("{}\x1f{}", c.requirement, t);
        auto [it, added] = worst.try_emplace(cell_key, c.outcome);
        if (!added) it->second = worse(it->second, c.outcome);
        const bool known = r.known && it->second != Outcome::pass && it->second != Outcome::error;
        cells[c.requirement][t] = known ? "known" : std::string(to_string(it->second));
      }
    }
  }
  std::string out =
      "<h2>Targets × requirements</h2>\n<table class=\"matrix\"><tr><th>requirement</th>";
  for (const auto& target : run.targets)
    out += "<th>" + escape_markup(target.url) + "<br><span class=\"muted\">" +
           escape_markup(to_string(target.protocol)) + "</span></th>";
  out += "</tr>\n";
  for (const auto& [requirement, row] : cells) {
    out += "<tr><td>" + escape_markup(requirement) + "</td>";
    for (size_t t = 0; t < run.targets.size(); ++t) {
      auto it = row.find(t);
      out += it == row.end() ? "<td class=\"muted\">—</td>"
                             : "<td>" + badge(it->second, it->second) + "</td>";
    }
    out += "</tr>\n";
  }
  return out + "</table>\n";
}

// `css_class` "scenario" for the list the filters act on; "failure" for the
// copy at the top of the page, which also gives the next step (for a cache
// run, `cache`: its origin, which the next step names).
std::string scenario_html(const TargetResult& target, const ScenarioResult& r,
                          std::string_view css_class = "scenario",
                          const std::optional<CacheRunInfo>& cache = std::nullopt) {
  std::set<std::string> levels;
  for (const auto& c : r.checks) levels.insert(std::string(to_string(c.level)));
  const std::string level_list = join(levels, " ");
  const bool open = r.outcome != Outcome::pass && r.outcome != Outcome::not_applicable;
  std::string out = fmt::format(
      "<details class=\"{}\" data-outcome=\"{}\" data-levels=\"{}\" data-section=\"{}\"{}>"
      "<summary>{} <b>§{}</b> <code>{}</code> — {}</summary>\n",
      css_class, outcome_key(r), escape_markup(level_list), escape_markup(r.section),
      open ? " open" : "", badge(outcome_key(r), outcome_word(r)), escape_markup(r.section),
      escape_markup(r.scenario), escape_markup(r.title));
  if (r.known)
    out += fmt::format(
        "<p>Known failure (baseline): {}{}</p>\n", escape_markup(r.known->reason),
        r.known->expires.empty() ? "" : " — expires " + escape_markup(r.known->expires));
  if (!r.reason.empty()) out += "<p>" + escape_markup(r.reason) + "</p>\n";
  if (r.handling)
    out +=
        fmt::format("<p class=\"handling\">Broken origin handled: <b>{}</b> — {}</p>\n",
                    escape_markup(to_string(r.handling->kind)), escape_markup(r.handling->detail));
  if (!r.checks.empty()) {
    out +=
        "<table><tr><th>requirement</th><th>level</th><th>outcome</th><th>expected</th>"
        "<th>actual</th><th>in plain words</th></tr>\n";
    for (const auto& c : r.checks) {
      out += fmt::format(
          "<tr><td><a href=\"{}\">{}</a> <span class=\"muted\">step {}{}</span></td><td>{}</td>"
          "<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
          escape_markup(section_link(c.rfc, c.section)), escape_markup(c.requirement),
          escape_markup(c.step), check_hop(c).empty() ? "" : ", " + escape_markup(check_hop(c)),
          escape_markup(to_string(c.level)), badge(to_string(c.outcome), to_string(c.outcome)),
          escape_markup(c.expected), escape_markup(c.actual), escape_markup(c.message));
    }
    out += "</table>\n";
  }
  if (css_class == "failure")
    out += "<div>next step</div><pre class=\"next-step\">" +
           escape_markup(next_step_text(target, r, cache)) + "</pre>\n";
  out += exchanges_html(r.exchanges);
  return out + "</details>\n";
}

std::string select_html(std::string_view name, const std::vector<std::string>& values) {
  std::string out =
      fmt::format("<label>{} <select name=\"{}\"><option value=\"\">all</option>", name, name);
  for (const auto& v : values)
    out += fmt::format("<option value=\"{}\">{}</option>", escape_markup(v), escape_markup(v));
  return out + "</select></label>";
}

// The document's head (its content security policy admits only the
// page's own style and script) and the opening of its body.
std::string page_start() {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'sha256-{}'; script-src 'sha256-{}'; img-src data:; base-uri 'none'; "
      "form-action 'none'\">\n"
      "<meta name=\"referrer\" content=\"no-referrer\">\n"
      "<title>condspec report</title>\n<style>{}</style>\n</head>\n<body>\n",
      sha256_base64(kStyle), sha256_base64(kScript), kStyle);
}

// The verdict, what was run, whether the run is whole, and the totals.
std::string verdict_html(const RunResult& run, FailOn fail_on) {
  const int code = exit_code(run, fail_on);
  const Tally t = tally(run);
  std::string out =
      fmt::format("<h1>condspec report</h1>\n<p class=\"verdict {}\" id=\"verdict\">{}</p>\n",
                  code == kExitPassed       ? "passed"
                  : code == kExitGateFailed ? "failed"
                                            : "unjudged",
                  escape_markup(gate_summary(run, fail_on)));
  out += fmt::format("<p class=\"muted\">condspec {} · started {} · {} · --fail-on {}</p>\n",
                     escape_markup(run.tool_version), escape_markup(run.started_at),
                     duration_text(run.elapsed), to_string(fail_on));
  if (!run.complete)
    out += "<p class=\"banner\">The run was interrupted: these results are incomplete.</p>\n";
  if (run.shard_count > 0)
    out += fmt::format(
        "<p class=\"banner\">Shard {} of {}: only this shard's share of the "
        "scenarios.</p>\n",
        run.shard_index, run.shard_count);
  out += fmt::format(
      "<table id=\"totals\"><tr><th>pass</th><th>fail</th><th>warn</th><th>info</th><th>known</th>"
      "<th>not applicable</th><th>error</th></tr>\n<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
      "<td>{}</td><td>{}</td><td>{}</td></tr></table>\n",
      t.pass, t.fail, t.warn, t.info, t.known, t.not_applicable, t.error);
  return out;
}

// Each unusable target and each failure (not the known ones) with its
// evidence and next step.
std::string failures_html(const RunResult& run) {
  std::string failures;
  for (const auto& target : run.targets) {
    if (target.unusable)
      failures += fmt::format("<p>{} target {}: {}</p>\n",
                              badge(to_string(Outcome::error), outcome_word(Outcome::error)),
                              escape_markup(target_label(target)), escape_markup(*target.unusable));
    for (const auto& r : target.results)
      if (!r.known &&
          (r.outcome == Outcome::fail || r.outcome == Outcome::warn || r.outcome == Outcome::error))
        failures +=
            fmt::format("<p class=\"muted\">on {}</p>\n", escape_markup(target_label(target))) +
            scenario_html(target, r, "failure", run.cache);
  }
  if (failures.empty()) return "";
  return "<h2 id=\"failures\">Failures</h2>\n" + failures;
}

std::string overview_html(const RunResult& run) {
  std::map<std::string, SectionCounts, NaturalLess> sections;  // §2.3 before §13.1.2
  for (const auto& target : run.targets) {
    for (const auto& r : target.results) {
      auto& counts = sections[section_label(scenario_rfc(r), r.section)];
      ++counts.by_outcome[std::string(outcome_key(r))];
      ++counts.total;
    }
  }
  return "<h2>Overview per section</h2>\n" + overview_svg(sections);
}

std::string baseline_html(const RunResult& run) {
  if (run.baseline_notes.empty()) return "";
  std::string out = "<h2>Baseline</h2>\n<ul>\n";
  for (const auto& note : run.baseline_notes) out += "<li>" + escape_markup(note) + "</li>\n";
  return out + "</ul>\n";
}

// The filters over the scenario list: by outcome, level and section.
std::string filters_html(const RunResult& run) {
  std::set<std::string, NaturalLess> section_ids;
  for (const auto& target : run.targets)
    for (const auto& r : target.results) section_ids.insert(r.section);
  std::vector<std::string> outcomes(std::begin(kOutcomeKeys), std::end(kOutcomeKeys));
  std::vector<std::string> level_names;
  for (Level level : kLevels) level_names.emplace_back(to_string(level));
  return "<h2>Scenarios</h2>\n<form id=\"filters\" class=\"filters\">" +
         select_html("outcome", outcomes) + select_html("level", level_names) +
         select_html("section", {section_ids.begin(), section_ids.end()}) +
         "<span class=\"muted\"><span id=\"shown\"></span> shown</span></form>\n";
}

// One target: its facts, why it could not be used, and every scenario.
std::string target_html(const TargetResult& target) {
  std::string out =
      fmt::format("<h3 class=\"target\">target {}</h3>\n", escape_markup(target_label(target)));
  const std::string facts = join(target.facts, " ");
  out += fmt::format("<p>facts: {}</p>\n", facts.empty() ? "(none)" : escape_markup(facts));
  if (target.unusable) {
    out += fmt::format("<p>{} {}</p>\n",
                       badge(to_string(Outcome::error), outcome_word(Outcome::error)),
                       escape_markup(*target.unusable));
    out += exchanges_html(target.discovery);
  }
  for (const auto& r : target.results) out += scenario_html(target, r);
  return out;
}

}  // namespace

std::string render_html_report(const RunResult& run, FailOn fail_on) {
  // What a reviewer acts on comes first: each failure with its evidence and
  // next step; then the overview, the matrix and every scenario.
  std::string out = page_start() + verdict_html(run, fail_on) + failures_html(run) +
                    overview_html(run) + baseline_html(run);
  if (run.targets.size() > 1) out += matrix_html(run);
  out += filters_html(run);
  for (const auto& target : run.targets) out += target_html(target);
  return out + fmt::format("<script>{}</script>\n</body>\n</html>\n", kScript);
}

}  // namespace condspec
