#include "src/cases/checks/same_fields_as.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <set>
#include <string_view>
#include <vector>

#include "src/cases/checks/evidence.h"
#include "src/cases/step_reader.h"
#include "src/cases/yaml_reading.h"
#include "src/core/text.h"
#include "src/http/http_date.h"

namespace condspec {
namespace {

// Vary is a set of field names: order, case, whitespace and duplicates do not matter.
std::set<std::string> vary_names(std::string_view value) {
  std::set<std::string> names;
  for (auto part : split(value, ',')) {
    part = trim(part);
    if (!part.empty()) names.insert(to_lower(part));
  }
  return names;
}

// Cache-Control directives, by lower-case name, values unquoted. Commas
// inside quoted values (no-cache="Set-Cookie, X") do not split.
std::map<std::string, std::string> cache_directives(std::string_view value) {
  std::map<std::string, std::string> directives;
  std::vector<std::string> parts(1);
  bool quoted = false;
  for (char c : value) {
    if (c == '"') quoted = !quoted;
    if (c == ',' && !quoted) {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  for (const auto& part : parts) {
    std::string_view p = trim(part);
    if (p.empty()) continue;
    const auto eq = p.find('=');
    std::string name = to_lower(trim(p.substr(0, eq)));
    std::string arg = eq == std::string_view::npos ? "" : std::string(trim(p.substr(eq + 1)));
    if (arg.size() >= 2 && arg.front() == '"' && arg.back() == '"')
      arg = arg.substr(1, arg.size() - 2);
    directives[name] = arg;
  }
  return directives;
}

// The same directives as the earlier response, in any order and spelling.
// max-age and s-maxage may have counted down by the time that passed between
// the two responses (their Date fields): a 200 sent at the time of the later
// response would carry the smaller value too (nginx's `expires @time`).
bool same_cache_control(const Response& ours, const Response& theirs, Seconds now) {
  auto a = cache_directives(ours.fields.combined("Cache-Control").value_or(""));
  auto b = cache_directives(theirs.fields.combined("Cache-Control").value_or(""));
  if (a.size() != b.size()) return false;
  std::int64_t elapsed = 0;
  auto date = [&](const Response& r) {
    return parse_http_date(trim(r.fields.combined("Date").value_or("")), now);
  };
  if (auto later = date(ours), earlier = date(theirs); later && earlier)
    elapsed = std::max<std::int64_t>(0, (*later - *earlier).count());
  for (const auto& [name, value] : a) {
    auto other = b.find(name);
    if (other == b.end()) return false;
    if (value == other->second) continue;
    if (name != "max-age" && name != "s-maxage") return false;
    char* end_a = nullptr;
    char* end_b = nullptr;
    const long long mine = std::strtoll(value.c_str(), &end_a, 10);
    const long long theirs_age = std::strtoll(other->second.c_str(), &end_b, 10);
    if (*end_a || *end_b || value.empty() || other->second.empty()) return false;
    if (mine > theirs_age || theirs_age - mine > elapsed + 1) return false;
  }
  return true;
}

}  // namespace

std::optional<SameFieldsCheck> SameFieldsCheck::read(const Entry& entry, const StepReader& reader) {
  Diagnostics& d = reader.diagnostics();
  Mapping m(entry.value, entry.key_node.mark(), "same_fields_as", {"step", "fields", "compare"}, d);
  if (!m.valid()) return std::nullopt;
  SameFieldsCheck check;
  if (const Entry* step = m.require("step")) check.step = reader.step_reference(*step).value_or("");
  if (const Entry* fields = m.require("fields")) check.fields = reader.field_names(*fields);
  if (const Entry* compare = m.find("compare")) {
    auto text = read_string(*compare, d);
    if (text && *text == "presence") {
      check.presence_only = true;
    } else if (text && *text == "value-if-present") {
      check.only_when_present = true;
    } else if (text && *text != "value") {
      d.add(compare->mark(), "'compare' must be value, presence or value-if-present, got '" +
                                 short_text(*text) + "'");
    }
  }
  return check;
}

std::string SameFieldsCheck::describe() const {
  return fmt::format("{} {} as in step '{}'", fmt::join(fields, ", "),
                     presence_only       ? "present whenever present"
                     : only_when_present ? "have the same values whenever present"
                                         : "have the same values",
                     step);
}

Verdict SameFieldsCheck::judge(const Response& /*response*/, const CheckInput& in) const {
  const Exchange& exchange = in.exchange;
  const Response& here = *exchange.response;
  auto there = earlier_response(in, step);
  if (!there) return error(fmt::format("fields as in step {}", step), there.error().message);

  std::vector<std::string> missing, different;
  std::vector<std::string> expected_all, actual_all, expected_bad, actual_bad;
  for (const auto& name : fields) {
    auto theirs = (*there)->fields.combined(name);
    if (!theirs) continue;
    auto ours = here.fields.combined(name);
    if (only_when_present && !ours) continue;
    std::string want = presence_only ? name : fmt::format("{}: {}", name, *theirs);
    std::string got = show_field(here, name);
    if (presence_only && ours) got = name;
    expected_all.push_back(want);
    actual_all.push_back(got);
    bool same = true;
    if (!ours) {
      missing.push_back(name);
      same = false;
    } else if (!presence_only) {
      if (iequals(name, "Vary")) {
        same = vary_names(*ours) == vary_names(*theirs);
      } else if (iequals(name, "Cache-Control")) {
        same = same_cache_control(here, **there, in.now);
      } else {
        same = *ours == *theirs;
      }
      if (!same) different.push_back(name);
    }
    if (!same) {
      expected_bad.push_back(want);
      actual_bad.push_back(got);
    }
  }

  auto describe = [&](const std::vector<std::string>& parts) {
    if (presence_only) return join(parts, ", ") + " present";
    return join(parts, "; ");
  };
  if (expected_all.empty() && only_when_present) {
    std::string listed = join(fields, ", ");
    return pass(fmt::format("{} as in step {} where both have them", listed, step), "-",
                fmt::format("This response and that of step '{}' have none of {} in common, so "
                            "there is nothing to compare.",
                            step, listed));
  }
  if (expected_all.empty()) {
    std::string listed = join(fields, ", ");
    return pass(
        fmt::format("nothing to carry (step {} has none of {})", step, listed), "-",
        fmt::format("Step '{}' has none of {}, so there is nothing to compare.", step, listed));
  }
  if (missing.empty() && different.empty()) {
    return pass(fmt::format("{} (as in step {})", describe(expected_all), step),
                describe(actual_all));
  }

  // In presence mode every field that fails is absent here.
  std::string actual = presence_only ? join(missing, ", ") + " absent" : join(actual_bad, "; ");
  std::string earlier_subject = fmt::format("the {} response of step '{}'", (*there)->status, step);
  std::string message = subject(exchange);
  if (!missing.empty()) {
    message += fmt::format(" does not carry {}", join_and(missing));
    if (different.empty()) message += fmt::format(", which {} carried", earlier_subject);
  }
  if (!different.empty()) {
    message += missing.empty() ? " carries" : ", and carries";
    message += fmt::format(" a different {} than {}", join_and(different), earlier_subject);
  }
  message += ".";
  return broken(fmt::format("{} (as in step {})", describe(expected_bad), step), actual, message);
}

}  // namespace condspec
