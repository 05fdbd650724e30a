#!/usr/bin/env bash
# The systemd unit systemd/slamon.service: `systemd-analyze verify` has
# nothing to say about it, `systemd-analyze security` rates its sandbox at
# most 2.0, and it runs slamon the way the daemon expects (Type=notify with a
# watchdog, SIGHUP to reload, the slamon user).
# usage: systemd_test.sh SLAMON_BINARY SOURCE_DIR
set -uo pipefail
slamon="$1"
unit="$2/systemd/slamon.service"
source "$2/tests/e2e/e2e_checks.sh"
source "$2/tests/ops/own_unit_lines.sh"
max_exposure=2.0
command -v systemd-analyze >/dev/null || { echo "FAIL: systemd-analyze not found (package systemd)"; exit 1; }

# verify checks that ExecStart's binary exists, and /usr/bin/slamon is not
# installed here: it verifies a copy named slamon.service that runs the built
# binary and is otherwise the same, line for line.
mkdir "$work/unit" "$work/bad"
sed "s#^ExecStart=/usr/bin/slamon #ExecStart=$slamon #" "$unit" >"$work/unit/slamon.service"
changed=$(diff "$unit" "$work/unit/slamon.service" | grep -c '^>')
[[ "$changed" == 1 ]] && pass || fail "expected the copy to differ in the ExecStart line only, $changed lines differ"
all=$(cd "$work" && systemd-analyze verify "$work/unit/slamon.service" 2>&1)
rc=$?
out=$(own_lines <<<"$all")
# A non-zero exit with nothing said about slamon.service comes from another unit.
[[ -z "$out" && ($rc == 0 || -n "$all") ]] && pass || fail "systemd-analyze verify (exit $rc) says: $out"
[[ -n "$all" && -z "$out" ]] && echo "(verify spoke of other units only: $all)"

# own_lines must not hide what verify says about slamon.service itself.
out=$(printf '%s\n' "/lib/systemd/system/other.service:3: Unknown key 'X'" \
  "other.service: Command /usr/bin/x is not executable" \
  "$work/unit/slamon.service:9: Unknown key 'Y'" "slamon.service: a problem" | own_lines)
[[ "$out" == *"Unknown key 'Y'"* && "$out" == *"slamon.service: a problem"* &&
  "$out" != *other.service* ]] && pass || fail "own_lines filtered wrongly: $out"

# The same check sees a mistake: a misspelt key is reported (verify exits 0).
sed '/^\[Service\]/a WatchdogSecs=30s' "$work/unit/slamon.service" >"$work/bad/slamon.service"
out=$(cd "$work" && systemd-analyze verify "$work/bad/slamon.service" 2>&1)
[[ "$out" == *"Unknown key 'WatchdogSecs'"* ]] && pass || fail "verify did not report a misspelt key: $out"

# The sandbox's exposure, 0 (locked down) to 10 (unprotected).
out=$(systemd-analyze security --offline=true "$work/unit/slamon.service" 2>&1)
level=$(sed -n 's/.*Overall exposure level for slamon.service: \([0-9.]*\).*/\1/p' <<<"$out")
if [[ -z "$level" ]]; then
  fail "no overall exposure level in systemd-analyze security's output: $out"
elif awk -v l="$level" -v m="$max_exposure" 'BEGIN { exit !(l <= m) }'; then
  pass
  echo "exposure level $level (at most $max_exposure)"
else
  fail "exposure level $level is above $max_exposure; what counts: $(grep '✗' <<<"$out")"
fi

# What the daemon relies on (daemon/command_run.cc): it sends READY=1 and
# WATCHDOG=1 every second, reloads on SIGHUP; configs and secrets are read as
# user slamon.
for line in 'Type=notify' 'ExecStart=/usr/bin/slamon run --config /etc/slamon/slamon.yml' \
  'ExecReload=/bin/kill -HUP $MAINPID' 'Restart=on-failure' 'User=slamon' \
  'NoNewPrivileges=yes' 'CapabilityBoundingSet=' 'ProtectSystem=strict' \
  'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6'; do
  grep -qxF "$line" "$unit" && pass || fail "$unit lacks the line $line"
done
watchdog=$(sed -n 's/^WatchdogSec=\([0-9]*\)s$/\1/p' "$unit")
[[ -n "$watchdog" ]] && ((watchdog >= 5)) && pass ||
  fail "WatchdogSec must be set in seconds, at least 5 (slamon pings every second): '$watchdog'"
# Room for http.max_connections (512 by default) beside the database and
# Alertmanager sockets: systemd's default of 1024 once ran out under 1,100
# idle clients (issue 12, probe 6).
nofile=$(sed -n 's/^LimitNOFILE=\([0-9]*\)$/\1/p' "$unit")
[[ -n "$nofile" ]] && ((nofile >= 4096)) && pass ||
  fail "LimitNOFILE must leave room for http.max_connections (at least 4096): '$nofile'"

echo "$checks passed, $failures failed"
((failures == 0))
