#!/usr/bin/env bash
# The programs the tests use besides Node, found where Debian, other Linux distributions and Homebrew put them
# (tests/helpers/services.ts looks in the same places): a browser for Playwright (Debian's Chromium, or CHROMIUM_PATH,
# never a downloaded one), the tools that read exports back (pdftotext, pdfinfo, pdffonts, unzip, LibreOffice),
# PostgreSQL's server programs (the store's tests start their own cluster), redis-server and nginx (the tests of
# several nodes and of the reverse proxy). On Debian as root the missing ones are installed. Elsewhere this says in
# one line what is missing and the suites that need it skip themselves — but in CI (CI set) a missing one fails.
set -euo pipefail
have() { command -v "$1" >/dev/null 2>&1; }
first_existing() { for path in "$@"; do [ -e "$path" ] && return 0; done; return 1; }

missing=()        # Debian package names
missing_names=()  # what a person on another system looks for
need() { missing+=("$1"); missing_names+=("$2"); }

if [ -n "${CHROMIUM_PATH:-}" ]; then [ -x "$CHROMIUM_PATH" ] || need chromium "Chromium (CHROMIUM_PATH=$CHROMIUM_PATH is not there)"
else first_existing /usr/bin/chromium /usr/bin/chromium-browser || need chromium "Chromium (or set CHROMIUM_PATH to a Chrome or Chromium)"; fi
have unzip || need unzip unzip
have pdftotext || need poppler-utils "poppler (pdftotext)"
have soffice || first_existing /Applications/LibreOffice.app/Contents/MacOS/soffice || need libreoffice-writer-nogui LibreOffice
first_existing /usr/lib/postgresql/*/bin/initdb /opt/homebrew/opt/postgresql@*/bin/initdb /usr/local/opt/postgresql@*/bin/initdb || have initdb || need postgresql PostgreSQL
have redis-server || need redis-server Redis
first_existing /usr/sbin/nginx /usr/bin/nginx || have nginx || need nginx nginx
[ ${#missing[@]} -eq 0 ] && exit 0

if command -v apt-get >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian packages for the tests: ${missing[*]}…"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null) || {
      echo "Could not install ${missing[*]} with apt-get; install them and run npm test again." >&2
      exit 1
    }
    exit 0
  fi
  echo "The tests need: ${missing[*]}. Run 'sudo apt-get install --no-install-recommends ${missing[*]}' and try again." >&2
  exit 1
fi

# Not Debian: say what is missing (Homebrew names on macOS) and let the suites that need it skip themselves.
list=$(printf '%s, ' "${missing_names[@]}"); list=${list%, }
hint=$([ "$(uname)" = Darwin ] && echo " (brew install postgresql@15 redis nginx poppler; brew install --cask libreoffice chromium)" || echo "")
if [ -n "${CI:-}" ]; then
  echo "CI needs every suite, and these are missing: $list$hint" >&2
  exit 1
fi
echo "Not found: $list$hint — the suites that need them will be skipped." >&2
exit 0
