# bash completion for condspec(1).
# Installed as share/bash-completion/completions/condspec, where the
# bash-completion package loads it on first use; works without that package
# too (source this file). Scenario ids, requirement ids and fault names are
# asked of the program itself (`condspec list`, `serve --list-faults`), so
# they are those of the cases it would use. packaging/completion_test.sh
# checks that every subcommand and option of `--help` is offered.

# The scenario ids (and with "all", also the requirement ids) of the cases
# the command line would use (its --cases DIR, if given).
_condspec_ids() {  # PROGRAM WHICH(scenarios|all) CASES_DIR NO_DEFAULT_CASES
  local args=(list)
  [ "$2" = scenarios ] && args+=(--scenarios)
  [ -n "$3" ] && args+=(--cases "$3")
  [ -n "$4" ] && args+=(--no-default-cases)
  "$1" "${args[@]}" 2>/dev/null | awk '/^  [A-Za-z0-9]/ { print $1 }'
}

_condspec() {
  local program="$1" cur="${COMP_WORDS[COMP_CWORD]}" prev=""
  [ "$COMP_CWORD" -gt 0 ] && prev="${COMP_WORDS[COMP_CWORD - 1]}"
  COMPREPLY=()

  # bash splits "--fail-on=must" and "--report json=PATH" at "=" (it is in
  # COMP_WORDBREAKS) into "--fail-on" "=" "must" and "--report" "json" "="
  # "PATH". Find the option whose value is being completed, the value so far,
  # and the word before the option.
  local option="$prev" value="$cur" before="" prefix=""
  if [ "$cur" = "=" ]; then                    # cursor right after the "="
    value=""
    before="${COMP_WORDS[COMP_CWORD - 2]:-}"
  elif [ "$prev" = "=" ]; then                 # "--fail-on=sh", "json=re"
    option="${COMP_WORDS[COMP_CWORD - 2]:-}"
    before="${COMP_WORDS[COMP_CWORD - 3]:-}"
  elif [[ "$cur" == *=* ]] && [ "$prev" = "--report" ]; then
    prefix="${cur%%=*}="                       # "=" no word break: "json=re"
    value="${cur#*=}"
  fi
  if [ "$before" = "--report" ]; then          # the PATH of FORMAT=PATH
    compopt -o filenames 2>/dev/null
    mapfile -t COMPREPLY < <(compgen -f -- "$value")
    return 0
  fi

  # The subcommand: the first word after the program that is not an option;
  # the --cases folder given so far, for the ids.
  local command="" cases="" no_default="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "${COMP_WORDS[i]}" in
      --no-default-cases) no_default=1 ;;
      --cases)
        cases="${COMP_WORDS[i + 1]:-}"
        [ "$cases" = "=" ] && cases="${COMP_WORDS[i + 2]:-}"
        ;;
      -*) ;;
      *) [ -z "$command" ] && command="${COMP_WORDS[i]}" ;;
    esac
  done

  if [ -z "$command" ]; then
    mapfile -t COMPREPLY < <(compgen -W "run cache list explain lint serve serve-cache baseline merge --help --version" -- "$cur")
    return 0
  fi

  # The value of an option.
  case "$command:$option" in
    run:--report | merge:--report)
      if [ -n "$prefix" ]; then
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -f -- "$value" | sed "s|^|$prefix|")
      else
        compopt -o nospace 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -W "json= junit= markdown= html=" -- "$value")
      fi
      return 0
      ;;
    run:--fail-on | merge:--fail-on)
      mapfile -t COMPREPLY < <(compgen -W "must should never" -- "$value")
      return 0
      ;;
    run:--protocol)
      mapfile -t COMPREPLY < <(compgen -W "http/1.1 h2 h2c" -- "$value")
      return 0
      ;;
    run:--color | merge:--color)
      mapfile -t COMPREPLY < <(compgen -W "auto always never" -- "$value")
      return 0
      ;;
    serve:--protocol)
      mapfile -t COMPREPLY < <(compgen -W "http/1.1 h2c h2" -- "$value")
      return 0
      ;;
    *:--cases)
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -d -- "$value")
      return 0
      ;;
    run:--select | run:--skip)
      mapfile -t COMPREPLY < <(compgen -W "$(_condspec_ids "$program" scenarios "$cases" "$no_default")" -- "$value")
      return 0
      ;;
    run:--baseline | run:--cacert | merge:--baseline | baseline:--from | baseline:--output | baseline:-o)
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -f -- "$value")
      return 0
      ;;
    serve:--fault)
      mapfile -t COMPREPLY < <(compgen -W "$("$program" serve --list-faults 2>/dev/null | awk '{ print $1 }')" -- "$value")
      return 0
      ;;
    run:--jobs | run:-j | run:--timeout | run:--header | run:-H | run:--unsafe-url | run:--secret | run:--shard | serve:--port)
      return 0  # a value only the user knows
      ;;
  esac

  local options
  case "$command" in
    run) options="--cases --no-default-cases --select --skip --jobs -j --no-shared-requests --timeout --header -H --protocol --insecure -k --cacert --unsafe-url --report --fail-on --baseline --secret --shard --verbose -v --quiet -q --color" ;;
    list) options="--cases --no-default-cases --scenarios --requirements --coverage" ;;
    explain) options="--cases --no-default-cases" ;;
    lint) options="--cases --no-default-cases --cache" ;;
    serve) options="--port --protocol --fault --list-faults" ;;
    cache) options="--origin-listen --settle --cases --no-default-cases --select --skip -j --jobs --timeout --header -H --protocol --insecure -k --cacert --report --fail-on --baseline --secret --shard --verbose -v --quiet -q --color" ;;
    serve-cache) options="--upstream --port --fault --list-faults" ;;
    baseline) options="--from --output -o" ;;
    merge) options="--report --cases --no-default-cases --fail-on --baseline --quiet -q --color" ;;
    *) return 0 ;;
  esac
  if [[ "$cur" == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$options --help -h" -- "$cur")
    return 0
  fi

  # Arguments.
  case "$command" in
    explain) mapfile -t COMPREPLY < <(compgen -W "$(_condspec_ids "$program" all "$cases" "$no_default")" -- "$cur") ;;
    merge)
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -f -X '!*.json' -- "$cur"; compgen -d -- "$cur")
      ;;
  esac
  return 0
}

complete -F _condspec condspec
