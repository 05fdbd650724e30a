#!/usr/bin/env bash
# The Debian package on this machine, under pg_virtualenv (as root): cpack
# builds it from BUILD_DIR, dpkg installs it (no systemd running: nothing may
# start), the files, conffile, user, /etc/slamon's owner and mode, the enabled
# unit; the installed binary runs as the service would (user slamon, no
# capabilities, no new privileges) against PostgreSQL, once with the installed
# config (Unix socket, peer authentication; under strace, its system calls
# checked against the unit's SystemCallFilter=) and once over TCP with a
# password file only slamon can read; a reinstall keeps all that; a purge
# removes it.
# It installs and purges the package slamon: not for a host that runs slamon.
# usage: package_test.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
build="$1"
src="$2"
source "$src/tests/e2e/e2e_checks.sh"
source "$src/tests/ops/own_unit_lines.sh"
[[ $EUID == 0 ]] || { echo "FAIL: must run as root (dpkg -i)"; exit 1; }
chmod 0755 "$work"

conf=/etc/slamon
test_files=("$conf/test-peer.yml" "$conf/test-tcp.yml" "$conf/db-password")
installed() { [[ "$(dpkg-query -W -f='${Status}' slamon 2>/dev/null)" != "" && "$(dpkg-query -W -f='${Status}' slamon 2>/dev/null)" != *not-installed ]]; }
finish() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  rm -f "${test_files[@]}"
  installed && dpkg --purge slamon >/dev/null 2>&1
  cleanup
}
trap finish EXIT
installed && echo "note: slamon is installed already; reinstalling it, purging it at the end"

# Build the package in a directory of its own.
if cpack --config "$build/CPackConfig.cmake" -B "$work/pkg" >"$work/cpack.log" 2>&1; then pass; else
  echo "FAIL: cpack"; cat "$work/cpack.log"; exit 1
fi
deb=$(ls "$work"/pkg/slamon_*.deb)
version=$("$build/daemon/slamon" version | awk '{ print $2 }')
[[ "$(dpkg-deb -f "$deb" Package)" == slamon ]] && pass || fail "package name: $(dpkg-deb -f "$deb" Package)"
[[ "$(dpkg-deb -f "$deb" Version)" == "$version-1" ]] && pass || fail "package version $(dpkg-deb -f "$deb" Version), slamon says $version"
depends=$(dpkg-deb -f "$deb" Depends)
for dep in tzdata adduser libpqxx- libc6 procps; do
  [[ "$depends" == *"$dep"* ]] && pass || fail "Depends lacks $dep: $depends"
done

# Install.
export DEBIAN_FRONTEND=noninteractive
if dpkg -i "$deb" >"$work/dpkg.log" 2>&1; then pass; else fail "dpkg -i: $(cat "$work/dpkg.log")"; fi
for f in /usr/bin/slamon /usr/lib/systemd/system/slamon.service $conf/slamon.yml \
  /usr/share/doc/slamon/examples/slamon.example.yml /usr/share/slamon/prometheus/slamon.rules.yml \
  /usr/share/slamon/prometheus/prometheus.example.yml; do
  [[ -f "$f" ]] && pass || fail "$f not installed"
done
[[ -x /usr/bin/slamon ]] && pass || fail "/usr/bin/slamon is not executable"
# The Grafana directory as in the source tree, file for file.
[[ -d "$src/grafana" ]] && pass || fail "no grafana/ in the source tree"
missing=$(cd "$src/grafana" && find . -type f | while read -r f; do [[ -f "/usr/share/slamon/grafana/$f" ]] || echo "$f"; done)
[[ -z "$missing" ]] && pass || fail "grafana files not installed in /usr/share/slamon/grafana: $missing"
missing=$(cd "$src/adapters" && find . -type f | while read -r f; do [[ -f "/usr/share/slamon/adapters/$f" ]] || echo "$f"; done)
[[ -n "$(ls "$src/adapters")" && -z "$missing" ]] && pass || fail "adapter files not installed in /usr/share/slamon/adapters: $missing"
cmp -s "$src/config/slamon.yml" $conf/slamon.yml && pass || fail "$conf/slamon.yml is not config/slamon.yml"
[[ "$(dpkg-query -W -f='${Conffiles}' slamon)" == *"$conf/slamon.yml"* ]] && pass || fail "$conf/slamon.yml is not a conffile"

