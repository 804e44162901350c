# shellcheck shell=bash
# Sourced by the packaging tests: what `condspec --help` and
# `condspec COMMAND --help` (CLI11's layout) say the program accepts, so the
# man page and the completions are checked against the program itself.

# The subcommands, one a line.
help_subcommands() {  # PROGRAM
  "$1" --help | awk '/^Subcommands:$/ { on = 1; next } /^$/ { on = 0 } on && /^  [a-z]/ { print $1 }'
}

# The options of COMMAND (or of the program, with no COMMAND), one a line,
# short and long forms apart: -j and --jobs.
help_options() {  # PROGRAM [COMMAND]
  local program="$1"
  shift
  "$program" "$@" --help | awk '
    /^Options:$/ { on = 1; next }
    /^$/ { on = 0 }
    on && /^  -/ {
      names = $1
      n = split(names, parts, ",")
      for (i = 1; i <= n; i++) if (parts[i] ~ /^--?[A-Za-z0-9][A-Za-z0-9-]*$/) print parts[i]
    }'
}

# The report formats `run --help` lists ("FORMAT is one of json, junit, ...").
help_report_formats() {  # PROGRAM
  "$1" run --help | sed -n 's/.*FORMAT is one of \([a-z, ]*\).*/\1/p' | tr -d ' ' | tr ',' '\n'
}

# The protocols `run --help` lists for --protocol ("TEXT:{http/1.1,h2,h2c}").
help_protocols() {  # PROGRAM
  "$1" run --help | sed -n 's/.*--protocol TEXT:{\([a-z0-9/.,]*\)}.*/\1/p' | tr ',' '\n'
}

# The levels `run --help` lists for --fail-on ("TEXT:{must,should,never}").
help_fail_on_levels() {  # PROGRAM
  "$1" run --help | sed -n 's/.*--fail-on TEXT:{\([a-z,]*\)}.*/\1/p' | tr ',' '\n'
}
