#!/usr/bin/env bash
# `slamon report --format html` against the cluster pg_virtualenv started, on
# the demo data (demo/seed.sql) plus a partner whose name and ticket id are
# HTML: the page, rendered by a real browser (Debian's chromium, headless),
# gives a screenshot that is not blank and shows the burn-down chart, and the
# figures of the page as the browser parsed it equal the JSON report's for
# the same data and instant (report_html_check.py). Without chromium or
# python3-pil the test fails: scripts/install-deps.sh installs both.
set -uo pipefail
slamon="$1"
src="$2"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
source "$here/cli_checks.sh"

if ! command -v chromium >/dev/null; then
  echo "FAIL: chromium not found (Debian package chromium, see scripts/install-deps.sh)"
  exit 1
fi
# Debian's interpreter, where python3-pil is (a python3 earlier on PATH, from
# pyenv or a virtualenv, would not see it).
python=/usr/bin/python3
if ! "$python" -c 'import PIL' 2>/dev/null; then
  echo "FAIL: python3 cannot import PIL (Debian package python3-pil, see scripts/install-deps.sh)"
  exit 1
fi

cp "$src/demo/slamon.yml" "$work/slamon.yml"
cat >>"$work/slamon.yml" <<YAML
database:
  dsn: "dbname=$PGDATABASE"
YAML
"$slamon" migrate --config "$work/slamon.yml" >"$work/out" 2>"$work/err"
check "migrate" 0 $?
psql -q -v ON_ERROR_STOP=1 -f "$src/demo/seed.sql" >"$work/out" 2>"$work/err"
check "load demo/seed.sql" 0 $?
# A partner in its second contract year (limit 20) whose name and ticket ids
# are markup: E-<1> has 25 incidents, so 5 are billable.
psql -q -v ON_ERROR_STOP=1 >"$work/out" 2>"$work/err" <<'SQL'
INSERT INTO slamon.partners (id, name, contract_signed_at, timezone, policy, credit) VALUES
  ('evil', '<script>alert("x")</script> & <b>Co''s</b>', now() - interval '400 days',
   'Europe/London', 'default', 'quota');
INSERT INTO slamon.ticket_events (ticket_id, at, kind, partner_id, severity, incidents, product, version) VALUES
  ('E-<1>&"x"', now() - interval '5 days', 'opened', 'evil', 'B', 25, 'backup', '24.2'),
  ('E-<2>', now() - interval '3 days', 'opened', 'evil', 'A', 1, 'backup', '24.2');
SQL
check "load the partner with markup in its data" 0 $?
at="$(date -u -d '+60 seconds' +%Y-%m-%dT%H:%M:%SZ)"
from="$(date -u -d '40 days ago' +%F)"
to="$(date -u -d '+2 days' +%F)"

report() {  # report PARTNER FORMAT OUTPUT
  "$slamon" report --config "$work/slamon.yml" --partner "$1" --from "$from" --to "$to" \
    --at "$at" --format "$2" >"$3" 2>"$work/err"
}

# chromium, headless, with its own profile; as root it needs --no-sandbox.
# No proxy and an unresolvable network: the page must need nothing outside.
browser() {
  timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run \
    --user-data-dir="$work/profile" --no-proxy-server \
    --host-resolver-rules='MAP * ~NOTFOUND' "$@" 2>>"$work/chromium.log"
}

for partner in acme globex initech evil; do
  report "$partner" json "$work/$partner.json"
  check "$partner: report --format json" 0 $?
  report "$partner" html "$work/$partner.html"
  check "$partner: report --format html" 0 $?
  for outside in '<script' '<link' '<img' 'http:' 'https:' 'url('; do
    same "$partner: nothing to fetch or run ($outside)" 0 "$(grep -ciF -- "$outside" "$work/$partner.html")"
  done

  browser --dump-dom "file://$work/$partner.html" >"$work/$partner.dom"
  check "$partner: chromium --dump-dom" 0 $?
  "$python" "$here/report_html_check.py" "$work/$partner.dom" "$work/$partner.json" >"$work/out"
  check "$partner: the page's figures are the JSON report's" 0 $?
  sed 's/^/  /' "$work/out"

  browser --screenshot="$work/$partner.png" --window-size=1280,3200 --hide-scrollbars \
    "file://$work/$partner.html" >/dev/null
  check "$partner: chromium --screenshot" 0 $?
  # Not blank: more than one colour, over 1% of the pixels not the page's
  # white background, and the burn-down drawn: its used line (#1a56b4, 2 px)
  # and the area under it (#8ab4f8 at 55% over the plot's #f7f9fb: 0.55 *
  # (138, 180, 248) + 0.45 * (247, 249, 251) = (187, 211, 249)); every
  # partner here has incidents in a limited or unlimited quota period.
  "$python" - "$work/$partner.png" >"$work/out" <<'PY'
import sys
from PIL import Image
img = Image.open(sys.argv[1]).convert("RGB")
pixels = list(img.getdata())
colours = len(set(pixels))
inked = sum(1 for p in pixels if p != (255, 255, 255)) / len(pixels)
line = sum(1 for r, g, b in pixels
           if abs(r - 0x1a) < 24 and abs(g - 0x56) < 24 and abs(b - 0xb4) < 24)
area = sum(1 for r, g, b in pixels
           if abs(r - 187) < 8 and abs(g - 211) < 8 and abs(b - 249) < 8)
print(f"{img.size[0]}x{img.size[1]}, {colours} colours, {inked:.2%} inked, "
      f"{line} line pixels, {area} area pixels")
sys.exit(0 if colours > 1 and inked > 0.01 and line >= 100 and area >= 500 else 1)
PY
  check "$partner: the screenshot is not blank and shows the chart" 0 $?
  sed 's/^/  /' "$work/out"
done

# The comparison can fail: one figure changed in the JSON is a mismatch.
"$python" -c 'import json, sys; d = json.load(open(sys.argv[1])); d["quota"][0]["usage"][-1]["incidents_used"] += 1; json.dump(d, open(sys.argv[2], "w"))' \
  "$work/acme.json" "$work/acme-changed.json"
"$python" "$here/report_html_check.py" "$work/acme.dom" "$work/acme-changed.json" >"$work/out"
check "a changed burn-down figure is a mismatch" 1 $?
contains "the mismatch is named" "$work/out" "burn-down steps"

# The partner with markup: Chromium's DOM has the name and ticket ids as
# text (report_html_check.py compared them), and no element came from them.
same "evil: no <script> or <b> element from the data" 0 \
  "$(grep -ciE '<(script|b)>' "$work/evil.dom")"
contains "evil: the name is text" "$work/evil.dom" \
  '&lt;script&gt;alert("x")&lt;/script&gt; &amp; &lt;b&gt;Co'"'"'s&lt;/b&gt;'
contains "evil: the billable ticket" "$work/evil.json" '"billable_incidents": 5'
if [[ $failures != 0 ]]; then tail -20 "$work/chromium.log"; fi

finish
