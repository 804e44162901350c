#include "src/cases/loader.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <thread>

#include "src/cases/facts.h"
#include "src/cases/protocol_bounds.h"
#include "src/cases/step_reader.h"
#include "src/cases/template.h"
#include "src/cases/yaml_reading.h"
#include "src/core/file.h"
#include "src/core/natural_order.h"
#include "src/core/text.h"

namespace condspec {
namespace {

// The fixed shapes of ids and section numbers are checked by hand, not with
// std::regex: libstdc++ matches recursively, one stack frame per character,
// so a long id in a case file overflowed the stack.
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || is_digit(c);
}

// Non-empty parts separated by `separator`, each made of `allowed` characters.
bool is_joined(std::string_view s, char separator, bool (*allowed)(char)) {
  for (std::string_view part : split(s, separator))
    if (part.empty() || !std::all_of(part.begin(), part.end(), allowed)) return false;
  return true;
}

// [0-9]+(\.[0-9]+)*
bool is_section_number(std::string_view s) {
  return is_joined(s, '.', is_digit);
}

// [a-z0-9]+(-[a-z0-9]+)*
bool is_slug(std::string_view s) {
  return is_joined(s, '-', is_lower_alnum);
}

// [0-9]{4}
bool is_rfc_number(std::string_view s) {
  return s.size() == 4 && std::all_of(s.begin(), s.end(), is_digit);
}

// [a-z][a-z0-9_]*
bool is_step_id(std::string_view s) {
  return !s.empty() && s[0] >= 'a' && s[0] <= 'z' &&
         std::all_of(s.begin(), s.end(), [](char c) { return is_lower_alnum(c) || c == '_'; });
}

// The RFC whose `scenario.section` the scenario is about (Scenario::rfc): a
// requirement it judges in that section says it; else the file's name, as
// case files are named <rfc>-<section>-<slug>.yaml; else its first
// requirement; else 9110, the RFC most cases are about.
std::string rfc_of(const Scenario& scenario, std::string_view file_name, const Suite& suite) {
  const Requirement* first = nullptr;
  for (const auto& step : scenario.steps)
    for (const auto& e : step.expect)
      if (const Requirement* r = suite.requirement(e.requirement)) {
        if (r->section == scenario.section) return r->rfc;
        if (!first) first = r;
      }
  if (file_name.size() > 5 && is_rfc_number(file_name.substr(0, 4)) && file_name[4] == '-')
    return std::string(file_name.substr(0, 4));
  return first ? first->rfc : "9110";
}

// <rfc>-<section>-<slug>; a section has no '-', so it ends at the first one.
bool is_requirement_id(std::string_view s) {
  if (s.size() < 5 || !is_rfc_number(s.substr(0, 4)) || s[4] != '-') return false;
  const std::string_view rest = s.substr(5);
  const size_t dash = rest.find('-');
  return dash != std::string_view::npos && is_section_number(rest.substr(0, dash)) &&
         is_slug(rest.substr(dash + 1));
}

bool is_word(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) || c == '_';
}

// The requirement ids mentioned in a text, each as
// \b9[0-9]{3}-[0-9.]*[0-9]-[a-z0-9]+(-[a-z0-9]+)* would find them, by hand:
// std::regex spent more time on the catalog's summaries than reading the
// whole catalog takes.
std::vector<std::string_view> mentioned_ids(std::string_view text) {
  std::vector<std::string_view> ids;
  size_t i = 0;
  while ((i = text.find('9', i)) != std::string_view::npos) {
    const size_t start = i++;
    if (start > 0 && is_word(text[start - 1])) continue;  // \b
    size_t at = start + 1;
    auto run = [&](auto allowed) {
      const size_t from = at;
      while (at < text.size() && allowed(text[at])) ++at;
      return at - from;
    };
    if (run(is_digit) != 3 || at >= text.size() || text[at] != '-') continue;
    ++at;
    // [0-9.]*[0-9]-: '-' is not in the run, so no shorter run could end at one.
    if (run([](char c) { return is_digit(c) || c == '.'; }) == 0 || !is_digit(text[at - 1]) ||
        at >= text.size() || text[at] != '-')
      continue;
    ++at;
    if (run(is_lower_alnum) == 0) continue;
    // (-[a-z0-9]+)*: a '-' belongs to the id only when a letter or digit follows.
    while (at + 1 < text.size() && text[at] == '-' && is_lower_alnum(text[at + 1])) {
      ++at;
      run(is_lower_alnum);
    }
    ids.push_back(text.substr(start, at - start));
    i = at;
  }
  return ids;
}

std::string where_text(const SourceLocation& at) {
  return at.file + ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
}

// ---------------------------------------------------------------------------
// The catalog.

// id, rfc and section, each well-formed, and the id starting with the other
// two. True when all of that holds.
bool read_requirement_identity(const Entry* id, const Entry* rfc, const Entry* section,
                               Requirement& r, Diagnostics& d) {
  bool id_ok = false, rfc_ok = false, section_ok = false;
  if (id) {
    if (auto s = read_string(*id, d)) {
      r.id = *s;
      id_ok = is_requirement_id(r.id);
      if (!id_ok)
        d.add(id->mark(), "requirement id '" + short_text(r.id) +
                              "' must look like <rfc>-<section>-<slug>, e.g. "
                              "9110-13.1.2-weak-compare");
    }
  }
  if (rfc) {
    if (auto s = read_string(*rfc, d)) {
      r.rfc = *s;
      rfc_ok = is_rfc_number(r.rfc);
      if (!rfc_ok)
        d.add(rfc->mark(),
              "'rfc' must be an RFC number such as \"9110\", got '" + short_text(r.rfc) + "'");
    }
  }
  if (section) {
    if (auto s = read_string(*section, d)) {
      r.section = *s;
      section_ok = is_section_number(r.section);
      if (!section_ok)
        d.add(section->mark(), "'section' must be a section number such as \"13.1.2\", got '" +
                                   short_text(r.section) + "'");
    }
  }
  if (!id_ok || !rfc_ok || !section_ok) return false;
  const std::string prefix = r.rfc + "-" + r.section + "-";
  if (r.id.compare(0, prefix.size(), prefix) != 0) {
    d.add(id->mark(), "requirement id '" + r.id + "' does not start with its rfc and section ('" +
                          prefix + "')");
    return false;
  }
  return true;
}

