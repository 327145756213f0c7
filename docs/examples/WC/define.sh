#!/usr/bin/env bash
# Defines the WC product through the public API alone, then loads its rating tables
# into the reference engine from the product's own export. Against `make run`:
#   API=http://127.0.0.1:8000/api/v1 KEY=$(cat .irx/demo-api-key) ENGINE=http://127.0.0.1:8100 \
#     bash docs/examples/WC/define.sh
# Each `call` line is METHOD PATH BODY-FILE (or -); tests/api/test_multi_state.py runs
# the same lines, in this order, and rates the result to the cent.
set -euo pipefail
DIR=$(cd "$(dirname "$0")" && pwd)
: "${API:?the API base URL, e.g. http://127.0.0.1:8000/api/v1}" "${KEY:?an API key}"
: "${ENGINE:=http://127.0.0.1:8100}"

call() {
  local body=()
  [[ $3 != - ]] && body=(-H 'Content-Type: application/json' --data-binary "@$DIR/$3")
  curl -sS --fail-with-body -X "$1" "$API$2" -H "X-API-Key: $KEY" "${body[@]}"
  echo
}

call POST /products product.json
call PUT "/products/WC/mappings/WC%20Request" mapping-request.json
call PUT "/products/WC/mappings/WC%20Response" mapping-response.json
call PUT /products/WC/rules/ny-classes-not-written rule-ny-classes-not-written.json
call PUT /products/WC/rules/pa-construction-surcharge rule-pa-construction-surcharge.json
call PUT /products/WC/rules/tx-drug-free-credit rule-tx-drug-free-credit.json
call PUT /products/WC/rules/ny-assessment rule-ny-assessment.json
call PUT /products/WC/rules/policy-total rule-policy-total.json
call POST /products/WC/flows/rate/versions flow.json
call POST /products/WC/flows/rate/versions/1/publish -

# The engine's tables travel in the product's export (product.engineTables).
curl -sS --fail-with-body "$API/products/WC/export" -H "X-API-Key: $KEY" \
  | curl -sS --fail-with-body -X POST "$ENGINE/v1/tables/import" \
      -H 'Content-Type: application/json' --data-binary @-
echo
