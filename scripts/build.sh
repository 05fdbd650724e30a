#!/usr/bin/env bash
# Configures and builds slamon in ./build (one build directory, ccache on).
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
# Share cached objects between checkouts at different paths (a clean clone in
# CI, a second work tree): hash paths relative to the checkout, not the cwd.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}" CCACHE_NOHASHDIR=1
jobs="$(nproc)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSLAMON_WERROR=ON >/dev/null
cmake --build build --parallel "$jobs"
