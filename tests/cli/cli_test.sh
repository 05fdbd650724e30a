#!/usr/bin/env bash
# The slamon binary as a user runs it: subcommands, --help, exit statuses,
# error messages with their place, and the demo's output.
# usage: cli_test.sh SLAMON_BINARY SOURCE_DIR
set -uo pipefail
slamon="$1"
src="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0
checks=0

# expect_status WANT DESCRIPTION -- command...
expect_status() {
  local want="$1" what="$2"
  shift 3
  "$@" >"$work/out" 2>"$work/err"
  local got=$?
  checks=$((checks + 1))
  if [[ "$got" != "$want" ]]; then
    echo "FAIL: $what: exit status $got, want $want"
    sed 's/^/  stdout: /' "$work/out" | head -5
    sed 's/^/  stderr: /' "$work/err" | head -5
    failures=$((failures + 1))
  fi
}

# expect_in FILE TEXT DESCRIPTION
expect_in() {
  checks=$((checks + 1))
  if ! grep -qF -- "$2" "$1"; then
    echo "FAIL: $3: \"$2\" not in $(basename "$1"):"
    sed 's/^/  /' "$1" | head -10
    failures=$((failures + 1))
  fi
}

: >"$work/empty.yml"

# --- version and help -------------------------------------------------------
expect_status 0 "version" -- "$slamon" version
expect_in "$work/out" "slamon 0." "version prints the version"
expect_status 2 "no command" -- "$slamon"
expect_status 2 "unknown command" -- "$slamon" frobnicate
expect_in "$work/err" 'unknown command "frobnicate"' "unknown command is named"
for cmd in run migrate explain report evaluate check-config version; do
  expect_status 0 "$cmd --help" -- "$slamon" "$cmd" --help
  expect_in "$work/out" "usage: slamon $cmd" "$cmd --help shows its usage"
done

# --- run: bad --shard --------------------------------------------------------
for shard in 0/2 3/2 2 x/y 1/0; do
  expect_status 2 "run --shard $shard" -- "$slamon" run --config "$work/empty.yml" --shard "$shard"
  expect_in "$work/err" "--shard \"$shard\": expected K/N" "run --shard $shard is explained"
done

# --- check-config -------------------------------------------------------------
expect_status 0 "empty config is valid" -- "$slamon" check-config --config "$work/empty.yml"
expect_status 0 "demo config is valid" -- "$slamon" check-config --config "$src/demo/slamon.yml"
expect_status 2 "check-config without --config" -- "$slamon" check-config
expect_status 2 "check-config with unknown option" -- "$slamon" check-config --conf x
expect_in "$work/err" "unknown option --conf" "unknown option is named"
expect_status 78 "missing config file" -- "$slamon" check-config --config "$work/nope.yml"
expect_in "$work/err" "nope.yml: cannot read config file" "missing file is named"
cat >"$work/bad.yml" <<'YAML'
policies:
  default:
    severities:
      A:
        response: {within: -4h}
        workaround: {within: 1d, calendar: moon-office}
http:
  listen: 9464
YAML
expect_status 78 "invalid config" -- "$slamon" check-config --config "$work/bad.yml"
expect_in "$work/err" "bad.yml:5: policies.default.severities.A.response.within" "negative duration named with line and key (0 is a valid budget)"
expect_in "$work/err" "bad.yml:6: policies.default.severities.A.workaround.calendar" "unknown calendar named with line and key"
expect_in "$work/err" "bad.yml:8: http.listen" "bad listen address named with line and key"

# --- evaluate -----------------------------------------------------------------
expect_status 2 "evaluate with a bad --at" -- "$slamon" evaluate --at 2026-11-04T10:00:00
expect_in "$work/err" "no UTC offset" "a time without offset is refused"
expect_status 78 "evaluate with an invalid config" -- "$slamon" evaluate --config "$work/bad.yml"

