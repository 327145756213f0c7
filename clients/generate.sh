#!/usr/bin/env bash
# Regenerates the v2 clients from docs/openapi.json: clients/openapi-v2.json (the filtered
# document), clients/python (openapi-python-client) and clients/typescript/src
# (@hey-api/openapi-ts). Installs the pinned generators first if they are missing.
#
# Usage: clients/generate.sh [DEST]
#   DEST defaults to clients/; check.sh passes a copy of clients/ to compare against.
#   OPENAPI=path/to/doc.json reads another document than docs/openapi.json.
# Needs python3 and npm.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SRC=$ROOT/clients
DEST=$(cd "${1:-$SRC}" && pwd)
PY_TOOLS=$ROOT/.tools/clients-venv
TS_DIR=$SRC/typescript

# The generators are pinned by clients/python-generator.txt and typescript/package-lock.json;
# a copy of each beside the install says whether it is current.
if ! cmp -s "$SRC/python-generator.txt" "$PY_TOOLS/installed.txt"; then
  echo "installing openapi-python-client into .tools/clients-venv" >&2
  test -x "$PY_TOOLS/bin/python" || python3 -m venv "$PY_TOOLS"
  "$PY_TOOLS/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r "$SRC/python-generator.txt" 2> >(grep -v "is ignored: it is neither" >&2)
  cp "$SRC/python-generator.txt" "$PY_TOOLS/installed.txt"
fi
if ! cmp -s "$TS_DIR/package-lock.json" "$TS_DIR/node_modules/.installed-lock.json"; then
  echo "installing @hey-api/openapi-ts into clients/typescript/node_modules" >&2
  (cd "$TS_DIR" && npm ci --no-audit --no-fund --silent)
  cp "$TS_DIR/package-lock.json" "$TS_DIR/node_modules/.installed-lock.json"
fi

python3 "$SRC/filter_v2.py" "${OPENAPI:-$ROOT/docs/openapi.json}" "$DEST/openapi-v2.json"

# --overwrite replaces clients/python whole, so a removed operation leaves no file behind.
# Its one expected warning (the quarantine document is XML, which it cannot type) is
# filtered out; any other warning shows.
(
  cd "$DEST"
  RUFF_NO_CACHE=true PATH=$PY_TOOLS/bin:$PATH "$PY_TOOLS/bin/openapi-python-client" generate \
    --path openapi-v2.json --config "$SRC/python-client.yaml" --meta pdm \
    --output-path python --overwrite > "$DEST/.python-gen.log" 2>&1 \
    || { cat "$DEST/.python-gen.log" >&2; exit 1; }
  python3 - "$DEST/.python-gen.log" << 'EOF'
import re, sys
log = open(sys.argv[1], encoding="utf-8").read()
blocks = re.split(r"\n(?=WARNING |Unable )", log)
odd = [b for b in blocks[1:] if "Unsupported content_type application/xml" not in b]
if odd:
    print("openapi-python-client warned:\n" + "\n".join(odd), file=sys.stderr)
EOF
  rm -f "$DEST/.python-gen.log"
)

# openapi-ts empties its output folder first, for the same reason.
(
  cd "$TS_DIR"
  ./node_modules/.bin/openapi-ts -f openapi-ts.config.mjs -i "$DEST/openapi-v2.json" \
    -o "$DEST/typescript/src" --no-log-file --silent
)
