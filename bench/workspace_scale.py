"""The workspace at scale: a product with 300 rules, one of them a 1,500-row decision
table, opened and edited in headless Chromium; prints how long each interaction takes.

    PYTHONPATH=. .venv/bin/python -m bench.workspace_scale

Starts ``irx dev`` on free ports (``bench.stack``), defines the product ``BIG`` through the
public API (IMCE's export with 296 more rules and its class-factor table grown to 1,500
rows, imported under a new code), then runs ``bench/workspace_scale.mjs`` (playwright-core
and axe-core from ``make tools``, Debian's chromium), which prints a line per interaction.
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from bench.stack import running_stack

ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = ROOT / ".tools/npm/node_modules"
CHROMIUM = os.environ.get("IRX_CHROMIUM", "/usr/bin/chromium")
RULES = 300
TABLE_ROWS = 1500


def big_product(imce: dict[str, Any]) -> dict[str, Any]:
    """IMCE's document as ``BIG``: 300 rules, the first lookup's table 1,500 rows long."""
    doc = copy.deepcopy(imce)
    doc["product"]["code"] = "BIG"
    doc["product"]["name"] = "A product with 300 rules"
    for flow in doc["flows"]:
        flow["productCode"] = "BIG"
    rules = doc["rules"]
    lookup = next(r for r in rules if r["name"] == "Equipment class factor")
    table = lookup["actions"][0]["table"]["nodes"][1]["content"]
    fallback = table["rules"][-1]
    table["rules"] = [
        {"_id": f"r{i}", "cls": f'"C{i:04d}"', "factor": f"{1 + i / 10000:.4f}"}
        for i in range(TABLE_ROWS - 1)
    ] + [fallback]
    for i in range(RULES - len(rules)):
        rules.append(
            {
                "name": f"rule {i:03d}",
                "phase": "post_rating",
                "priority": 100 + i,
                "conditions": [f"premium > {i}"],
                "actions": [{"type": "set", "target": f"extra.r{i}", "value": 1}],
            }
        )
    return doc


def main() -> None:
    if not (NODE_MODULES / "playwright-core").is_dir() or not Path(CHROMIUM).exists():
        sys.exit("needs `make tools` (playwright-core) and Debian's chromium")
    with running_stack() as stack:
        headers = {"X-API-Key": stack.api_key}
        with httpx.Client(base_url=f"{stack.url}/api/v1", headers=headers, timeout=120) as api:
            imce = api.get("/products/IMCE/export").raise_for_status().json()
            big = big_product(imce)
            api.post("/products/import", json=big).raise_for_status()
        print(f"BIG: {len(big['rules'])} rules, one a decision table of {TABLE_ROWS} rows")
        env = {
            **os.environ,
            "IRX_URL": stack.url,
            "IRX_KEY": stack.api_key,
            "IRX_NODE_MODULES": str(NODE_MODULES),
            "IRX_CHROMIUM": CHROMIUM,
        }
        subprocess.run(["node", str(ROOT / "bench/workspace_scale.mjs")], env=env, check=True)


if __name__ == "__main__":
    main()
