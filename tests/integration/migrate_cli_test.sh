#!/usr/bin/env bash
# `slamon migrate` as an operator runs it, against the cluster pg_virtualenv
# started: exit statuses, messages, and the password file.
set -uo pipefail
slamon="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0
checks=0
check() {  # check DESCRIPTION WANT_STATUS GOT_STATUS
  checks=$((checks + 1))
  if [[ "$2" != "$3" ]]; then
    echo "FAIL: $1: exit status $3, want $2"
    sed 's/^/  /' "$work/out" "$work/err" | head -10
    failures=$((failures + 1))
  fi
}
contains() {  # contains DESCRIPTION FILE TEXT
  checks=$((checks + 1))
  if ! grep -qF -- "$3" "$2"; then
    echo "FAIL: $1: \"$3\" not in:"; sed 's/^/  /' "$2" | head -10
    failures=$((failures + 1))
  fi
}

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

echo "$((checks - failures)) passed, $failures failed"
[[ $failures == 0 ]]