bool read_requirement_level(const Entry& level, Requirement& r, Diagnostics& d) {
  auto s = read_string(level, d);
  auto parsed = s ? level_from(*s) : std::nullopt;
  if (parsed) {
    r.level = *parsed;
    return true;
  }
  if (s)
    d.add(level.mark(), "'level' must be one of: MUST, MUST NOT, SHOULD, SHOULD NOT, MAY; got '" +
                            short_text(*s) + "'");
  return false;
}

bool read_requirement_link(const Entry& link, Requirement& r, Diagnostics& d) {
  auto s = read_string(link, d);
  if (!s) return false;
  r.link = *s;
  if (r.link.rfind("https://", 0) == 0 || r.link.rfind("http://", 0) == 0) return true;
  d.add(link.mark(), "'link' must be an http(s) URL, got '" + short_text(r.link) + "'");
  return false;
}

// `observable`, and `unobservable_reason`, which it requires when false and
// forbids otherwise.
bool read_observability(const Mapping& m, const YamlNode& node, Requirement& r, Diagnostics& d) {
  bool ok = true;
  if (const Entry* observable = m.find("observable")) {
    auto b = read_bool(*observable, d);
    ok = b.has_value();
    r.observable = b.value_or(true);
  }
  const Entry* reason = m.find("unobservable_reason");
  if (!r.observable && !reason) {
    d.add(node.mark(),
          "missing required key 'unobservable_reason' in requirement (needed when observable is "
          "false)");
    return false;
  }
  if (!reason) return ok;
  if (r.observable) {
    d.add(reason->key_node.mark(),
          "'unobservable_reason' is only allowed when observable is false");
    return false;
  }
  auto s = read_nonempty_string(*reason, d);
  if (!s) return false;
  r.unobservable_reason = *s;
  return ok;
}

std::optional<Requirement> read_requirement(const YamlNode& node, const YamlMark& fallback,
                                            Diagnostics& d) {
  Mapping m(
      node, fallback, "requirement",
      {"id", "rfc", "section", "level", "summary", "link", "observable", "unobservable_reason"}, d);
  if (!m.valid()) return std::nullopt;
  Requirement r;
  r.where = d.at(node.mark());
  bool ok = true;
  auto want = [&](std::string_view key) {
    const Entry* e = m.require(key);
    if (!e) ok = false;
    return e;
  };
  const Entry* id = want("id");
  const Entry* rfc = want("rfc");
  const Entry* section = want("section");
  const Entry* level = want("level");
  const Entry* summary = want("summary");
  const Entry* link = want("link");
  // Each part is read (and its problems reported) whatever the others hold.
  ok = read_requirement_identity(id, rfc, section, r, d) && ok;
  if (level) ok = read_requirement_level(*level, r, d) && ok;
  if (summary) {
    auto s = read_nonempty_string(*summary, d);
    ok = ok && s;
    if (s) r.summary = *s;
  }
  if (link) ok = read_requirement_link(*link, r, d) && ok;
  ok = read_observability(m, node, r, d) && ok;
  if (!ok) return std::nullopt;
  return r;
}

// `extends: ../requirements.yaml`: the catalog whose rows this one adds to,
// as written, and where.
struct Extends {
  std::string path;
  YamlMark mark;
};

std::vector<Requirement> read_catalog(const YamlNode& root, Diagnostics& d,
                                      std::optional<Extends>* extends = nullptr) {
  std::vector<Requirement> out;
  Mapping top(root, YamlMark{}, "catalog", {"extends", "requirements"}, d);
  if (const Entry* base = top.find("extends")) {
    if (auto path = read_nonempty_string(*base, d)) {
      if (extends)
        *extends = Extends{*path, base->mark()};
      else
        d.add(base->mark(), "'extends' is only allowed in the catalog of a cases directory");
    }
  }
  const Entry* list = top.require("requirements");
  if (!list) return out;
  if (!list->value.is_sequence() || list->value.size() == 0) {
    d.add(list->mark(), "'requirements' must be a non-empty list, got " + describe(list->value));
    return out;
  }
  std::map<std::string, SourceLocation> seen;
  for (const YamlNode* item : list->value.items()) {
    auto r = read_requirement(*item, list->key_node.mark(), d);
    if (!r) continue;
    auto [it, inserted] = seen.emplace(r->id, r->where);
    if (!inserted) {
      d.add(r->where, "duplicate requirement id '" + r->id + "' (first defined at " +
                          where_text(it->second) + ")");
      continue;
    }
    out.push_back(std::move(*r));
  }
  return out;
}

// Summaries and reasons point readers at other rows ("judged as ..."); a
// mistyped or re-wrapped id would send them nowhere. `rows` are checked
// against `known`, every id they may mention.
void check_mentions(const std::vector<Requirement>& rows, const std::vector<Requirement>& known,
                    Diagnostics& d) {
  std::set<std::string, std::less<>> seen;
  for (const auto& r : known) seen.insert(r.id);
  for (const auto& r : rows) {
    for (const std::string* text : {&r.summary, &r.unobservable_reason}) {
      for (std::string_view id : mentioned_ids(*text)) {
        if (!seen.contains(std::string(id)))
          d.add(r.where, "requirement '" + r.id + "' mentions unknown requirement '" +
                             std::string(id) + "'");
      }
    }
  }
}

// ---------------------------------------------------------------------------
// Scenario files.

class CaseFileReader {
 public:
  CaseFileReader(Diagnostics& d, const std::vector<Requirement>& catalog)
      : d_(d), catalog_(catalog) {}

  std::vector<Scenario> read(const YamlNode& root, CaseFile* info) {
    std::vector<Scenario> out;
    Mapping top(root, YamlMark{}, "case file", {"section", "title", "scenarios"}, d_);
    CaseFile file;
    file.path = d_.file();
    if (const Entry* section = top.require("section")) {
      if (auto s = read_string(*section, d_)) {
        file.section = *s;
        if (!is_section_number(file.section))
          d_.add(section->mark(), "'section' must be a section number such as \"13.1.2\", got '" +
                                      short_text(file.section) + "'");
      }
    }
    if (const Entry* title = top.require("title"))
      file.title = read_nonempty_string(*title, d_).value_or("");
    if (info) *info = file;
    const Entry* scenarios = top.require("scenarios");
    if (!scenarios) return out;
    if (!scenarios->value.is_sequence() || scenarios->value.size() == 0) {
      d_.add(scenarios->mark(),
             "'scenarios' must be a non-empty list, got " + describe(scenarios->value));
      return out;
    }
    std::map<std::string, SourceLocation> seen;
    for (const YamlNode* item : scenarios->value.items()) {
      auto scenario = read_scenario(*item, scenarios->key_node.mark(), file);
      if (!scenario) continue;
      auto [it, inserted] = seen.emplace(scenario->id, scenario->where);
      if (!inserted) {
        d_.add(scenario->where, "duplicate scenario id '" + scenario->id + "' (first defined at " +
                                    where_text(it->second) + ")");
        continue;
      }
      out.push_back(std::move(*scenario));
    }
    return out;
  }

