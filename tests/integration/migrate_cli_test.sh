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
contains "first migrate says what it did" "$work/out" "migrated from version 0 to 1"
env -u PGPASSWORD "$slamon" migrate --config "$work/slamon.yml" >"$work/out" 2>"$work/err"
check "second migrate" 0 $?
contains "second migrate is a no-op" "$work/out" "is current (version 1)"

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
