#!/usr/bin/env bash
# check-config accepts exactly what `run` accepts: every file of
# config_corpus/ is given to both. A bad file (its first line `# expect: TEXT`)
# must make both exit 78 with FILE:LINE and TEXT on stderr, and neither may
# repeat the secret "S3cr3t" some of them hold; a good file must pass
# check-config and bring `run` up to a healthy HTTP server (its database is
# unreachable on purpose: config is what is tested here).
# usage: config_corpus_test.sh SLAMON_BINARY SOURCE_DIR
set -uo pipefail
slamon="$1"
corpus="$2/tests/cli/config_corpus"
work="$(mktemp -d)"
daemon=""
trap '[[ -n "$daemon" ]] && kill "$daemon" 2>/dev/null; rm -rf "$work"' EXIT
failures=0
checks=0

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# prepare NAME DIR: the corpus file with a free port, in $work; prints its path.
prepare() {
  local out="$work/$1"
  sed "s/@PORT@/$(free_port)/g" "$corpus/$2/$1" >"$out"
  echo "$out"
}

# expect_refusal COMMAND FILE TEXT: COMMAND exits 78 naming FILE:LINE and TEXT.
expect_refusal() {
  local command="$1" file="$2" text="$3"
  checks=$((checks + 1))
  timeout 20 "$slamon" "$command" --config "$file" >"$work/out" 2>"$work/err"
  local status=$?
  if [[ "$status" != 78 ]]; then
    fail "$command $(basename "$file"): exit status $status, want 78"
    sed 's/^/  /' "$work/err" | head -5
  elif ! grep -qE -- "^$file:[0-9]+: " "$work/err" || ! grep -qF -- "$text" "$work/err"; then
    fail "$command $(basename "$file"): want \"$file:LINE: ... $text\" on stderr, got:"
    sed 's/^/  /' "$work/err" | head -5
  elif grep -q S3cr3t "$work/out" "$work/err"; then
    fail "$command $(basename "$file"): the secret was repeated"
  fi
}

for path in "$corpus"/bad/*.yml; do
  name="$(basename "$path")"
  text="$(sed -n '1s/^# expect: //p' "$path")"
  [[ -n "$text" ]] || { fail "$name: no '# expect:' first line"; continue; }
  file="$(prepare "$name" bad)"
  expect_refusal check-config "$file" "$text"
  expect_refusal run "$file" "$text"
done

for path in "$corpus"/good/*.yml; do
  name="$(basename "$path")"
  file="$(prepare "$name" good)"
  echo 'database: {dsn: "host=/nonexistent dbname=slamon"}' >>"$file"
  checks=$((checks + 1))
  if ! "$slamon" check-config --config "$file" >"$work/out" 2>&1; then
    fail "check-config $name refused a good file:"
    sed 's/^/  /' "$work/out" | head -5
    continue
  fi
  listen="$(sed -n 's/^http: {listen: "\(.*\)"}$/\1/p' "$file")"
  "$slamon" run --config "$file" >"$work/run.log" 2>&1 &
  daemon=$!
  checks=$((checks + 1))
  healthy=""
  for _ in $(seq 100); do
    if curl -gsf -o /dev/null "http://$listen/-/healthy"; then healthy=yes; break; fi
    kill -0 "$daemon" 2>/dev/null || break
    sleep 0.1
  done
  if [[ -z "$healthy" ]]; then
    fail "run $name: not healthy on $listen within 10 s:"
    sed 's/^/  /' "$work/run.log" | head -5
  fi
  kill -TERM "$daemon" 2>/dev/null
  wait "$daemon"
  status=$?
  daemon=""
  checks=$((checks + 1))
  [[ "$status" == 0 ]] || fail "run $name: exit status $status after SIGTERM, want 0"
done

echo "$checks checks, $failures failures"
[[ "$failures" == 0 ]]