# The user, the config directory, the unit enabled but, without systemd, not started.
passwd=$(getent passwd slamon)
IFS=: read -r _ _ uid _ _ _ shell <<<"$passwd"
[[ -n "$passwd" ]] && ((uid < 1000)) && [[ "$shell" == */nologin ]] && pass || fail "no system user slamon with nologin: '$passwd'"
[[ "$(stat -c '%U:%G %a' $conf)" == "root:slamon 750" ]] && pass || fail "$conf is $(stat -c '%U:%G %a' $conf), not root:slamon 750"
[[ -L /etc/systemd/system/multi-user.target.wants/slamon.service ]] && pass || fail "slamon.service not enabled"
if [[ ! -d /run/systemd/system ]]; then
  running=$(pgrep -f '^/usr/bin/slamon ')
  [[ -z "$running" ]] && pass || fail "the package started slamon without systemd: pids $running"
fi

# The installed binary, configs, unit and Prometheus files.
out=$(/usr/bin/slamon version) && [[ "$out" == "slamon $version "* ]] && pass || fail "slamon version: $out"
for f in $conf/slamon.yml /usr/share/doc/slamon/examples/slamon.example.yml; do
  out=$(/usr/bin/slamon check-config --config "$f" 2>&1) && pass || fail "check-config $f: $out"
done
all=$(cd "$work" && systemd-analyze verify /usr/lib/systemd/system/slamon.service 2>&1)
rc=$?
out=$(own_lines <<<"$all")
[[ -z "$out" && ($rc == 0 || -n "$all") ]] && pass || fail "systemd-analyze verify of the installed unit (exit $rc): $out"
out=$(promtool check config /usr/share/slamon/prometheus/prometheus.example.yml 2>&1) && pass ||
  fail "promtool check config on the installed example: $out"

# A database as the README sets it up: database tickets, the schema migrated
# by an admin, role slamon granted what the daemon needs.
password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
psql -q -c "CREATE ROLE slamon LOGIN PASSWORD '$password'" -c "CREATE DATABASE tickets" || fail "create role and database"
printf 'database:\n  dsn: "dbname=tickets"\n' >"$work/admin.yml"
/usr/bin/slamon migrate --config "$work/admin.yml" --grant-to slamon >"$work/migrate.log" 2>&1 && pass ||
  fail "slamon migrate --grant-to slamon: $(cat "$work/migrate.log")"
psql -q -d tickets -c "INSERT INTO slamon.partners VALUES ('p1', 'One', now() - interval '400 days', 'Europe/Berlin', 'default')" \
  -c "INSERT INTO slamon.ticket_events (ticket_id, at, kind, partner_id, severity) VALUES ('T-1', now(), 'opened', 'p1', 'A')" ||
  fail "insert a partner and a ticket"

# run_as_service CONFIG PORT NAME: /usr/bin/slamon run as the unit runs it, as
# far as that goes without systemd: user and group slamon, no supplementary
# groups, no capabilities, no new privileges, a clean environment (PGPORT
# only, as pg_virtualenv's port may not be the default), under $tracer if
# set. Waits until ready; sets $daemon (what was started) and $slamon_pid
# (slamon itself).
tracer=()
run_as_service() {
  "${tracer[@]}" setpriv --reuid slamon --regid slamon --clear-groups --no-new-privs \
    --inh-caps=-all --bounding-set=-all \
    env -i PATH=/usr/bin:/bin PGPORT="$PGPORT" /usr/bin/slamon run --config "$1" >"$work/$3.log" 2>&1 &
  daemon=$!
  pids+=("$daemon")
  for _ in $(seq 1 100); do
    if curl -sf "http://127.0.0.1:$2/-/ready" >/dev/null; then
      slamon_pid=$(pgrep -u slamon -f "^/usr/bin/slamon run --config $1\$")
      return 0
    fi
    sleep 0.1
  done
  fail "$3: slamon not ready within 10 s: $(tail -5 "$work/$3.log")"
  return 1
}
metric() { out=$(curl -sf "http://127.0.0.1:$1/metrics") && awk -v m="$2" '$1 == m { print $2 }' <<<"$out"; }
stop_service() {  # stop_service NAME: SIGTERM, as systemctl stop does; expects exit 0
  kill -TERM "$slamon_pid"
  wait "$daemon"
  local rc=$?
  [[ $rc == 0 ]] && pass || fail "$1: exit status $rc after SIGTERM: $(tail -5 "$work/$1.log")"
}

