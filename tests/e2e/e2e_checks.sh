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