cat >"$work/input.jsonl" <<'JSONL'
{"type":"partner","id":"p1","contract_signed_at":"2026-01-10T00:00:00Z","timezone":"Europe/Berlin"}
{"type":"event","ticket":"T-1","at":"2026-11-04T10:00:00Z","kind":"opened","partner":"p1","severity":"A"}
{"type":"event","ticket":"T-1","at":"2026-11-04T11:00:00Z","kind":"responded"
{"type":"event","ticket":"T-2","at":"2026-11-04T10:00:00Z","kind":"opened","partner":"p1","severity":"A"}
JSONL
"$slamon" evaluate --at 2026-11-04T12:00:00Z <"$work/input.jsonl" >"$work/out" 2>"$work/err"
status=$?
checks=$((checks + 1))
if [[ $status != 1 ]]; then echo "FAIL: evaluate with a bad line exits $status, want 1"; failures=$((failures + 1)); fi
expect_in "$work/err" "stdin:3: malformed JSON" "a bad line is named"
expect_in "$work/out" '"ticket":"T-2"' "lines after a bad line are still evaluated"
expect_in "$work/out" '"type":"partner","partner":"p1"' "partner line is written"

expect_status 0 "evaluate on empty input" -- "$slamon" evaluate --at 2026-11-04T12:00:00Z </dev/null

# Output that cannot be written is a failure, not exit 0 with the figures lost.
"$slamon" evaluate --config "$src/demo/slamon.yml" --at 2026-11-26T12:00:00Z \
  <"$src/demo/tickets.jsonl" >/dev/full 2>"$work/err"
status=$?
checks=$((checks + 1))
if [[ $status != 1 ]]; then echo "FAIL: evaluate >/dev/full exits $status, want 1"; failures=$((failures + 1)); fi
expect_in "$work/err" "cannot write the output" "evaluate says it cannot write"

# A directory is not a config (it once read as an empty one).
mkdir -p "$work/dir.yml"
expect_status 78 "a directory as config" -- "$slamon" check-config --config "$work/dir.yml"
expect_in "$work/err" "dir.yml: cannot read config file: it is a directory" "the directory is named"

# A URL with a password is refused, and the error does not repeat it.
printf 'alerting:\n  alertmanagers: ["http://admin:S3cr3t@am.example:9093"]\n' >"$work/userinfo.yml"
expect_status 78 "user info in a receiver URL" -- "$slamon" check-config --config "$work/userinfo.yml"
expect_in "$work/err" "user info (user:password@) is not allowed" "user info is refused"
checks=$((checks + 1))
if grep -q S3cr3t "$work/err"; then echo "FAIL: check-config repeated the password"; failures=$((failures + 1)); fi

# --- run without a database: it says why, serves health, stops on SIGTERM ------
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'database:\n  dsn: "host=127.0.0.1 port=1 dbname=none connect_timeout=2"\nhttp:\n  listen: "127.0.0.1:%s"\n' \
  "$port" >"$work/nodb.yml"
"$slamon" run --config "$work/nodb.yml" >"$work/nodb.out" 2>"$work/nodb.err" &
daemon=$!
for _ in $(seq 1 50); do
  grep -q "database unavailable" "$work/nodb.err" && break
  sleep 0.1
done
expect_in "$work/nodb.err" "database unavailable:" "run logs why the database is unreachable from the start"
health=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/-/healthy")
ready=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/-/ready")
checks=$((checks + 1))
if [[ "$health $ready" != "200 503" ]]; then
  echo "FAIL: without a database /-/healthy and /-/ready answer $health $ready, want 200 503"
  failures=$((failures + 1))
fi
kill -TERM "$daemon"
wait "$daemon"
status=$?
checks=$((checks + 1))
if [[ $status != 0 ]]; then echo "FAIL: run exits $status after SIGTERM, want 0"; failures=$((failures + 1)); fi

# --- the demo: output equals the reviewed expected output ----------------------
"$slamon" evaluate --config "$src/demo/slamon.yml" --at 2026-11-26T12:00:00Z \
  <"$src/demo/tickets.jsonl" >"$work/demo.jsonl" 2>"$work/demo.err"
status=$?
checks=$((checks + 1))
if [[ $status != 0 ]] || ! diff -u "$src/demo/expected-output.jsonl" "$work/demo.jsonl" >"$work/diff"; then
  echo "FAIL: demo output differs from demo/expected-output.jsonl (status $status):"
  head -40 "$work/diff" "$work/demo.err"
  failures=$((failures + 1))
fi

echo "$((checks - failures)) passed, $failures failed"
[[ $failures == 0 ]]
