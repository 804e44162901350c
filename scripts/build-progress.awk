# Turns ninja's output (scripts/build.sh) into condspec's build progress.
# Input: ninja's stdout, its status lines prefixed with NINJA_STATUS
# "@condspec-step@ FINISHED TOTAL "; every other line (compiler output,
# errors) is passed through to stdout; a last line "@condspec-exit@ STATUS"
# gives ninja's exit status. Progress goes to stderr:
#   live=1 (a terminal): one line rewritten in place, "[done/total] step";
#   live=0 (CI logs):    the step count, a line at each quarter, the time.
# Nothing at all when ninja had nothing to build: the glob check ninja does
# before every build (CONFIGURE_DEPENDS) is not work; a CMake re-run is one
# line.
function now(  t) {
  "date +%s" | getline t
  close("date +%s")
  return t + 0
}
function clear_live() {
  if (live && shown) printf "\r\033[K" > "/dev/stderr"
  shown = 0
}
BEGIN {
  marker = "@condspec-step@ "
  started = 0
  quarter = 0
}
index($0, marker) == 1 {
  split(substr($0, length(marker) + 1), field, " ")
  done = field[1] + 0
  total = field[2] + 0
  step = substr($0, length(marker) + length(field[1]) + length(field[2]) + 3)
  if (step ~ /^Re-checking globbed directories/) next
  if (step ~ /^Re-running CMake/) {
    print "condspec build: configuring build/ again (cmake: the build files changed)" > "/dev/stderr"
    next
  }
  if (!started) {
    started = now()
    printf "condspec build: building %d step%s with %d jobs\n", total, total == 1 ? "" : "s", jobs > "/dev/stderr"
  }
  if (live) {
    printf "\rcondspec build: [%d/%d] %s\033[K", done, total, substr(step, 1, 60) > "/dev/stderr"
    shown = 1
  } else if (total > 0 && done * 4 >= (quarter + 1) * total) {
    quarter = int(done * 4 / total)
    printf "condspec build: %d/%d steps (%d%%)\n", done, total, quarter * 25 > "/dev/stderr"
  }
  next
}
/^ninja: no work to do\.$/ { next }
/^-- / { next }  # CMake's own status lines when it re-runs
/^@condspec-exit@ / {
  clear_live()
  if ($2 != 0)
    printf "condspec build: failed (ninja exit %d)%s\n", $2, started ? sprintf(" after %d s", now() - started) : "" > "/dev/stderr"
  else if (started)
    printf "condspec build: built in %d s\n", now() - started > "/dev/stderr"
  next
}
{
  clear_live()
  print
  fflush()
}
