#!/usr/bin/env python3
"""Prints the system calls in an strace log that a unit's SystemCallFilter=
would refuse, one a line (nothing when all are allowed).

usage: denied_syscalls.py UNIT_FILE STRACE_LOG

UNIT_FILE's SystemCallFilter= lines: an allow list, then lines starting
with ~ that take names out of it (as systemd applies them). Groups such
as @system-service are expanded with `systemd-analyze syscall-filter`.
STRACE_LOG is `strace -f -o` output; calls before the first execve of the
traced binary (the wrapper that drops privileges) count too unless the
caller cut them off.
"""
import re
import subprocess
import sys


def expand(name, cache={}):
    if not name.startswith("@"):
        return {name}
    if name not in cache:
        out = subprocess.run(["systemd-analyze", "syscall-filter", name],
                             capture_output=True, text=True, check=True).stdout
        names = set()
        for line in out.splitlines()[1:]:
            line = line.strip()
            if line and not line.startswith("#"):
                names |= expand(line)
        cache[name] = names
    return cache[name]


def main(unit_file, trace_file):
    allowed = None
    with open(unit_file) as unit:
        for line in unit:
            m = re.match(r"^SystemCallFilter=(~?)(.*)$", line.strip())
            if not m:
                continue
            names = set().union(*(expand(n) for n in m.group(2).split()))
            if m.group(1):
                allowed = (allowed if allowed is not None else set()) - names
            else:
                allowed = (allowed or set()) | names
    if allowed is None:
        sys.exit(f"{unit_file}: no SystemCallFilter=")
    used = set()
    with open(trace_file) as trace:
        for line in trace:
            m = re.match(r"^\d+\s+(?:<\.\.\. )?([a-z_0-9]+)[( ]", line)
            if m:
                used.add(m.group(1))
    if not used:
        sys.exit(f"{trace_file}: no system calls found")
    for name in sorted(used - allowed):
        print(name)


if __name__ == "__main__":
    main(*sys.argv[1:])
