#include "src/cases/checks/not_stale.h"

#include <fmt/format.h>

#include "src/cases/checks/evidence.h"
#include "src/cases/step_reader.h"
#include "src/cases/yaml_reading.h"
#include "src/core/text.h"

namespace condspec {
namespace {

std::optional<long> seconds_of(std::string_view text) {
  text = trim(text);
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != text.npos)
    return std::nullopt;
  return std::stol(std::string(text));
}

}  // namespace

std::optional<long> cache_control_seconds(std::string_view cache_control,
                                          std::string_view directive) {
  for (auto part : split(cache_control, ',')) {
    part = trim(part);
    const auto eq = part.find('=');
    if (eq == part.npos || !iequals(trim(part.substr(0, eq)), directive)) continue;
    return seconds_of(part.substr(eq + 1));
  }
  return std::nullopt;
}

std::optional<NotStaleCheck> NotStaleCheck::read(const Entry& entry, const StepReader& reader) {
  if (!read_true(entry, reader.diagnostics())) return std::nullopt;
  return NotStaleCheck{};
}

std::string NotStaleCheck::describe() const {
  return "the response is not stale by its own Age and max-age";
}

Verdict NotStaleCheck::judge(const Response& response, const CheckInput& /*in*/) const {
  const std::string expected = "Age absent, or not above max-age";
  auto age_text = response.fields.combined("Age");
  if (!age_text)
    return pass(expected, "Age absent",
                "The response has no Age, so the cache does not say it is stale.");
  auto cache_control = response.fields.combined("Cache-Control");
  auto max_age = cache_control ? cache_control_seconds(*cache_control, "max-age") : std::nullopt;
  auto age = seconds_of(*age_text);
  const std::string actual =
      fmt::format("Age: {}, Cache-Control: {}", *age_text, cache_control.value_or("(absent)"));
  if (!age || !max_age)
    return pass(expected, actual, "Age or max-age is not a number of seconds: nothing to compare.");
  if (*age <= *max_age) return pass(expected, actual);
  return broken(expected, actual,
                fmt::format("The cache sent a stale response: its Age ({} s) is above its max-age "
                            "({} s).",
                            *age, *max_age));
}

}  // namespace condspec
