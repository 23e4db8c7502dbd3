#!/usr/bin/env bash
# Installs WA and everything its tests use: the Python package (editable) with its
# dependencies and its test and docs extras (the suite builds the Sphinx documentation), and
# the Debian packages of the tools the built-in workloads and instruments drive (the tests run
# them for real on the local machine).
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
  gcc libc6-dev              # memcpy/dhrystone are built on the target
  stress-ng sysbench fio rt-tests openssl   # workloads (rt-tests has cyclictest, hackbench)
  rt-app iperf3 apache2 apache2-utils       # rt_app, iperf3, apache (Apache served, ab measures)
  linux-perf trace-cmd       # perf and trace_cmd instruments
  openssh-server openssh-client   # the SSH target tests start their own sshd on 127.0.0.1
  procps kmod util-linux     # ps/kill, taskset, dmesg, setpriv on the target
  adb aapt                   # the android target (tests check its no-device failure)
  chromium                   # the tests open the HTML reports in headless Chromium
  zsh                        # the completion test drives wa's script in zsh too
)
LAVA_PACKAGES=(lava-server lava-dispatcher lavacli)   # the LAVA tests' board farm

if command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    "${DEBIAN_PACKAGES[@]}" >/dev/null
  # The LAVA tests (tests/lava) start a LAVA farm on 127.0.0.1 with scripts/lava-farm.sh.
  # lava-server's postinst creates its database role and runs its migrations, so postgres must
  # be running first (nothing starts it where there is no systemd, and a policy-rc.d may
  # forbid apt to); "already running" is fine when this script is run again.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    postgresql >/dev/null
  $SUDO pg_ctlcluster "$(ls /usr/lib/postgresql | sort -n | tail -1)" main start 2>/dev/null || true
  # An earlier run whose postinst failed (postgres was down) left lava-server unconfigured.
  $SUDO dpkg --configure -a >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    "${LAVA_PACKAGES[@]}" >/dev/null
else
  echo "apt-get not found: install these packages yourself: ${DEBIAN_PACKAGES[*]}" \
    "postgresql ${LAVA_PACKAGES[*]}" >&2
fi

python3 -m pip install -q -e '.[test,docs]'
