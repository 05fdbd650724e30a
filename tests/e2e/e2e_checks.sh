# What the end-to-end scripts share (sourced): a scratch directory `work`,
# background processes in `pids` ended on exit (`kill_signal`, default TERM),
# pass/fail counting and a free loopback port.
work="$(mktemp -d)"
pids=()
kill_signal="${kill_signal:-TERM}"
cleanup() {
  for p in "${pids[@]}"; do kill "-$kill_signal" "$p" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
failures=0
checks=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { checks=$((checks + 1)); }
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_replica PORT [EXTRA_YAML]: `$slamon run` on 127.0.0.1:PORT against the
# pg_virtualenv database (plus EXTRA_YAML config), waited for until ready;
# sets $replica to its pid.
start_replica() {
  {
    printf 'database:\n  dsn: "dbname=%s"\nhttp:\n  listen: "127.0.0.1:%s"\n' "$PGDATABASE" "$1"
    printf '%s' "${2:-}"
  } >"$work/slamon-$1.yml"
  "$slamon" run --config "$work/slamon-$1.yml" >>"$work/replica-$1.log" 2>&1 &
  replica=$!
  pids+=("$replica")
  wait_ready "$1" || fail "replica on $1 not ready"
}
# wait_ready PORT: waits up to 10 s for slamon's /-/ready on 127.0.0.1:PORT.
wait_ready() {
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$1/-/ready" >/dev/null && return 0
    sleep 0.1
  done
  return 1
}
leader_of() { curl -sf "http://127.0.0.1:$1/metrics" | awk '$1 == "slamon_leader" { print $2 }'; }

# start_alertmanager [STORAGE]: a real Alertmanager (Debian's) on loopback,
# routing everything to a receiver that drops it, on $am_port (a free port is
# chosen the first time; later calls restart on the same port), data in
# $work/STORAGE (default am), log in $work/am.log; sets $alertmanager to its pid.
start_alertmanager() {
  am_port="${am_port:-$(free_port)}"
  printf 'route: {receiver: "null", group_wait: 0s}\nreceivers: [{name: "null"}]\n' \
    >"$work/alertmanager.yml"
  /usr/bin/prometheus-alertmanager --config.file="$work/alertmanager.yml" \
    --storage.path="$work/${1:-am}" --web.listen-address="127.0.0.1:$am_port" \
    --cluster.listen-address= >>"$work/am.log" 2>&1 &
  alertmanager=$!
  pids+=("$alertmanager")
}

# start_prometheus: Debian's Prometheus on loopback with $work/prometheus.yml,
# storage in $work/tsdb, log in $work/prometheus.log, on $prom_port (a free
# port unless set).
start_prometheus() {
  prom_port="${prom_port:-$(free_port)}"
  /usr/bin/prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
    --web.listen-address="127.0.0.1:$prom_port" >"$work/prometheus.log" 2>&1 &
  pids+=($!)
}
