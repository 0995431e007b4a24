#!/usr/bin/env bash
# The tests use Debian's Chromium (never a downloaded browser) and read exported files with independent tools
# (unzip and LibreOffice's conversion for DOCX, pdftotext and pdffonts for PDF). The PostgreSQL store's tests start their own throwaway
# cluster with the server binaries (initdb, pg_ctl; tests/helpers/postgresCluster.ts); the tests of several nodes
# start their own redis-server (tests/helpers/redisServer.ts), and the reverse-proxy test runs nginx with the
# configuration from docs/DEPLOYMENT.md (tests/helpers/nginxServer.ts). Install whichever is missing.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v unzip >/dev/null || missing+=(unzip)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || missing+=(nginx)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian packages for the tests: ${missing[*]}…"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null) || {
    echo "Could not install ${missing[*]} with apt-get; install them and run npm test again." >&2
    exit 1
  }
else
  echo "The tests need: ${missing[*]}. Run 'sudo apt-get install ${missing[*]}' (Debian/Ubuntu) and try again." >&2
  exit 1
fi
