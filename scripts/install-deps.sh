#!/usr/bin/env bash
# Installs what slamon needs to build, run and test, from Debian 12 packages.
# Skips apt-get entirely when everything is already there.
set -euo pipefail

packages=(
  # build
  g++ cmake ninja-build ccache git pkg-config clang-format cppcheck time bc python3
  # libraries (see README, "Dependencies")
  libhowardhinnant-date-dev tzdata libyaml-cpp-dev nlohmann-json3-dev
  catch2 libspdlog-dev libboost-dev libboost-system-dev libpqxx-dev
  prometheus-cpp-dev libsystemd-dev libssl-dev zlib1g-dev
  # test and demo servers: PostgreSQL 15 (pg_virtualenv comes with postgresql-common)
  postgresql-15 postgresql-common
  # test tools: promtool (`promtool check metrics`, rule tests) comes with prometheus
  prometheus
  # test servers: the alert tests send to a real Alertmanager
  prometheus-alertmanager
  # test servers: e2e.failover runs two PostgreSQL nodes under Patroni with etcd
  patroni etcd-server
  # test tools: the HTTP server tests talk to it with curl and make certificates with openssl
  curl openssl
  # ops: systemd-analyze (verify and security of the unit), cpack's .deb with
  # dpkg-shlibdeps (dpkg-dev) and file, the package's user (adduser), and the
  # package test's pgrep/ps (procps) and strace (system calls vs. the unit's filter)
  systemd dpkg-dev file adduser procps strace
  # scripts/sanitize.sh: clang 14 with its sanitizer and libFuzzer runtimes
  # (libclang_rt.asan/ubsan/tsan/fuzzer), llvm-symbolizer for readable stacks
  clang libclang-rt-14-dev llvm-14
  # the Grafana test parses the provisioning YAML
  python3-yaml
  # ops.man renders the man pages with warnings on
  man-db groff-base
  # ops.boot: a Debian 12 root file system (debootstrap) booted with systemd
  # as PID 1 in systemd-nspawn (systemd-container), entered with nsenter (util-linux)
  debootstrap systemd-container util-linux
  # adapter.request_tracker_rt: a real Request Tracker 5 on PostgreSQL, driven
  # through its Perl API (no web server; it pulls an MTA, exim4, which the
  # test does not use)
  request-tracker5 rt5-db-postgresql
  # integration.report_html renders `slamon report --format html` in headless
  # Chromium and reads the screenshot's pixels with PIL
  chromium python3-pil
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # request-tracker5 would offer to set up its database with dbconfig-common;
  # the test makes its own in a throwaway cluster.
  echo 'request-tracker5 request-tracker5/dbconfig-install boolean false' | debconf-set-selections
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
