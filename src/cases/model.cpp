#include "src/cases/model.h"

namespace condspec {

bool Scenario::unsafe() const {
  for (const auto& step : steps) {
    if (step.request.resource == Resource::unsafe) return true;
    const auto& m = step.request.method;
    if (m != "GET" && m != "HEAD" && m != "OPTIONS") return true;
  }
  return false;
}

const Requirement* Suite::requirement(std::string_view id) const {
  for (const auto& r : requirements)
    if (r.id == id) return &r;
  return nullptr;
}

const Scenario* Suite::scenario(std::string_view id) const {
  for (const auto& s : scenarios)
    if (s.id == id) return &s;
  return nullptr;
}

std::string_view to_string(Level level) {
  switch (level) {
    case Level::must:
      return "MUST";
    case Level::must_not:
      return "MUST NOT";
    case Level::should:
      return "SHOULD";
    case Level::should_not:
      return "SHOULD NOT";
    case Level::may:
      return "MAY";
  }
  return "?";
}

std::optional<Level> level_from(std::string_view text) {
  for (Level level : kLevels)
    if (to_string(level) == text) return level;
  return std::nullopt;
}

std::string_view to_string(Resource resource) {
  switch (resource) {
    case Resource::target:
      return "target";
    case Resource::unsafe:
      return "unsafe";
    case Resource::missing:
      return "missing";
  }
  return "?";
}

}  // namespace condspec
