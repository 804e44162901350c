#include "runner/color.h"

#include <unistd.h>

#include <cstdlib>
#include <string_view>

namespace condspec {

std::optional<ColorMode> color_mode_from(std::string_view text) {
  if (text == "auto") return ColorMode::automatic;
  if (text == "always") return ColorMode::always;
  if (text == "never") return ColorMode::never;
  return std::nullopt;
}

bool use_color(ColorMode mode, bool stream_is_terminal, const char* no_color, const char* term) {
  switch (mode) {
    case ColorMode::always:
      return true;
    case ColorMode::never:
      return false;
    case ColorMode::automatic:
      if (no_color && *no_color) return false;
      if (term && std::string_view(term) == "dumb") return false;
      return stream_is_terminal;
  }
  return false;
}

bool use_color_for(ColorMode mode, int fd) {
  return use_color(mode, isatty(fd) == 1, std::getenv("NO_COLOR"), std::getenv("TERM"));
}

}  // namespace condspec