 private:
  std::optional<Scenario> read_scenario(const YamlNode& node, const YamlMark& fallback,
                                        const CaseFile& file) {
    Mapping m(node, fallback, "scenario",
              {"id", "title", "why", "tags", "needs", "protocols", "steps", "handling"}, d_);
    if (!m.valid()) return std::nullopt;
    const size_t errors_before = error_count();
    Scenario s;
    s.where = d_.at(node.mark());
    s.section = file.section;
    s.file = d_.file();
    bool has_id = false;
    if (const Entry* id = m.require("id")) {
      if (auto text = read_string(*id, d_)) {
        s.id = *text;
        has_id = is_slug(s.id);
        if (!has_id)
          d_.add(id->mark(), "scenario id '" + short_text(s.id) +
                                 "' must be lowercase letters and digits joined by '-', e.g. "
                                 "inm-weak-tag");
      }
    }
    if (const Entry* title = m.require("title"))
      s.title = read_nonempty_string(*title, d_).value_or("");
    if (const Entry* why = m.find("why")) s.why = read_string(*why, d_).value_or("");
    if (const Entry* tags = m.find("tags")) read_tags(*tags, s);
    if (const Entry* needs = m.find("needs")) {
      for (auto& [fact, fact_node] : read_string_list(*needs, d_).value_or(StringItems{})) {
        if (!find_fact(fact)) {
          std::string known;
          for (const auto& f : known_facts())
            known += (known.empty() ? "" : ", ") + std::string(f.name);
          d_.add(fact_node->mark(),
                 "unknown fact '" + short_text(fact) + "' in needs (known: " + known + ")");
          continue;
        }
        s.needs.push_back(fact);
      }
    }
    const Entry* protocols = m.find("protocols");
    if (protocols) read_protocols(*protocols, s);
    if (const Entry* steps = m.require("steps")) read_steps(*steps, s);
    if (error_count() == errors_before) check_cache_rules(s);
    if (const Entry* handling = m.find("handling"); handling && error_count() == errors_before)
      s.handling = read_handling(*handling, s);
    if (!has_id || error_count() != errors_before) return std::nullopt;
    settle_protocols(s, protocols);
    if (error_count() != errors_before) return std::nullopt;
    return s;
  }

  // `handling:` (model.h's HandlingSpec), read once the steps are known:
  // its checks are read as those of its step, so `step:` in them names an
  // earlier one.
  std::optional<HandlingSpec> read_handling(const Entry& entry, const Scenario& s) {
    Mapping m(entry.value, entry.key_node.mark(), "handling",
              {"step", "repaired", "passed_through", "connection"}, d_);
    if (!m.valid()) return std::nullopt;
    const size_t errors_before = error_count();
    HandlingSpec h;
    h.where = d_.at(entry.key_node.mark());
    if (!s.cache())
      d_.add(entry.key_node.mark(),
             "'handling' belongs to a cache scenario (its first step scripts the origin)");
    std::vector<std::string> earlier;
    const Entry* step = m.require("step");
    if (step) {
      if (auto id = read_string(*step, d_)) {
        auto at = std::find_if(s.steps.begin(), s.steps.end(),
                               [&](const Step& st) { return st.id == *id; });
        if (at == s.steps.end()) {
          d_.add(step->mark(),
                 "handling step '" + short_text(*id) + "' is not a step of this scenario");
        } else {
          h.step = *id;
          for (auto it = s.steps.begin(); it != at; ++it) earlier.push_back(it->id);
        }
      }
    }
    StepReader reader(d_, earlier);
    if (const Entry* repaired = m.require("repaired"))
      h.repaired = read_handling_checks(*repaired, reader, true);
    if (const Entry* passed = m.find("passed_through"))
      h.passed_through = read_handling_checks(*passed, reader, false);
    if (const Entry* connection = m.find("connection")) {
      if (auto id = read_string(*connection, d_)) {
        if (std::find(earlier.begin(), earlier.end(), *id) == earlier.end() && !h.step.empty())
          d_.add(connection->mark(), "'connection' must name a step before '" + h.step +
                                         "' (whose upstream 304 the stray bytes followed), got '" +
                                         short_text(*id) + "'");
        else
          h.connection = *id;
      }
    }
    if (error_count() != errors_before) return std::nullopt;
    return h;
  }

  // A list of checks, each `- kind: value` as in `expect` but without a
  // requirement: they classify, they do not judge.
  std::vector<CheckSpec> read_handling_checks(const Entry& entry, const StepReader& reader,
                                              bool required) {
    std::vector<CheckSpec> out;
    if (!entry.value.is_sequence()) {
      d_.add(entry.mark(),
             "'" + entry.key + "' must be a list of checks, got " + describe(entry.value));
      return out;
    }
    if (required && entry.value.size() == 0) {
      d_.add(entry.mark(), "'" + entry.key + "' must list at least one check");
      return out;
    }
    for (const YamlNode* item : entry.value.items()) {
      Mapping m(*item, entry.key_node.mark(), "handling check",
                std::vector<std::string_view>(kCheckKeys.begin(), kCheckKeys.end()), d_);
      if (!m.valid()) continue;
      if (m.entries().size() != 1) {
        d_.add(item->mark(), "each item of '" + entry.key + "' must be one check, got " +
                                 std::to_string(m.entries().size()));
        continue;
      }
      const Entry& only = m.entries().front();
      auto check = read_check(only, reader);
      if (!check) continue;
      if (judges_upstream(*check)) {
        d_.add(only.key_node.mark(), "'" + only.key +
                                         "' judges what went upstream; the checks of "
                                         "'handling' judge the response the client got");
        continue;
      }
      out.push_back(std::move(*check));
    }
    return out;
  }

