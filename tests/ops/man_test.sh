#!/usr/bin/env bash
# The man pages render without a single warning from man/groff, and name
# every subcommand and every top-level config section the binary knows.
# Usage: man_test.sh SLAMON SOURCE_DIR
set -uo pipefail
slamon="$1"
src="$2"
fail=0
for page in "$src/man/slamon.8" "$src/man/slamon.yml.5"; do
  warnings="$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null)"
  if [[ -n "$warnings" ]]; then
    echo "FAIL: $page: $warnings"
    fail=1
  fi
done
rendered="$(LC_ALL=C.UTF-8 MANWIDTH=200 man -E UTF-8 -l "$src/man/slamon.8" 2>/dev/null)"
for command in run migrate check-config evaluate explain report version; do
  if ! "$slamon" "$command" --help >/dev/null 2>&1 && [[ "$command" != version ]]; then
    echo "FAIL: slamon $command --help does not work"
    fail=1
  fi
  grep -q -- "slamon $command" <<<"$rendered" || { echo "FAIL: slamon(8) lacks $command"; fail=1; }
done
rendered5="$(LC_ALL=C.UTF-8 MANWIDTH=200 man -E UTF-8 -l "$src/man/slamon.yml.5" 2>/dev/null)"
for key in calendars policies database.dsn database.password_file database.poll_interval \
  http.listen http.tls http.basic_auth alerting.alertmanagers alerting.webhooks \
  alerting.resend_interval alerting.runbook_url ingest.enabled ingest.credentials_file \
  ingest.max_body_bytes ingest.database_user; do
  grep -q -- "$key" <<<"$rendered5" || { echo "FAIL: slamon.yml(5) lacks $key"; fail=1; }
done
((fail == 0)) && echo "ok: man pages"
exit "$fail"
