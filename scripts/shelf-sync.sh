#!/usr/bin/env bash
# Copy what the product and its tests use from the team's reference shelf into the
# repository: the golden cases (assessment + expected decision), the user examples and
# the FHIR samples; the non-specific profile's examples (ns-*.json) likewise. Usage: scripts/shelf-sync.sh [SHELF]; then review `git diff`.
set -euo pipefail
shelf="${1:-../shared}"
root="$(cd "$(dirname "$0")/.." && pwd)"
src="$shelf/domain/examples"
[ -d "$src" ] || { echo "shelf-sync: $src: no such folder" >&2; exit 2; }
cp "$src"/*.yaml "$src"/*.expected.json "$root/tests/data/cases/"
cp "$src"/*.yaml "$root/examples/"
ns="$shelf/domain/examples-nonspecific"
if [ -d "$ns" ]; then
  mkdir -p "$root/tests/data/cases-nonspecific"
  cp "$ns"/ns-*.json "$root/tests/data/cases-nonspecific/"
  for case in "$ns"/ns-*.json; do
    case "$case" in *.expected.json) ;; *) cp "$case" "$root/examples/" ;; esac
  done
fi
for sample in "$root"/tests/interop/data/*.json; do
  name="$(basename "$sample")"
  [ -f "$src/$name" ] && cp "$src/$name" "$sample"
done
git -C "$root" status --short -- tests/data examples tests/interop/data
