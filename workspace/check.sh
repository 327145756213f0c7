#!/usr/bin/env bash
# Fails when the committed build (workspace/dist) is not what the sources build: installs
# the pinned tools (npm ci), type-checks, builds into a temporary directory and compares.
# After a change to workspace/src (or to the generated client): npm run build, commit dist/.
set -euo pipefail

DIR=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cd "$DIR"

# The tools are pinned by package-lock.json; a copy beside the install says it is current.
if ! cmp -s package-lock.json node_modules/.installed-lock.json; then
  echo "installing the workspace's tools into workspace/node_modules" >&2
  npm ci --no-audit --no-fund --silent
  cp package-lock.json node_modules/.installed-lock.json
fi

./node_modules/.bin/tsc --noEmit -p .
./node_modules/.bin/vite build --logLevel error --outDir "$TMP/dist" --emptyOutDir
if ! diff -r dist "$TMP/dist" > "$TMP/diff"; then
  echo "workspace/dist is stale: workspace/src builds something else." >&2
  echo "Run (cd workspace && npm run build) and commit workspace/dist. The difference:" >&2
  head -n 40 "$TMP/diff" >&2
  exit 1
fi
echo "workspace: dist/ is what the sources build; they type-check"
