#!/usr/bin/env python3
"""Fails when a test of the build directory given has no CTest LABELS.

Every test carries labels (docs/testing.md, "Labels") so that `ctest -L unit`
and scripts/sanitize.sh miss none. Usage: check_labels.py CTEST BUILD_DIR
"""
import json
import subprocess
import sys

ctest, build_dir = sys.argv[1], sys.argv[2]
listing = subprocess.run([ctest, "-N", "--show-only=json-v1"], cwd=build_dir,
                         check=True, capture_output=True, text=True).stdout
tests = json.loads(listing)["tests"]
unlabelled = [t["name"] for t in tests
              if not any(p["name"] == "LABELS" for p in t.get("properties", []))]
if not tests:
    print("FAIL: ctest lists no tests")
    sys.exit(1)
if unlabelled:
    print("FAIL: tests without LABELS:", " ".join(unlabelled))
    sys.exit(1)
print(f"ok: all {len(tests)} tests carry labels")
