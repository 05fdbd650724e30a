#!/usr/bin/env bash
# The shipped configs: config/slamon.yml (installed as /etc/slamon/slamon.yml)
# and config/slamon.example.yml pass `slamon check-config`, and the example
# holds every key the config parser knows (lib/config/*.cc), as often as the
# parser reads it (password_file: database and http.basic_auth), so a new key
# cannot be added without documenting it there.
# usage: config_test.sh SLAMON_BINARY SOURCE_DIR
set -uo pipefail
slamon="$1"
src="$2"
source "$src/tests/e2e/e2e_checks.sh"

for file in "$src/config/slamon.yml" "$src/config/slamon.example.yml"; do
  if out=$("$slamon" check-config --config "$file" 2>&1); then pass; else fail "check-config $file: $out"; fi
done

# The keys: the names in the parser's key tables ({"dsn", [&](...) ...}; not
# the {"cert_file", &tls.cert_file} lists of required keys), the weekdays
# of calendars.*.hours and the targets of policies.*.severities.*.
mapfile -t keys < <(
  {
    grep -ohE '\{"[a-z_0-9]+",( \[|$)' "$src"/lib/config/*.cc | grep -oE '[a-z_0-9]+'
    printf '%s\n' mon tue wed thu fri sat sun response workaround resolution
  } | sort -u
)
((${#keys[@]} >= 40)) && pass || fail "found only ${#keys[@]} config keys in lib/config: ${keys[*]}"
example=$(sed 's/#.*//' "$src/config/slamon.example.yml")  # keys in comments do not count
for key in "${keys[@]}"; do
  in_code=$(grep -ohE "\{\"$key\",( \[|\$)" "$src"/lib/config/*.cc | wc -l)
  ((in_code >= 1)) || in_code=1  # weekdays and targets
  in_example=$(grep -oE "(^|[{ ,])$key:" <<<"$example" | wc -l)
  if ((in_example >= in_code)); then pass; else
    fail "config/slamon.example.yml has key $key $in_example times, the parser reads it in $in_code places"
  fi
done

# The installed default names the database the README's systemd setup uses.
grep -q '^  dsn: "host=/run/postgresql dbname=tickets user=slamon"$' "$src/config/slamon.yml" && pass ||
  fail "config/slamon.yml does not use the local socket, database tickets, user slamon"

echo "$checks passed, $failures failed"
((failures == 0))