  // `protocols: [http/1.1]`: the protocols the scenario is judged over, as
  // listed (kept in kProtocols order).
  void read_protocols(const Entry& entry, Scenario& s) {
    auto items = read_string_list(entry, d_);
    if (!items) return;
    if (items->empty()) {
      d_.add(entry.mark(), "'protocols' must list at least one protocol (http/1.1, h2, h2c)");
      return;
    }
    std::set<Protocol> listed;
    for (auto& [name, name_node] : *items) {
      auto protocol = parse_protocol(name);
      if (!protocol) {
        d_.add(name_node->mark(), "unknown protocol '" + short_text(name) +
                                      "' in protocols (known: http/1.1, h2, h2c)");
        continue;
      }
      if (!listed.insert(*protocol).second)
        d_.add(name_node->mark(), "protocol '" + name + "' is listed twice");
    }
    s.protocols.clear();
    for (Protocol protocol : kProtocols)
      if (listed.contains(protocol)) s.protocols.push_back(protocol);
    s.protocols_stated = true;
  }

  // Keeps the scenario within the protocols it can be judged over
  // (protocol_bounds.h): listing one it cannot is an error, and without a
  // list it is judged over every protocol it can be.
  void settle_protocols(Scenario& s, const Entry* stated) {
    std::vector<Protocol> kept;
    std::vector<std::string> barriers;
    for (Protocol protocol : s.protocols) {
      auto barrier = protocol_barrier(s, protocol);
      if (!barrier) {
        kept.push_back(protocol);
        continue;
      }
      if (stated)
        d_.add(stated->mark(), fmt::format("'protocols' lists {}, but {}: {}", to_string(protocol),
                                           barrier->what, barrier->reason));
      else if (std::find(barriers.begin(), barriers.end(), barrier->what) == barriers.end())
        barriers.push_back(barrier->what);
    }
    if (kept.empty() && !stated)
      d_.add(s.where,
             "scenario '" + s.id + "' can be judged over no protocol: " + join(barriers, ", and "));
    s.protocols = std::move(kept);
  }

  void read_tags(const Entry& tags, Scenario& s) {
    for (auto& [tag, tag_node] : read_string_list(tags, d_).value_or(StringItems{})) {
      if (!is_slug(tag)) {
        d_.add(tag_node->mark(), "tag '" + short_text(tag) +
                                     "' must be lowercase letters and digits joined by '-', e.g. "
                                     "weak-comparison");
        continue;
      }
      s.tags.push_back(tag);
    }
  }

  // The steps in order, each read knowing the ids of the steps before it.
  void read_steps(const Entry& steps, Scenario& s) {
    if (!steps.value.is_sequence() || steps.value.size() == 0) {
      d_.add(steps.mark(), "'steps' must be a non-empty list, got " + describe(steps.value));
      return;
    }
    std::map<std::string, SourceLocation> seen;
    std::vector<std::string> earlier;
    int index = 0;
    for (const YamlNode* item : steps.value.items()) {
      ++index;
      auto step = read_step(*item, steps.key_node.mark(), s, StepReader(d_, earlier), index);
      // A step with errors still counts as earlier for the steps after
      // it, so its mistakes are not reported again as unknown steps.
      const std::string id = step ? step->id : written_id(*item);
      if (id.empty()) continue;
      auto [it, inserted] = seen.emplace(id, d_.at(item->mark()));
      if (!inserted) {
        d_.add(item->mark(),
               "duplicate step id '" + id + "' (first defined at " + where_text(it->second) + ")");
        continue;
      }
      earlier.push_back(id);
      if (step) s.steps.push_back(std::move(*step));
    }
  }

  static std::string written_id(const YamlNode& step) {
    const YamlNode* id = step.find("id");
    return id && id->is_scalar() ? id->scalar() : "";
  }

  bool needs(const Scenario& s, std::string_view fact) const {
    return std::find(s.needs.begin(), s.needs.end(), fact) != s.needs.end();
  }

  std::optional<Step> read_step(const YamlNode& node, const YamlMark& fallback,
                                const Scenario& scenario, const StepReader& reader, int index) {
    Mapping m(node, fallback, "step", {"id", "request", "origin", "pause", "assume", "expect"}, d_);
    if (!m.valid()) return std::nullopt;
    const size_t errors_before = error_count();
    Step step;
    step.where = d_.at(node.mark());
    if (const Entry* id = m.require("id")) {
      if (auto text = read_string(*id, d_)) {
        step.id = *text;
        if (step.id == "now") {
          d_.add(id->mark(),
                 "step id 'now' is reserved: templates use 'now' for the tester's clock");
        } else if (!is_step_id(step.id)) {
          d_.add(id->mark(), "step id '" + short_text(step.id) +
                                 "' must start with a lowercase letter and use only a-z, 0-9 and "
                                 "'_', e.g. first");
        }
      }
    }
    const std::string name =
        step.id.empty() ? "#" + std::to_string(index) : step.id;  // for messages only
    if (const Entry* request = m.find("request"))
      read_request(*request, step, name, scenario, reader);
    if (const Entry* origin = m.find("origin")) step.origin = read_origin(*origin, reader);
    if (const Entry* pause = m.find("pause")) step.pause_ms = read_pause(*pause);
    if (const Entry* assume = m.find("assume")) read_assume(*assume, step, reader);
    if (const Entry* expect = m.find("expect")) {
      if (!expect->value.is_sequence()) {
        d_.add(expect->mark(), "'expect' must be a list, got " + describe(expect->value));
      } else {
        for (const YamlNode* item : expect->value.items()) {
          if (auto e = read_expectation(*item, expect->key_node.mark(), reader))
            step.expect.push_back(std::move(*e));
        }
      }
    }
    if (error_count() != errors_before) return std::nullopt;
    return step;
  }

