#!/usr/bin/env bash
# Installs what the end-to-end tests run (test/e2e): Debian's nginx and chromium. Idempotent:
# installs only what is missing. Non-interactive; needs root or sudo (CI runs as root).
set -euo pipefail

# The paths test/e2e runs.
missing=()
[ -x /usr/sbin/nginx ] || missing+=(nginx)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ "${#missing[@]}" -eq 0 ]; then
  echo "e2e deps: nginx and chromium already installed"
  exit 0
fi

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive

# The nginx package starts a system nginx on port 80 unless policy-rc.d forbids it; the tests
# start their own, so forbid it for this install when the machine has no policy of its own.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
  "${sudo[@]}" chmod 755 "$policy"
  trap '"${sudo[@]}" rm -f "$policy"' EXIT
fi

echo "e2e deps: installing ${missing[*]}"
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
/usr/sbin/nginx -v
/usr/bin/chromium --version 2>/dev/null
