#include "src/engine/outcome.h"

namespace condspec {

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::pass:
      return "pass";
    case Outcome::info:
      return "info";
    case Outcome::warn:
      return "warn";
    case Outcome::fail:
      return "fail";
    case Outcome::not_applicable:
      return "not_applicable";
    case Outcome::error:
      return "error";
  }
  return "?";
}

Outcome outcome_for_broken(Level level) {
  switch (level) {
    case Level::must:
    case Level::must_not:
      return Outcome::fail;
    case Level::should:
    case Level::should_not:
      return Outcome::warn;
    case Level::may:
      return Outcome::info;
  }
  return Outcome::fail;
}

Outcome worse(Outcome a, Outcome b) {
  auto rank = [](Outcome o) {
    switch (o) {
      case Outcome::pass:
        return 0;
      case Outcome::info:
        return 1;
      case Outcome::not_applicable:
        return 2;
      case Outcome::warn:
        return 3;
      case Outcome::error:
        return 4;
      case Outcome::fail:
        return 5;
    }
    return 5;
  };
  return rank(a) >= rank(b) ? a : b;
}

}  // namespace condspec