  // status is required unless the step assumes something of the upstream
  // requests instead (cache scenarios).
  void read_assume(const Entry& assume, Step& step, const StepReader& reader) {
    Mapping a(
        assume.value, assume.key_node.mark(), "assume",
        {"status", "date", "last_modified", "reason", "upstream_requests", "upstream_conditional"},
        d_);
    if (!a.valid()) return;
    const Entry* upstream_requests = a.find("upstream_requests");
    const Entry* upstream_conditional = a.find("upstream_conditional");
    const Entry* status =
        upstream_requests || upstream_conditional ? a.find("status") : a.require("status");
    if (status) step.assume_status = reader.statuses(*status).value_or(std::vector<int>{});
    if (const Entry* date = a.find("date")) step.assume_date = reader.template_of(*date);
    if (const Entry* lm = a.find("last_modified"))
      step.assume_last_modified = reader.template_of(*lm);
    if (const Entry* reason = a.find("reason")) {
      step.assume_reason = read_string(*reason, d_).value_or("");
      if (!step.assume_date && !step.assume_last_modified)
        d_.add(reason->mark(),
               "'reason' explains a 'date' or 'last_modified' assumption; this "
               "assume has neither");
    }
    if (upstream_requests)
      step.assume_upstream_requests =
          read_request_counts(*upstream_requests, reader).value_or(std::vector<int>{});
    if (upstream_conditional)
      step.assume_upstream_conditional = read_bool(*upstream_conditional, d_);
  }

  // `pause: 1.5`: seconds, more than 0 and at most kMaxPauseMs.
  int read_pause(const Entry& pause) {
    const std::string text = pause.value.is_scalar() ? pause.value.scalar() : "";
    double seconds = 0;
    bool number = !text.empty() && text.find_first_not_of("0123456789.") == std::string::npos;
    if (number) {
      try {
        size_t used = 0;
        seconds = std::stod(text, &used);
        number = used == text.size();
      } catch (const std::exception&) {
        number = false;
      }
    }
    const double max_seconds = kMaxPauseMs / 1000.0;
    if (!number || seconds <= 0 || seconds > max_seconds) {
      d_.add(pause.mark(), "'pause' must be a number of seconds above 0 and at most " +
                               short_text(fmt_seconds(max_seconds)) + ", got " +
                               describe(pause.value));
      return 0;
    }
    return static_cast<int>(seconds * 1000 + 0.5);
  }

  static std::string fmt_seconds(double seconds) {
    std::string text = std::to_string(seconds);
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') text.pop_back();
    return text;
  }

  std::optional<OriginSpec> read_origin(const Entry& entry, const StepReader& reader) {
    Mapping m(entry.value, entry.key_node.mark(), "origin",
              {"status", "headers", "body", "not_modified_headers", "fault"}, d_);
    if (!m.valid()) return std::nullopt;
    OriginSpec origin;
    if (const Entry* status = m.find("status")) {
      auto statuses = reader.statuses(*status);
      if (statuses && statuses->size() == 1)
        origin.status = statuses->front();
      else if (statuses)
        d_.add(status->mark(), "the origin's 'status' is one status code, got a list");
    }
    if (const Entry* headers = m.find("headers")) read_headers(*headers, origin.fields, reader);
    if (const Entry* body = m.find("body")) origin.body = reader.template_of(*body);
    if (const Entry* headers = m.find("not_modified_headers")) {
      origin.not_modified_fields.emplace();
      read_headers(*headers, *origin.not_modified_fields, reader);
    }
    if (const Entry* fault = m.find("fault")) {
      origin.fault = read_nonempty_string(*fault, d_).value_or("");
      origin.fault_where = d_.at(fault->mark());
    }
    return origin;
  }

  // What only a cache scenario may do, and what a cache scenario may not:
  // the origin is scripted from its first step; it sends GET and HEAD to its
  // own resource only.
  void check_cache_rules(const Scenario& s) {
    bool scripts = false, judges_upstream_hop = false;
    for (const auto& step : s.steps) {
      scripts |= step.origin.has_value();
      judges_upstream_hop |=
          !step.assume_upstream_requests.empty() || step.assume_upstream_conditional.has_value();
      for (const auto& e : step.expect) judges_upstream_hop |= judges_upstream(e.check);
    }
    if (!scripts && !judges_upstream_hop) return;
    if (s.steps.empty()) return;  // 'steps' must be a non-empty list: already reported
    if (!s.steps.front().origin) {
      d_.add(s.steps.front().where,
             "scenario '" + s.id +
                 "' scripts the origin or judges what went upstream, so it is a cache scenario: "
                 "its first step must script the origin ('origin:')");
      return;
    }
    for (const auto& step : s.steps) {
      const auto& method = step.request.method;
      if ((method != "GET" && method != "HEAD") || step.request.resource != Resource::target)
        d_.add(step.where, "step '" + step.id + "' of a cache scenario sends " + method + " to '" +
                               std::string(to_string(step.request.resource)) +
                               "'; cache scenarios send GET and HEAD to their own resource only");
    }
  }

  void read_request(const Entry& entry, Step& step, const std::string& name,
                    const Scenario& scenario, const StepReader& reader) {
    Mapping m(entry.value, entry.key_node.mark(), "request",
              {"method", "resource", "version", "headers", "body", "split_before"}, d_);
    if (!m.valid()) return;
    RequestSpec& r = step.request;
    const Entry* method = m.find("method");
    bool method_ok = true;
    if (method) {
      auto text = read_string(*method, d_);
      method_ok = text.has_value();
      if (text) {
        r.method = *text;
        if (!is_token(r.method) || std::any_of(r.method.begin(), r.method.end(),
                                               [](char c) { return c >= 'a' && c <= 'z'; })) {
          d_.add(method->mark(),
                 "method '" + short_text(r.method) + "' must be an uppercase token such as GET");
          method_ok = false;
        }
      }
    }
    const Entry* resource = m.find("resource");
    if (resource) {
      if (auto text = read_string(*resource, d_)) {
        if (*text == "target")
          r.resource = Resource::target;
        else if (*text == "unsafe")
          r.resource = Resource::unsafe;
        else if (*text == "missing")
          r.resource = Resource::missing;
        else
          d_.add(resource->mark(), "'resource' must be one of: target, unsafe, missing; got '" +
                                       short_text(*text) + "'");
      }
    }
    if (const Entry* version = m.find("version")) {
      if (auto text = read_string(*version, d_)) {
        if (*text == "HTTP/1.1" || *text == "HTTP/1.0")
          r.version = *text;
        else
          d_.add(version->mark(),
                 "'version' must be HTTP/1.1 or HTTP/1.0, got '" + short_text(*text) + "'");
      }
    }
    if (const Entry* headers = m.find("headers")) read_headers(*headers, r.fields, reader);
    if (const Entry* body = m.find("body")) r.body = reader.template_of(*body);
    if (const Entry* split = m.find("split_before")) read_split_before(*split, r, name, reader);

    // condspec never sends an unsafe method to the URL under test.
    const bool unsafe_method =
        method && method_ok && r.method != "GET" && r.method != "HEAD" && r.method != "OPTIONS";
    bool said_unsafe_url = false;
    if (unsafe_method && !needs(scenario, fact::unsafe_url)) {
      d_.add(method->mark(),
             "step '" + name + "' uses " + r.method +
                 "; a scenario with unsafe methods must list 'unsafe-url' in needs");
      said_unsafe_url = true;
    }
    if (unsafe_method && r.resource != Resource::unsafe)
      d_.add(method->mark(), "step '" + name + "' uses " + r.method +
                                 "; unsafe methods may only be sent to 'resource: unsafe'");
    if (r.resource == Resource::unsafe && !said_unsafe_url && !needs(scenario, fact::unsafe_url))
      d_.add(resource->mark(), "step '" + name +
                                   "' uses 'resource: unsafe'; the scenario must list "
                                   "'unsafe-url' in needs");
    if (r.resource == Resource::missing && !needs(scenario, fact::missing_404))
      d_.add(resource->mark(), "step '" + name +
                                   "' uses 'resource: missing'; the scenario must list "
                                   "'missing-404' in needs");
  }

