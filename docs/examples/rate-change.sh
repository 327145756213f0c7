#!/usr/bin/env bash
# The worked example of docs/rate-changes.md, against a fresh `make run`:
#   KEY=$(cat .irx/demo-api-key) bash docs/examples/rate-change.sh
# Rates 200 IMCE requests, raises the NY building age surcharge in a draft, analyses the
# draft's impact on those ratings, sends it 10 % of live traffic as a challenger, then
# publishes it effective on the first of next month. Needs curl and jq.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${KEY:?an API key with config:write, e.g. KEY=\$(cat .irx/demo-api-key)}"
: "${IRX:=http://127.0.0.1:8000}"
API=$IRX/api/v2
IRX_BIN=${IRX_BIN:-$ROOT/.venv/bin/irx}
CHART=${CHART:-/tmp/imce-impact.png}

call() {  # METHOD PATH [BODY]
  local body=()
  [[ $# -ge 3 ]] && body=(-H 'Content-Type: application/json' --data-binary "$3")
  curl -sS --fail-with-body -X "$1" "$API$2" -H "X-API-Key: $KEY" "${body[@]}"
}

# Request I: NY or CA, built before 1950 or not, its own equipment value.
request() {
  jq -c --argjson i "$1" --arg date "${2:-}" '
    .quote.id = "Q-\($i)"
    | .insured.address.state = (if $i % 2 == 0 then "NY" else "CA" end)
    | .building.yearBuilt = (if $i % 4 < 2 then 1938 else 1990 end)
    | .equipment[0].value = 100000 + 1000 * $i
    | if $date != "" then .quote.effectiveDate = $date else . end' \
    "$ROOT/docs/examples/IMCE-rate-request.json"
}

echo "== 1. 200 live ratings"
for i in $(seq 0 199); do
  call POST /IMCE/rate "$(request "$i")" > /dev/null
done
call GET '/transactions?productCode=IMCE&pageSize=1' | jq '{rated: .total}'

echo "== 2. the NY building age surcharge from 1.10 to 1.20, in a draft"
rule=$(call GET "/products/IMCE/rules/NY%20Building%20Age%20Surcharge")
revision=$(jq -r .revision <<< "$rule")
edited=$(jq -c 'del(.name, .revision, .updatedAt) | .actions[0].value = 1.2' <<< "$rule")
curl -sS --fail-with-body -X PUT "$API/products/IMCE/rules/NY%20Building%20Age%20Surcharge" \
  -H "X-API-Key: $KEY" -H "If-Match: \"r$revision\"" -H 'Content-Type: application/json' \
  --data-binary "$edited" > /dev/null
steps=$(call GET /products/IMCE/flows/rate/versions | jq -c '{steps: (.[] | select(.status == "published") | .steps), changeDescription: "NY building age surcharge 1.20"}')
draft=$(call POST /products/IMCE/flows/rate/versions "$steps" | jq .version)
echo "draft version $draft"
# Tried on one request first: a simulation (no event, no hash chain link).
curl -sS --fail-with-body -X POST "$API/IMCE/rate" -H "X-API-Key: $KEY" \
  -H "X-Flow-Version: draft" -H 'Content-Type: application/json' \
  --data-binary "$(request 0)" | jq '{mode, flowVersion, premium: .result.premium}'

echo "== 3. its impact on the last day's ratings"
IRX_API_URL=$IRX IRX_API_KEY=$KEY "$IRX_BIN" impact IMCE rate --candidate draft --days 1 \
  --group-by insured.address.state --chart "$CHART"

echo "== 4. 10 % of live traffic as a challenger"
call PUT /products/IMCE/flows/rate/challenger '{"version": "draft", "sample": 0.1}' | jq -c .
for i in $(seq 200 299); do
  call POST /IMCE/rate "$(request "$i")" > /dev/null
done
sleep 2  # the challenger's re-ratings run in the background
call GET '/products/IMCE/flows/rate/challenger/results?limit=3' \
  | jq '{summary: .summary | {rerated, changed, unchanged, deltaPct}, latest: .items}'

echo "== 5. published effective on the first of next month"
next_month=$(date -u -d "$(date -u +%Y-%m-01) +1 month" +%F)
product=$(curl -sS --fail-with-body -D /tmp/irx-product-headers "$API/products/IMCE" -H "X-API-Key: $KEY")
etag=$(grep -i '^etag:' /tmp/irx-product-headers | cut -d' ' -f2 | tr -d '\r')
settings=$(jq -c '{name, description, maxPayloadBytes, timeoutMs, requestSchema, effectiveDatePath: "quote.effectiveDate"}' <<< "$product")
curl -sS --fail-with-body -X PUT "$API/products/IMCE" -H "X-API-Key: $KEY" -H "If-Match: $etag" \
  -H 'Content-Type: application/json' --data-binary "$settings" | jq -c '{effectiveDatePath}'
call POST "/products/IMCE/flows/rate/versions/$draft/publish" \
  "{\"reason\": \"2027 filing: NY building age surcharge\", \"effectiveFrom\": \"$next_month\"}" \
  | jq -c '{version, effectiveFrom, timeline, warnings}'
today=$(date -u +%F)
for day in "$today" "$next_month"; do
  call POST /IMCE/rate "$(request 0 "$day")" \
    | jq -c --arg day "$day" '{dated: $day, flowVersion, mode, premium: .result.premium}'
done
call DELETE /products/IMCE/flows/rate/challenger
echo "challenger stopped"
