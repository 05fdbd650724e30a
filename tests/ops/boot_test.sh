#!/usr/bin/env bash
# The Debian package under a real systemd, under pg_virtualenv (as root): a
# Debian 12 root file system (debootstrap, cached) boots in systemd-nspawn
# with systemd as PID 1, on a throwaway overlay so the cache stays as built;
# dpkg installs the .deb cpack builds from BUILD_DIR, which starts the
# service; configured for the host's PostgreSQL over TCP with a password file
# and restarted, the unit runs with its whole sandbox: active once ready
# (Type=notify), the ticket in /metrics, the watchdog fed, `systemctl reload`
# reloading, running as user slamon with no capabilities, no new privileges
# and a seccomp filter, nothing refused by the sandbox in its journal, and
# `systemctl stop` ending it cleanly.
#
# The root file system is built once per package list into CACHE_DIR
# (default /var/cache/slamon-test): debootstrap --variant=minbase of bookworm
# with systemd and the package's dependencies, from the Debian mirror apt uses
# (or $SLAMON_BOOT_MIRROR), into a temporary directory renamed when complete.
# The container shares the host's network (PostgreSQL on 127.0.0.1, /metrics
# on a free port) and needs no network of its own.
# usage: boot_test.sh BUILD_DIR SOURCE_DIR [CACHE_DIR]
set -uo pipefail
build="$1"
src="$2"
cache="${3:-/var/cache/slamon-test}"
source "$src/tests/e2e/e2e_checks.sh"
[[ $EUID == 0 ]] || { echo "FAIL: must run as root (debootstrap, systemd-nspawn)"; exit 1; }
for tool in debootstrap systemd-nspawn nsenter cpack curl; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is missing (scripts/install-deps.sh)"; exit 1; }
done
started=$SECONDS

machine="slamon-boot-$$"
nspawn_pid=""
leader=""
# in_container CMD...: CMD inside the booted container (all its namespaces).
in_container() { timeout 60 nsenter -t "$leader" -a "$@"; }
finish() {
  if [[ -n "$nspawn_pid" ]] && kill -0 "$nspawn_pid" 2>/dev/null; then
    [[ -n "$leader" ]] && timeout 10 nsenter -t "$leader" -a systemctl poweroff >/dev/null 2>&1
    # SIGTERM asks nspawn for a clean shutdown, SIGKILL ends the container.
    for sig in none TERM KILL; do
      [[ $sig != none ]] && kill "-$sig" "$nspawn_pid" 2>/dev/null
      for _ in $(seq 1 100); do
        kill -0 "$nspawn_pid" 2>/dev/null || break 2
        sleep 0.2
      done
    done
  fi
  wait 2>/dev/null
  cleanup
}
trap finish EXIT

# The package, in a directory of its own.
if cpack --config "$build/CPackConfig.cmake" -B "$work/pkg" >"$work/cpack.log" 2>&1; then pass; else
  echo "FAIL: cpack"; cat "$work/cpack.log"; exit 1
fi
deb=$(ls "$work"/pkg/slamon_*.deb)
mkdir "$work/deb" && cp "$deb" "$work/deb/slamon.deb"

