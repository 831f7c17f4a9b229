#!/usr/bin/env bash
# Install the Debian packages the test suite needs (browser, PostgreSQL, PDF tools,
# fonts, Node.js for the FHIR validator), only those missing. Without root or apt-get, say what is missing and go on:
# the tests that need them are skipped with a reason, except under CI=true.
set -euo pipefail

packages=(chromium postgresql poppler-utils fonts-dejavu-core libpango-1.0-0
          libpangoft2-1.0-0 libharfbuzz-subset0)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$pkg")
done
# Node.js and npm run the FHIR validator (tests/interop/fhir_validator); a node that
# came another way (with its own npm) is kept.
command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "system packages missing (need root and apt-get): ${missing[*]}" >&2
  [ "${CI:-}" = "true" ] && exit 1
  exit 0
fi
echo "installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q </dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