  // split_before names a field line the step sends, so there is something
  // to split before (Host, added by condspec, is not one of them).
  void read_split_before(const Entry& split, RequestSpec& r, const std::string& name,
                         const StepReader& reader) {
    auto text = read_string(split, d_);
    if (!text || !reader.is_field_name(*text, split.mark())) return;
    auto sent = std::find_if(r.fields.begin(), r.fields.end(),
                             [&](const auto& field) { return iequals(field.first, *text); });
    if (sent == r.fields.end()) {
      std::vector<std::string> names;
      for (const auto& field : r.fields) names.push_back(field.first);
      d_.add(split.mark(), "'split_before' names '" + short_text(*text) + "', which step '" + name +
                               "' does not send" +
                               (names.empty() ? std::string(" (it sends no header fields)")
                                              : " (it sends: " + join(names, ", ") + ")"));
      return;
    }
    r.split_before = *text;
  }

  using TemplateFields = std::vector<std::pair<std::string, Template>>;

  void read_header(const YamlNode& key, const YamlNode& value, TemplateFields& fields,
                   const StepReader& reader) {
    if (!key.is_scalar()) {
      d_.add(key.mark(), "field names in 'headers' must be strings, got " + describe(key));
      return;
    }
    Entry entry{key.scalar(), key, value};
    const bool name_ok = reader.is_field_name(entry.key, key.mark());
    if (!value.is_scalar()) {
      d_.add(entry.mark(), "the value of field '" + short_text(entry.key) +
                               "' must be a string, got " + describe(value) +
                               " (write '' for an empty value)");
      return;
    }
    auto t = reader.template_of(entry);
    if (name_ok && t) fields.emplace_back(entry.key, std::move(*t));
  }

  void read_headers(const Entry& headers, TemplateFields& fields, const StepReader& reader) {
    if (headers.value.is_map()) {
      std::map<std::string, YamlMark> seen;
      for (const auto& [key, value] : headers.value.pairs()) {
        if (key->is_scalar()) {
          auto [first, inserted] = seen.emplace(key->scalar(), key->mark());
          if (!inserted) {
            const SourceLocation at = d_.at(first->second);
            d_.add(key->mark(), "duplicate field '" + key->scalar() + "' in headers (first at " +
                                    std::to_string(at.line) + ":" + std::to_string(at.column) +
                                    "); to send a field twice, use the list form");
            continue;
          }
        }
        read_header(*key, *value, fields, reader);
      }
      return;
    }
    if (headers.value.is_sequence()) {
      for (const YamlNode* item : headers.value.items()) {
        if (!item->is_map() || item->size() != 1) {
          d_.add(item->is_null() ? headers.key_node.mark() : item->mark(),
                 "each item of 'headers' must be a mapping with one field, such as "
                 "- If-None-Match: '\"x\"'; got " +
                     (item->is_map() ? std::to_string(item->size()) + " fields" : describe(*item)));
          continue;
        }
        const YamlNode::Pair& field = item->pairs().front();
        read_header(*field.key, *field.value, fields, reader);
      }
      return;
    }
    d_.add(headers.mark(),
           "'headers' must be a mapping of field names to values, or a list of "
           "single-field mappings; got " +
               describe(headers.value));
  }

  std::optional<Expectation> read_expectation(const YamlNode& node, const YamlMark& fallback,
                                              const StepReader& reader) {
    std::vector<std::string_view> keys = {"requirement"};
    keys.insert(keys.end(), kCheckKeys.begin(), kCheckKeys.end());
    Mapping m(node, fallback, "expectation", keys, d_);
    if (!m.valid()) return std::nullopt;
    const size_t errors_before = error_count();
    Expectation x;
    x.where = d_.at(node.mark());
    if (const Entry* requirement = m.require("requirement")) {
      if (auto id = read_string(*requirement, d_)) {
        x.requirement = *id;
        const bool known = std::any_of(catalog_.begin(), catalog_.end(),
                                       [&](const Requirement& r) { return r.id == *id; });
        if (!known) d_.add(requirement->mark(), "unknown requirement '" + short_text(*id) + "'");
      }
    }
    std::vector<const Entry*> checks;
    for (const auto& entry : m.entries())
      if (entry.key != "requirement") checks.push_back(&entry);
    if (checks.empty()) {
      std::string names;
      for (auto k : kCheckKeys) names += (names.empty() ? "" : ", ") + std::string(k);
      d_.add(node.mark(), "expectation has no check (expected one of: " + names + ")");
    } else if (checks.size() > 1) {
      std::string names;
      for (auto* c : checks) names += (names.empty() ? "'" : ", '") + c->key + "'";
      d_.add(node.mark(), "expectation has " + std::to_string(checks.size()) + " checks (" + names +
                              "); use one check per item");
    } else if (auto check = read_check(*checks.front(), reader)) {
      x.check = std::move(*check);
    }
    if (error_count() != errors_before) return std::nullopt;
    return x;
  }

