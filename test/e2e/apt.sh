#!/usr/bin/env bash
# Installs the Debian packages named on the command line that are not installed yet (idempotent), and prints which it
# installed. Used by setup.sh (the e2e suites' tools) and by .ci/run (chromium for the browser tests of npm test).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
need=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
echo "apt ${need[*]:-(all present)}"
