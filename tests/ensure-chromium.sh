#!/usr/bin/env bash
# Playwright drives Debian's Chromium (never a downloaded browser). Install it if it is missing.
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the browser tests…"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || {
    echo "Could not install chromium with apt-get; install it (apt-get install chromium) and run npm test again." >&2
    exit 1
  }
else
  echo "The browser tests need /usr/bin/chromium: run 'sudo apt-get install chromium' (Debian/Ubuntu) and try again." >&2
  exit 1
fi