# The root file system: systemd, what the package depends on (its Depends:
# without versions, the first of alternatives), and nothing else; keyed by
# that list.
mapfile -t deps < <(dpkg-deb -f "$deb" Depends | sed 's/([^)]*)//g; s/|[^,]*//g' | tr ',' '\n' | tr -d ' ' | grep -v '^$' | sort -u)
packages=$(IFS=,; echo "${deps[*]}")
recipe="bookworm minbase systemd,systemd-sysv,dbus v1 $packages"
key=$(printf '%s' "$recipe" | sha256sum | cut -c1-16)
rootfs="$cache/bookworm-rootfs.$key"
mirror() {
  if [[ -n "${SLAMON_BOOT_MIRROR:-}" ]]; then echo "$SLAMON_BOOT_MIRROR"; return; fi
  # The first Debian (not security) archive of apt's sources, one-line or deb822.
  local m
  m=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
    awk '/^deb / { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; break } }
         /^URIs:/ { for (i = 2; i <= NF; i++) print $i }' |
    grep -E '/debian/?$' | head -1)
  echo "${m:-http://deb.debian.org/debian}"
}
mkdir -p "$cache"
exec 9>"$cache/bookworm-rootfs.lock"
# Exclusive while building (another build directory's test may want the same
# root file system), shared while booting from it.
flock -x 9
if [[ ! -f "$rootfs/.complete" ]]; then
  echo "building the root file system in $rootfs (packages: $packages)"
  t0=$SECONDS
  rm -rf "$cache"/.bookworm-rootfs.*  # left by an interrupted build
  tmp=$(mktemp -d "$cache/.bookworm-rootfs.XXXXXX")
  # debootstrap does not resolve virtual packages (libspdlog1.10-fmt9):
  # apt in the new tree installs the package's dependencies.
  if debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus bookworm "$tmp" "$(mirror)" \
    >"$work/debootstrap.log" 2>&1 &&
    systemd-nspawn --quiet --directory="$tmp" --register=no --keep-unit --pipe \
      env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${deps[@]}" \
      >>"$work/debootstrap.log" 2>&1 </dev/null; then
    systemd-nspawn --quiet --directory="$tmp" --register=no --keep-unit --pipe apt-get clean </dev/null >/dev/null 2>&1
    rm -rf "$tmp"/var/lib/apt/lists/*_Packages
    # Nothing on the console to log in to, no timers to fire during the test.
    systemctl --root="$tmp" mask console-getty.service apt-daily.timer apt-daily-upgrade.timer \
      e2scrub_all.timer dpkg-db-backup.timer >/dev/null 2>&1
    printf '%s\n' "$recipe" >"$tmp/.complete"
    chmod 0755 "$tmp"
    # Older root file systems (another package list) go.
    for old in "$cache"/bookworm-rootfs.*; do
      [[ -d "$old" && "$old" != "$rootfs" ]] && rm -rf "$old"
    done
    rm -rf "$rootfs"
    mv "$tmp" "$rootfs" && pass || fail "rename $tmp to $rootfs"
    echo "root file system built in $((SECONDS - t0)) s"
  else
    fail "debootstrap or apt-get: $(tail -20 "$work/debootstrap.log")"
    rm -rf "$tmp"
    exit 1
  fi
fi
flock -s 9

# Boot it: systemd as PID 1, a tmpfs overlay over the cached tree, the host's
# network, the package read-only in /mnt/deb. No machined on a host without
# systemd: --register=no, --keep-unit.
systemd-nspawn --quiet --directory="$rootfs" --volatile=overlay --boot --machine="$machine" \
  --register=no --keep-unit --console=read-only --bind-ro="$work/deb:/mnt/deb" \
  >"$work/boot.log" 2>&1 </dev/null &
nspawn_pid=$!
state=""
for _ in $(seq 1 300); do
  if [[ -z "$leader" ]]; then
    for p in $(pgrep -P "$nspawn_pid"); do
      [[ "$(cat "/proc/$p/comm" 2>/dev/null)" == systemd ]] && leader=$p
    done
  fi
  if [[ -n "$leader" ]]; then
    state=$(timeout 5 nsenter -t "$leader" -a systemctl is-system-running 2>/dev/null)
    [[ $state == running || $state == degraded ]] && break
  fi
  kill -0 "$nspawn_pid" 2>/dev/null || break
  sleep 0.2
done
if [[ $state == running || $state == degraded ]]; then pass; else
  fail "the container did not boot (state '$state'): $(tail -30 "$work/boot.log")"
  exit 1
fi
[[ "$(in_container cat /proc/1/comm)" == systemd ]] && pass || fail "PID 1 in the container is not systemd"
[[ $state == running ]] && pass ||
  fail "the container is $state: $(in_container systemctl --failed --no-pager --plain 2>&1)"
echo "booted in $((SECONDS - started)) s"

# show PROPERTY: a property of slamon.service.
show() { in_container systemctl show slamon.service -p "$1" --value; }
journal() { in_container journalctl -u slamon.service --no-pager -o cat 2>&1; }

# Install: the package starts the service (the default config: a database
# over /run/postgresql, which the container has not, so slamon waits for it,
# activating, without a start timeout).
if in_container env DEBIAN_FRONTEND=noninteractive dpkg -i /mnt/deb/slamon.deb >"$work/dpkg.log" 2>&1; then pass; else
  fail "dpkg -i in the container: $(cat "$work/dpkg.log")"
fi
[[ "$(in_container systemctl is-enabled slamon.service)" == enabled ]] && pass || fail "slamon.service not enabled"
for _ in $(seq 1 50); do
  [[ "$(show ActiveState)" == inactive ]] || break
  sleep 0.2
done
# activating: waiting for the database (or, were 127.0.0.1:9464 taken on the
# host, waiting to be restarted): started, not ready.
[[ "$(show ActiveState)" == activating ]] && pass ||
  fail "after install slamon.service is $(show ActiveState)/$(show SubState), not activating: $(journal | tail -5)"

# The database, as the README says: an admin migrates (here from the host,
# the build's binary), role slamon with a password, read over TCP.
password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
psql -q -d postgres -c "CREATE ROLE slamon LOGIN PASSWORD '$password'" -c "CREATE DATABASE tickets" ||
  fail "create role and database"
printf 'database:\n  dsn: "dbname=tickets"\n' >"$work/admin.yml"
"$build/daemon/slamon" migrate --config "$work/admin.yml" --grant-to slamon >"$work/migrate.log" 2>&1 && pass ||
  fail "slamon migrate --grant-to slamon: $(cat "$work/migrate.log")"
psql -q -d tickets -c "INSERT INTO slamon.partners VALUES ('p1', 'One', now() - interval '400 days', 'Europe/Berlin', 'default')" \
  -c "INSERT INTO slamon.ticket_events (ticket_id, at, kind, partner_id, severity) VALUES ('T-1', now(), 'opened', 'p1', 'A')" ||
  fail "insert a partner and a ticket"

# The config and the secret, as the README says, then a restart.
port=$(free_port)
in_container install -m 0640 -o root -g slamon /dev/null /etc/slamon/db-password
printf '%s\n' "$password" | in_container sh -c 'cat >/etc/slamon/db-password'
cat <<YAML | in_container sh -c 'cat >/etc/slamon/slamon.yml'
database:
  dsn: "host=127.0.0.1 port=$PGPORT dbname=tickets user=slamon"
  password_file: /etc/slamon/db-password
http:
  listen: "127.0.0.1:$port"
YAML
[[ "$(in_container stat -c '%U:%G %a' /etc/slamon/db-password)" == "root:slamon 640" ]] && pass ||
  fail "db-password is $(in_container stat -c '%U:%G %a' /etc/slamon/db-password)"
out=$(in_container /usr/bin/slamon check-config --config /etc/slamon/slamon.yml 2>&1) && pass || fail "check-config: $out"
# Type=notify: active once READY=1, i.e. the tickets loaded (no start
# timeout: wait here, not in systemctl).
if out=$(in_container systemctl restart --no-block slamon.service 2>&1); then pass; else
  fail "systemctl restart slamon: $out"
fi
for _ in $(seq 1 150); do
  [[ "$(in_container systemctl is-active slamon.service)" == active ]] && break
  sleep 0.2
done
[[ "$(in_container systemctl is-active slamon.service)" == active ]] && pass ||
  fail "slamon.service not active within 30 s: $(show ActiveState)/$(show SubState), $(show StatusText): $(journal | tail -10)"
main_pid=$(show MainPID)
[[ "$main_pid" =~ ^[1-9][0-9]*$ ]] && pass || fail "MainPID '$main_pid'"
[[ "$(show StatusText)" == ready ]] && pass || fail "StatusText '$(show StatusText)', not ready"
[[ "$(show NRestarts)" == 0 ]] && pass || fail "NRestarts $(show NRestarts)"
echo "slamon.service: $(in_container systemctl show slamon.service -p MainPID,NRestarts,StatusText,WatchdogUSec | paste -sd' ')"

# /metrics from the host (the network is shared): the ticket, the database.
metric() { local out; out=$(curl -sf "http://127.0.0.1:$port/metrics") && awk -v m="$1" '$1 == m { print $2 }' <<<"$out"; }
[[ "$(metric slamon_db_up)" == 1 ]] && pass || fail "slamon_db_up is not 1"
[[ "$(metric slamon_open_tickets)" == 1 ]] && pass || fail "the ticket is not in /metrics"

# The process: user slamon, no capabilities, no new privileges, seccomp.
status=$(in_container cat "/proc/$main_pid/status")
uid=$(in_container id -u slamon)
field() { awk -v f="$1:" '$1 == f { print $2 }' <<<"$status"; }
[[ "$(field Name)" == slamon ]] && pass || fail "MainPID $main_pid is $(field Name), not slamon"
[[ "$(field Uid)" == "$uid" && -n "$uid" ]] && pass || fail "Uid $(field Uid), slamon is $uid"
for f in CapInh CapPrm CapEff CapBnd CapAmb; do
  [[ "$(field $f)" == 0000000000000000 ]] && pass || fail "$f $(field $f), not 0"
done
[[ "$(field NoNewPrivs)" == 1 ]] && pass || fail "NoNewPrivs $(field NoNewPrivs)"
[[ "$(field Seccomp)" == 2 ]] && pass || fail "Seccomp $(field Seccomp), not 2 (filter)"
# The sandbox as systemd applied it: a private user namespace (PrivateUsers=).
[[ "$(in_container readlink "/proc/$main_pid/ns/user")" != "$(in_container readlink /proc/1/ns/user)" ]] && pass ||
  fail "slamon shares PID 1's user namespace (PrivateUsers=)"
# ProtectSystem=strict: the whole tree read-only in slamon's mount namespace.
for d in /usr /etc /var; do
  opts=$(in_container findmnt -N "$main_pid" -n -o OPTIONS -T "$d")
  [[ "$opts" == ro,* ]] && pass || fail "$d is not read-only for slamon: $opts"
done

# The watchdog: set, and fed.
[[ "$(show WatchdogUSec)" == 30s ]] && pass || fail "WatchdogUSec '$(show WatchdogUSec)', not 30s"
w1=$(show WatchdogTimestampMonotonic)
sleep 2
w2=$(show WatchdogTimestampMonotonic)
[[ "$w1" =~ ^[0-9]+$ && "$w2" =~ ^[0-9]+$ ]] && ((w2 > w1)) && pass || fail "no WATCHDOG=1 in 2 s: $w1 then $w2"

# Reload: SIGHUP, the config reloaded, the same process, still ready.
if out=$(in_container systemctl reload slamon.service 2>&1); then pass; else fail "systemctl reload: $out"; fi
for _ in $(seq 1 25); do
  log=$(journal)
  [[ "$log" == *"reloaded /etc/slamon/slamon.yml"* ]] && break
  sleep 0.2
done
[[ "$log" == *"reloaded /etc/slamon/slamon.yml"* ]] && pass || fail "no 'reloaded' in the journal: $(tail -5 <<<"$log")"
[[ "$(show MainPID)" == "$main_pid" && "$(in_container systemctl is-active slamon.service)" == active ]] && pass ||
  fail "after reload: MainPID $(show MainPID) (was $main_pid), $(show ActiveState)"
curl -sf "http://127.0.0.1:$port/-/ready" >/dev/null && pass || fail "not ready after reload"

# Stop: SIGTERM, exit 0.
if out=$(in_container systemctl stop slamon.service 2>&1); then pass; else fail "systemctl stop: $out"; fi
[[ "$(show ActiveState)" == inactive ]] && pass || fail "after stop: $(show ActiveState)/$(show SubState)"
[[ "$(show Result)" == success ]] && pass || fail "Result $(show Result)"
[[ "$(show ExecMainCode)" == 1 && "$(show ExecMainStatus)" == 0 ]] && pass ||
  fail "slamon ended with code $(show ExecMainCode) status $(show ExecMainStatus), not exit 0"

# Nothing refused by the sandbox: no EPERM, no SIGSYS, no core dump.
log=$(journal)
refused=$(grep -iE 'Operation not permitted|Permission denied|SIGSYS|Bad system call|core dump|Failed to set up|status=2[0-9][0-9]/' <<<"$log")
[[ -z "$refused" ]] && pass || fail "refused in the journal of slamon.service: $refused"
grep -q "reloaded" <<<"$log" && [[ "$(grep -c . <<<"$log")" -gt 3 ]] && pass || fail "the journal of slamon.service is nearly empty: $log"

# Power off: the container ends, the cached tree is as it was built.
in_container systemctl poweroff >/dev/null 2>&1
for _ in $(seq 1 150); do
  kill -0 "$nspawn_pid" 2>/dev/null || break
  sleep 0.2
done
if kill -0 "$nspawn_pid" 2>/dev/null; then fail "the container is still running 30 s after poweroff"; else
  wait "$nspawn_pid"
  rc=$?
  [[ $rc == 0 ]] && pass || fail "systemd-nspawn exited $rc after poweroff: $(tail -5 "$work/boot.log")"
fi
[[ ! -e "$rootfs/usr/bin/slamon" && ! -e "$rootfs/etc/slamon" ]] && pass || fail "the cached root file system $rootfs was modified"

echo "done in $((SECONDS - started)) s"
echo "$checks passed, $failures failed"
((failures == 0))
