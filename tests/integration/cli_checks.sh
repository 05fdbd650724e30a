# Assertions shared by the command-line integration tests (sourced).
# The sourcing script sets `work` (a scratch directory); commands under test
# write their output to $work/out and $work/err.
failures=0
checks=0

check() {  # check DESCRIPTION WANT_STATUS GOT_STATUS
  checks=$((checks + 1))
  if [[ "$2" != "$3" ]]; then
    echo "FAIL: $1: exit status $3, want $2"
    sed 's/^/  /' "$work/out" "$work/err" | head -20
    failures=$((failures + 1))
  fi
}

contains() {  # contains DESCRIPTION FILE TEXT
  checks=$((checks + 1))
  if ! grep -qF -- "$3" "$2"; then
    echo "FAIL: $1: \"$3\" not in:"
    sed 's/^/  /' "$2" | head -60
    failures=$((failures + 1))
  fi
}

same() {  # same DESCRIPTION WANT GOT
  checks=$((checks + 1))
  if [[ "$2" != "$3" ]]; then
    printf 'FAIL: %s:\n  want %s\n  got  %s\n' "$1" "$2" "$3"
    failures=$((failures + 1))
  fi
}

finish() {  # the closing line, and the exit status
  echo "$((checks - failures)) passed, $failures failed"
  [[ $failures == 0 ]]
}
