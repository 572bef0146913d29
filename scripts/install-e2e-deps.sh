#!/usr/bin/env bash
# Installs what the page checks run (test/e2e, npm run check): nginx and a Chromium browser. Idempotent:
# installs only what is missing. Non-interactive; needs root or sudo (CI runs as root).
#   bash scripts/install-e2e-deps.sh [--dry-run]    --dry-run: say what would be installed, install nothing
#
# A browser is any of what verify/chromium.ts looks for: $CHROME_PATH, or chromium, chromium-browser,
# google-chrome or google-chrome-stable on PATH. GitHub's Ubuntu runners ship Google Chrome; on Debian
# the chromium package is installed. Ubuntu has no Chromium package of its own (its chromium-browser
# installs a snap, which containers cannot run): there, without a browser, this stops and says so.
set -euo pipefail

dry_run=false
[ "${1:-}" = "--dry-run" ] && dry_run=true
# The file that names the distribution; a test points it elsewhere.
os_release=${OS_RELEASE_FILE:-/etc/os-release}

browser() {
  if [ -n "${CHROME_PATH:-}" ]; then
    [ -x "$CHROME_PATH" ] && echo "$CHROME_PATH"
    return
  fi
  local name
  for name in chromium chromium-browser google-chrome google-chrome-stable; do
    if command -v "$name" 2>/dev/null; then return; fi
  done
}

distribution=$( (. "$os_release" 2>/dev/null && echo "${ID:-unknown}") || echo unknown)

missing=()
# The path test/e2e runs.
[ -x /usr/sbin/nginx ] || missing+=(nginx)
found=$(browser || true)
if [ -z "$found" ]; then
  if [ "$distribution" = ubuntu ]; then
    echo "e2e deps: no Chromium browser found, and Ubuntu packages Chromium as a snap only:" >&2
    echo "  install Google Chrome (GitHub's Ubuntu runners have it) or set CHROME_PATH to a Chromium-based browser" >&2
    exit 1
  fi
  missing+=(chromium)
else
  echo "e2e deps: browser $found"
fi
if [ "${#missing[@]}" -eq 0 ]; then
  echo "e2e deps: nginx and a browser already installed"
  exit 0
fi
if $dry_run; then
  echo "e2e deps: would install ${missing[*]}"
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
"$(browser)" --version 2>/dev/null