  size_t error_count() const { return d_.size(); }

  Diagnostics& d_;
  const std::vector<Requirement>& catalog_;
};

std::vector<Requirement> catalog_of(std::string_view yaml, Diagnostics& d,
                                    std::optional<Extends>* extends = nullptr) {
  std::vector<Requirement> out;
  auto document = load_yaml(yaml, d);
  if (document) guarded(d, [&] { out = read_catalog(document->root(), d, extends); });
  return out;
}

std::vector<Scenario> scenarios_of(std::string_view yaml, Diagnostics& d,
                                   const std::vector<Requirement>& catalog, CaseFile* info) {
  std::vector<Scenario> out;
  auto document = load_yaml(yaml, d);
  if (document) guarded(d, [&] { out = CaseFileReader(d, catalog).read(document->root(), info); });
  return out;
}

Result<size_t> case_file_size(const std::filesystem::path& path);  // below

// The rows of the catalog `extends` names (relative to the cases directory),
// which may not extend another; problems of that file are its own
// diagnostics. The rows of `own` may not reuse its ids (reported in `d`).
Loaded<std::vector<Requirement>> extended_catalog(const std::filesystem::path& cases_dir,
                                                  const Extends& extends,
                                                  const std::vector<Requirement>& own,
                                                  Diagnostics& d) {
  const std::filesystem::path path = (cases_dir / extends.path).lexically_normal();
  auto size = case_file_size(path);
  if (!size) {
    d.add(extends.mark,
          "cannot read the catalog it extends, " + path.string() + ": " + size.error().message);
    return std::vector<Requirement>{};
  }
  auto text = read_file(path, *size);
  if (!text) {
    d.add(extends.mark, "cannot read the catalog it extends, " + path.string());
    return std::vector<Requirement>{};
  }
  Diagnostics base_diagnostics(path.string(), *text);
  std::optional<Extends> chained;
  auto base = catalog_of(*text, base_diagnostics, &chained);
  if (chained)
    base_diagnostics.add(chained->mark,
                         "this catalog is extended by another, so it cannot extend one itself");
  if (!base_diagnostics.empty()) return base_diagnostics.sorted();
  for (const auto& r : own) {
    auto same =
        std::find_if(base.begin(), base.end(), [&](const Requirement& b) { return b.id == r.id; });
    if (same != base.end())
      d.add(r.where, "requirement id '" + r.id +
                         "' is already defined in the catalog this one "
                         "extends (" +
                         where_text(same->where) + ")");
  }
  return base;
}

std::string_view file_kind(std::filesystem::file_type type) {
  using std::filesystem::file_type;
  switch (type) {
    case file_type::directory:
      return "a directory";
    case file_type::fifo:
      return "a FIFO";
    case file_type::character:
      return "a character device";
    case file_type::block:
      return "a block device";
    case file_type::socket:
      return "a socket";
    case file_type::not_found:
      return "a symbolic link to nothing";
    default:
      return "not a regular file";
  }
}

// The size of a case file, or why it is not read: it must be a regular file
// (symlinks followed) within kMaxCaseFileBytes. Nothing of it is read here, so
// a FIFO cannot block and a huge file costs nothing.
Result<size_t> case_file_size(const std::filesystem::path& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (status.type() != std::filesystem::file_type::regular)
    return Error{"a case file must be a regular file; this is " +
                 std::string(file_kind(status.type()))};
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return Error{"cannot read the case file: " + ec.message()};
  if (size > kMaxCaseFileBytes)
    return Error{"the file has " + std::to_string(size) + " bytes; a case file may have at most " +
                 std::to_string(kMaxCaseFileBytes) + " (1 MiB)"};
  return static_cast<size_t>(size);
}

}  // namespace

Loaded<std::vector<Requirement>> parse_catalog(std::string_view yaml, std::string_view file_name) {
  Diagnostics d(std::string(file_name), yaml);
  auto requirements = catalog_of(yaml, d);
  check_mentions(requirements, requirements, d);
  if (!d.empty()) return d.sorted();
  return requirements;
}

Loaded<std::vector<Scenario>> parse_case_file(std::string_view yaml, std::string_view file_name,
                                              const std::vector<Requirement>& catalog,
                                              CaseFile* info) {
  Diagnostics d(std::string(file_name), yaml);
  auto scenarios = scenarios_of(yaml, d, catalog, info);
  if (!d.empty()) return d.sorted();
  return scenarios;
}

Loaded<Suite> load_suite(const std::filesystem::path& cases_dir) {
  return load_suite(std::vector<std::filesystem::path>{cases_dir});
}

namespace {

std::vector<Diagnostic> about(const std::filesystem::path& path, std::string message) {
  return std::vector<Diagnostic>{{{path.string(), 0, 0}, std::move(message), std::nullopt}};
}

// One folder's files, each checked and the folder's total bounded before
// any is read: the catalog (catalog_size 0 when there is none) and the
// scenario files, by section number as every listing and report orders
// them (9110-2.3 before 9110-13.1.1).
struct FolderFiles {
  std::filesystem::path dir;
  bool has_catalog = false;
  size_t catalog_size = 0;
  std::vector<std::string> names;
  std::vector<size_t> sizes;
};

Loaded<FolderFiles> folder_files(const std::filesystem::path& cases_dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(cases_dir, ec))
    return about(cases_dir,
                 "not a directory (expected the cases directory with requirements.yaml)");
  FolderFiles folder;
  folder.dir = cases_dir;
  // The non-throwing increment: errors are values, even mid-listing.
  std::filesystem::directory_iterator it(cases_dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name != "requirements.yaml" && it->path().extension() == ".yaml")
      folder.names.push_back(name);
  }
  if (ec) return about(cases_dir, "cannot list the directory: " + ec.message());
  std::sort(folder.names.begin(), folder.names.end(), NaturalLess{});

  const std::filesystem::path catalog_path = cases_dir / "requirements.yaml";
  std::vector<Diagnostic> refused;
  size_t total = 0;
  if (std::filesystem::exists(std::filesystem::symlink_status(catalog_path, ec))) {
    auto size = case_file_size(catalog_path);
    if (!size) return about(catalog_path, size.error().message);
    folder.has_catalog = true;
    total = folder.catalog_size = *size;
  }
  for (const auto& name : folder.names) {
    auto size = case_file_size(cases_dir / name);
    const size_t bytes = size ? *size : 0;
    if (!size) refused.push_back({{(cases_dir / name).string(), 0, 0}, size.error().message, {}});
    folder.sizes.push_back(bytes);
    total += bytes;
  }
  if (!refused.empty()) return refused;
  if (total > kMaxCasesFolderBytes)
    return about(cases_dir, "the case files have " + std::to_string(total) +
                                " bytes in all; a cases folder may have at most " +
                                std::to_string(kMaxCasesFolderBytes) + " (8 MiB)");
  return folder;
}

