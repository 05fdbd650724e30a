#!/usr/bin/env bash
# `slamon migrate` as an operator runs it, against the cluster pg_virtualenv
# started: exit statuses, messages, and the password file.
set -uo pipefail
slamon="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/cli_checks.sh"

# Connection from the environment pg_virtualenv set, password from a file.
printf '%s\n' "$PGPASSWORD" >"$work/db-password"
cat >"$work/slamon.yml" <<YAML
database:
  dsn: "dbname=$PGDATABASE"
  password_file: $work/db-password
YAML
env -u PGPASSWORD "$slamon" migrate --config "$work/slamon.yml" >"$work/out" 2>"$work/err"
check "first migrate" 0 $?
contains "first migrate says what it did" "$work/out" "migrated from version 0 to 3"
env -u PGPASSWORD "$slamon" migrate --config "$work/slamon.yml" >"$work/out" 2>"$work/err"
check "second migrate" 0 $?
contains "second migrate is a no-op" "$work/out" "is current (version 3)"
"$slamon" migrate --config "$work/slamon.yml" --to-version 1 >"$work/out" 2>"$work/err"
check "--to-version below the schema" 1 $?
contains "going back is refused" "$work/err" "never downgrades"

# Version 1 with data, as an operator upgrading from the previous release
# has it, then the upgrade: the rows stay, the new columns get their defaults
# (credit quota, no holidays), and evaluate-shaped reads see them.
psql -q -v ON_ERROR_STOP=1 -c "DROP SCHEMA slamon CASCADE" >/dev/null
"$slamon" migrate --config "$work/slamon.yml" --to-version 1 >"$work/out" 2>"$work/err"
check "migrate --to-version 1" 0 $?
contains "stops at version 1" "$work/out" "migrated from version 0 to 1"
psql -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
INSERT INTO slamon.partners (id, name, contract_signed_at, timezone, policy)
  VALUES ('tokyo', 'Tokyo KK', '2023-03-01T00:00:00+09:00', 'Asia/Tokyo', 'default');
INSERT INTO slamon.certifications VALUES ('tokyo', 'e1', '2025-03-01T00:00:00+09:00');
INSERT INTO slamon.releases VALUES ('backup', '24.2', '2026-12-15T00:00:00Z');
INSERT INTO slamon.ticket_events (ticket_id, at, kind, partner_id, severity, incidents, product, version)
  VALUES ('T-1', '2026-11-26T01:00:00Z', 'opened', 'tokyo', 'A', 1, 'backup', '24.2');
SQL
"$slamon" migrate --config "$work/slamon.yml" >"$work/out" 2>"$work/err"
check "upgrade 1 to 3" 0 $?
contains "upgrade says what it did" "$work/out" "migrated from version 1 to 3"
same "rows and defaults after the upgrade" "tokyo|quota|t|1|1|1" \
  "$(psql -qAt -c "SELECT p.id, p.credit, p.holidays IS NULL,
      (SELECT count(*) FROM slamon.certifications),
      (SELECT count(*) FROM slamon.releases),
      (SELECT count(*) FROM slamon.ticket_events) FROM slamon.partners p")"
psql -q -c "UPDATE slamon.partners SET credit = 'free'" >"$work/out" 2>"$work/err"
check "a third kind of credit is refused" 1 $?
contains "by the constraint" "$work/err" "partners_credit_kind"
"$slamon" migrate --config "$work/slamon.yml" --to-version 0 >"$work/out" 2>"$work/err"
check "--to-version 0" 2 $?
"$slamon" migrate --config "$work/slamon.yml" --to-version 4 >"$work/out" 2>"$work/err"
check "--to-version past the newest" 1 $?
contains "an unknown version is named" "$work/err" "no schema version 4"

# A wrong password is a runtime failure that says so.
printf 'wrong\n' >"$work/db-password"
env -u PGPASSWORD "$slamon" migrate --config "$work/slamon.yml" >"$work/out" 2>"$work/err"
check "wrong password" 1 $?
contains "wrong password is reported" "$work/err" "password authentication failed"

# A missing password file is a config error naming the file.
rm -f "$work/db-password"
"$slamon" migrate --config "$work/slamon.yml" >"$work/out" 2>"$work/err"
check "missing password file" 78 $?
contains "missing password file is named" "$work/err" "db-password: cannot read database password file"

"$slamon" migrate >"$work/out" 2>"$work/err"
check "migrate without --config" 2 $?
"$slamon" migrate --help >"$work/out" 2>"$work/err"
check "migrate --help" 0 $?
contains "migrate --help shows usage" "$work/out" "usage: slamon migrate"

finish
