#pragma once
// Whether the console summary is coloured: decided for the stream it is
// written to (stdout), so a summary redirected to a file never carries
// escape codes even when stderr, with the progress line, is a terminal.

#include <optional>
#include <string_view>

namespace condspec {

enum class ColorMode { automatic, always, never };

// "auto", "always", "never"; nullopt for anything else.
std::optional<ColorMode> color_mode_from(std::string_view text);

// always and never are what they say (the option wins over NO_COLOR, as
// https://no-color.org asks); automatic colours only a terminal, and not
// when NO_COLOR is set to a non-empty value or TERM is "dumb".
// `no_color` and `term` are the environment's values, null when unset.
bool use_color(ColorMode mode, bool stream_is_terminal, const char* no_color, const char* term);

// use_color for a file descriptor and the process environment.
bool use_color_for(ColorMode mode, int fd);

}  // namespace condspec
