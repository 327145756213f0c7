#!/usr/bin/env bash
# Fails when the committed clients (clients/openapi-v2.json, python/, typescript/src/) are
# not what docs/openapi.json generates: regenerates into a temporary copy of clients/ and
# compares. Then type-checks the TypeScript client with the pinned tsc.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

mkdir -p "$TMP/clients/typescript"
cp -r "$ROOT/clients/python" "$TMP/clients/python"
cp -r "$ROOT/clients/typescript/src" "$TMP/clients/typescript/src"
cp "$ROOT/clients/openapi-v2.json" "$TMP/clients/openapi-v2.json"
# Caches are git-ignored; they must not count as a difference.
find "$TMP/clients" \( -name __pycache__ -o -name .ruff_cache \) -prune -exec rm -rf {} +

"$ROOT/clients/generate.sh" "$TMP/clients"

for part in openapi-v2.json python typescript/src; do
  if ! diff -r --exclude=__pycache__ --exclude=.ruff_cache "$ROOT/clients/$part" "$TMP/clients/$part" > "$TMP/diff" ; then
    echo "clients/$part is stale: docs/openapi.json generates something else." >&2
    echo "Run clients/generate.sh and commit clients/. The difference:" >&2
    head -n 60 "$TMP/diff" >&2
    exit 1
  fi
done

(cd "$ROOT/clients/typescript" && ./node_modules/.bin/tsc --noEmit -p .)
echo "clients: up to date with docs/openapi.json; the TypeScript client type-checks"