// A case file, read and checked on its own: what load_suite then adds to
// the suite in file order.
struct ParsedFile {
  std::filesystem::path path;
  std::string name;
  size_t size = 0;
  // Null when the file could not be read. The diagnostics point into the
  // text, so both stay where they are.
  std::unique_ptr<std::string> text;
  std::unique_ptr<Diagnostics> diagnostics;
  CaseFile info;
  std::vector<Scenario> scenarios;
};

void parse_case_file(ParsedFile& file, const std::vector<Requirement>& catalog) {
  auto text = read_file(file.path, file.size);
  if (!text) return;
  const std::string path = file.path.string();
  file.text = std::make_unique<std::string>(std::move(*text));
  file.diagnostics = std::make_unique<Diagnostics>(path, *file.text);
  file.scenarios = scenarios_of(*file.text, *file.diagnostics, catalog, &file.info);
  file.info.path = path;
}

// Reads the files on as many threads as there are cores, at most four.
// Loading the cases comes before a run's first request, so its wall time
// is part of every run's; the files share nothing but the catalog, which
// they only read.
void parse_case_files(std::vector<ParsedFile>& files, const std::vector<Requirement>& catalog) {
  const size_t threads =
      std::min<size_t>({files.size(), std::max(1u, std::thread::hardware_concurrency()), 4});
  if (threads <= 1) {
    for (auto& file : files) parse_case_file(file, catalog);
    return;
  }
  std::atomic<size_t> next{0};
  std::vector<std::exception_ptr> failures(threads);
  auto work = [&](size_t worker) {
    try {
      for (size_t i = next++; i < files.size(); i = next++) parse_case_file(files[i], catalog);
    } catch (...) {
      // Out of memory, in practice: it ends the load as it would on one
      // thread, rather than the process from inside a thread.
      failures[worker] = std::current_exception();
    }
  };
  {
    std::vector<std::jthread> helpers;
    for (size_t w = 1; w < threads; ++w) helpers.emplace_back(work, w);
    work(0);
  }
  for (const auto& failure : failures)
    if (failure) std::rethrow_exception(failure);
}

}  // namespace

Loaded<Suite> load_suite(const std::vector<std::filesystem::path>& cases_dirs) {
  if (cases_dirs.empty()) return about("", "no cases folder given");
  std::vector<FolderFiles> folders;
  for (const auto& dir : cases_dirs) {
    auto files = folder_files(dir);
    if (!files) return files.error();
    folders.push_back(std::move(*files));
  }

  // The catalogs: the first folder's requirements.yaml is required; each
  // further folder may add requirements of its own.
  Suite suite;
  std::map<std::string, std::string> catalog_of_id;  // requirement id -> its catalog file
  for (size_t k = 0; k < folders.size(); ++k) {
    if (k > 0 && !folders[k].has_catalog) continue;
    const auto catalog_path = folders[k].dir / "requirements.yaml";
    const std::string catalog_file = catalog_path.string();
    auto catalog_text = read_file(catalog_path, folders[k].catalog_size);
    if (!catalog_text) return about(catalog_file, "cannot read the requirement catalog");
    Diagnostics catalog_diagnostics(catalog_file, *catalog_text);
    std::optional<Extends> extends;
    auto requirements = catalog_of(*catalog_text, catalog_diagnostics, &extends);
    if (catalog_diagnostics.empty() && extends) {
      auto extended = extended_catalog(folders[k].dir, *extends, requirements, catalog_diagnostics);
      if (!extended) return extended.error();
      requirements.insert(requirements.begin(), extended->begin(), extended->end());
    }
    if (catalog_diagnostics.empty()) {
      // A folder's rows may mention its own requirements and those of the
      // folders before it.
      std::vector<Requirement> known = suite.requirements;
      known.insert(known.end(), requirements.begin(), requirements.end());
      check_mentions(requirements, known, catalog_diagnostics);
    }
    // Scenarios are checked against the catalog; with a broken catalog every
    // scenario would report phantom unknown requirements, so stop here.
    if (!catalog_diagnostics.empty()) return catalog_diagnostics.sorted();
    for (auto& r : requirements) {
      auto [it, added] = catalog_of_id.emplace(r.id, catalog_file);
      if (!added)
        return about(catalog_file, "requirement '" + r.id + "' is already in " + it->second +
                                       "; give yours an id of its own");
      suite.requirements.push_back(std::move(r));
    }
  }

  // Each case file is read on its own, against the catalogs, several at a
  // time; they then join the suite in order, so that the suite and every
  // diagnostic are what reading them one after another gives.
  std::vector<ParsedFile> parsed;
  for (const auto& folder : folders)
    for (size_t i = 0; i < folder.names.size(); ++i)
      parsed.push_back({folder.dir / folder.names[i], folder.names[i], folder.sizes[i]});
  parse_case_files(parsed, suite.requirements);

  std::vector<Diagnostic> all;
  std::map<std::string, SourceLocation> seen;
  for (auto& file : parsed) {
    if (!file.diagnostics) {
      all.push_back({{file.path.string(), 0, 0}, "cannot read the case file", std::nullopt});
      continue;
    }
    Diagnostics& d = *file.diagnostics;
    for (auto& scenario : file.scenarios) {
      scenario.rfc = rfc_of(scenario, file.name, suite);
      auto [it, inserted] = seen.emplace(scenario.id, scenario.where);
      if (!inserted) {
        d.add(scenario.where, "duplicate scenario id '" + scenario.id + "' (first defined at " +
                                  where_text(it->second) + ")");
        continue;
      }
      suite.scenarios.push_back(std::move(scenario));
    }
    suite.files.push_back(std::move(file.info));
    for (auto& diagnostic : d.sorted()) all.push_back(std::move(diagnostic));
  }
  if (!all.empty()) return all;
  return suite;
}

}  // namespace condspec
