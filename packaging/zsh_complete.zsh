#!/usr/bin/env zsh
# Prints, one a line and sorted, the matches zsh's completion system offers
# for LINE (as if TAB were pressed at its end), with the completion functions
# of FPATH_DIR and the programs of PROGRAM_DIR. An interactive `zsh -f` runs
# in a pseudo-terminal (zsh/zpty); compadd is wrapped to record what each
# completion function adds. Used by zsh_completion_test.sh.
#
# Usage: zsh_complete.zsh FPATH_DIR PROGRAM_DIR LINE
emulate -L zsh
zmodload zsh/zpty || exit 2
fpath_dir=$1 program_dir=$2 line=$3
matches=$(mktemp) || exit 2
zpty shell zsh -f -i
# Only the completion system's own folders on fpath: compinit reads them all.
zpty -w shell "PS1=''; fpath=(${(q)fpath_dir} \${(M)fpath:#*/Completion(|/*)}); path=(${(q)program_dir} \$path)"
zpty -w shell "autoload -Uz compinit; compinit -u -D; setopt nobeep; zstyle ':completion:*' menu no"
# Calls with -O, -A or -D only compute candidates (as _describe does);
# record the others, the matches actually added.
zpty -w shell "compadd() { if (( \${@[(I)-[OAD]]} )); then builtin compadd \"\$@\"; return; fi;" \
  "local -a added; builtin compadd -O added \"\$@\"; print -rl -- \$added >>${(q)matches};" \
  "builtin compadd \"\$@\"; }"
# Ctrl-T completes, then runs `print DONENOW`: nothing is typed while the
# completion runs (zsh may cut completion short when input is pending).
zpty -w shell "capture() { zle complete-word; BUFFER='print DONE''NOW'; zle accept-line };" \
  "zle -N capture; bindkey '^T' capture"
# Typeahead sent before the shell reads its first line can be lost: type the
# line only once the shell has answered.
zpty -w shell "print READY''NOW"
while zpty -r shell output; do [[ $output == *READYNOW* ]] && break; done
zpty -n -w shell "$line"$'\x14'
while zpty -r shell output; do [[ $output == *DONENOW* ]] && break; done
zpty -d shell
sort -u $matches
rm -f $matches
