#!/usr/bin/env bash
# The offline demo: install dependencies, build, and evaluate the shipped demo tickets
# with `slamon evaluate` at a fixed instant, printing one JSON line per ticket
# and per partner. Pass --at ISO8601 to evaluate at another instant.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh >/dev/null
at="2026-11-26T12:00:00Z"
if [[ "${1:-}" == "--at" && -n "${2:-}" ]]; then at="$2"; fi
exec ./build/daemon/slamon evaluate --config demo/slamon.yml --at "$at" < demo/tickets.jsonl