# 1. The installed config, unchanged but for the port: the Unix socket in
# /run/postgresql, peer authentication as role slamon.
[[ -S "/run/postgresql/.s.PGSQL.$PGPORT" ]] && pass || fail "no PostgreSQL socket in /run/postgresql for port $PGPORT"
port=$(free_port)
sed "s/^  listen: \"127.0.0.1:9464\"$/  listen: \"127.0.0.1:$port\"/" $conf/slamon.yml >$conf/test-peer.yml
[[ "$(diff $conf/slamon.yml $conf/test-peer.yml | grep -c '^>')" == 1 ]] && pass || fail "could not change the port of $conf/slamon.yml"
chmod 0644 $conf/test-peer.yml
# Under strace: every system call it makes must pass the unit's
# SystemCallFilter= (a refused one would fail with EPERM under systemd).
tracer=(strace -f -qq -o "$work/peer.trace")
if run_as_service $conf/test-peer.yml "$port" peer; then
  pass
  [[ -n "$slamon_pid" ]] && pass || fail "no process /usr/bin/slamon of user slamon"
  [[ "$(metric "$port" slamon_db_up)" == 1 ]] && pass || fail "peer: slamon_db_up is not 1"
  [[ "$(metric "$port" slamon_open_tickets)" == 1 ]] && pass || fail "peer: the ticket is not in /metrics"
  # ExecReload: SIGHUP reloads, the daemon stays ready.
  kill -HUP "$slamon_pid"
  sleep 0.5
  grep -q "reloaded $conf/test-peer.yml" "$work/peer.log" && pass || fail "no reload on SIGHUP: $(tail -3 "$work/peer.log")"
  curl -sf "http://127.0.0.1:$port/-/ready" >/dev/null && pass || fail "not ready after SIGHUP"
  stop_service peer
  # From the exec of slamon on: setpriv itself needs privileged calls.
  awk 'run; /execve\("\/usr\/bin\/slamon"/ { run = 1 }' "$work/peer.trace" >"$work/slamon.trace"
  denied=$(python3 "$src/tests/ops/denied_syscalls.py" /usr/lib/systemd/system/slamon.service "$work/slamon.trace" 2>&1)
  [[ -z "$denied" ]] && pass || fail "system calls the unit's SystemCallFilter= refuses: $denied"
fi
tracer=()

# 2. A remote-style database: TCP, the password in $conf/db-password,
# root:slamon 0640, readable by the service's user and by no other.
install -m 0640 -o root -g slamon /dev/null $conf/db-password
printf '%s\n' "$password" >$conf/db-password
port=$(free_port)
cat >$conf/test-tcp.yml <<YAML
database:
  dsn: "host=127.0.0.1 port=$PGPORT dbname=tickets user=slamon"
  password_file: $conf/db-password
http:
  listen: "127.0.0.1:$port"
YAML
chmod 0644 $conf/test-tcp.yml
if setpriv --reuid nobody --regid nogroup --clear-groups cat $conf/db-password >/dev/null 2>&1; then
  fail "user nobody can read $conf/db-password"
else
  pass
fi
if run_as_service $conf/test-tcp.yml "$port" tcp; then
  pass
  [[ "$(metric "$port" slamon_db_up)" == 1 ]] && pass || fail "tcp: slamon_db_up is not 1"
  [[ "$(metric "$port" slamon_open_tickets)" == 1 ]] && pass || fail "tcp: the ticket is not in /metrics"
  stop_service tcp
fi
! grep -qF "$password" "$work/tcp.log" && pass || fail "the password is in the daemon's log"

# Reinstall (an upgrade to the same version): the admin's files and
# /etc/slamon's owner and mode stay.
if dpkg -i "$deb" >"$work/dpkg2.log" 2>&1; then pass; else fail "dpkg -i again: $(cat "$work/dpkg2.log")"; fi
[[ "$(stat -c '%U:%G %a' $conf)" == "root:slamon 750" ]] && pass || fail "after reinstall $conf is $(stat -c '%U:%G %a' $conf)"
[[ "$(stat -c '%U:%G %a' $conf/db-password)" == "root:slamon 640" ]] && pass || fail "after reinstall db-password is $(stat -c '%U:%G %a' $conf/db-password)"

# Purge: everything the package put there is gone.
rm -f "${test_files[@]}"
if dpkg --purge slamon >"$work/purge.log" 2>&1; then pass; else fail "dpkg --purge: $(cat "$work/purge.log")"; fi
! installed && pass || fail "slamon still installed: $(dpkg-query -W -f='${Status}' slamon)"
for f in /usr/bin/slamon /usr/lib/systemd/system/slamon.service $conf /usr/share/slamon /usr/share/doc/slamon \
  /etc/systemd/system/multi-user.target.wants/slamon.service; do
  [[ ! -e "$f" && ! -L "$f" ]] && pass || fail "$f is still there after purge"
done

echo "$checks passed, $failures failed"
((failures == 0))
