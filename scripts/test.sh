#!/usr/bin/env bash
# The whole test suite: install dependencies, build, run ctest.
# The last line printed is ctest's own summary line.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh || exit 1
bash scripts/build.sh || exit 1
log="$(mktemp)"
(cd build && ctest --output-on-failure --timeout 600 -j "$(nproc)") 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# ctest ends with "Total Test time"; repeat its summary so it is the last line.
grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1
rm -f "$log"
exit "$status"
