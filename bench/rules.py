"""The rules step natively versus all in ZEN, on the cases that used to be slow.

IMCE's pre-rating rules on the 50 MB request (``len(equipment) >= 3`` used to copy
314,000 items into ZEN), and a 1,500-row decision table applied to each of 1,200
items in loop mode (ZEN tries every row for every item), first-hit and collect.
Each case runs both ways in one process and checks the answers are identical;
"1st call" is a fresh compile's first evaluation (nothing remembered per table yet),
"compile" the RuleSet's construction all in ZEN and with the native forms.

    PYTHONPATH=. .venv/bin/python -m bench.rules
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from bench.steps import IMCE, client_doc, measure
from engines.mapping import compile_mapping
from engines.rules import RuleSet, RulesResult
from models.mappings import Mapping
from models.rules import Rule

AS_OF = date(2026, 12, 1)
CLASSES, STATES = 500, ["NY", "NJ", "CT"]


def imce_case() -> tuple[list[Rule], dict[str, Any]]:
    doc = client_doc(50_000_000, "x" * 66)
    mapping = compile_mapping(Mapping.model_validate(IMCE["mappings"][0]))
    mapped = {**doc, "engineRequest": mapping.apply(doc).document}
    return [Rule.model_validate(r) for r in IMCE["rules"] if r["phase"] == "pre_rating"], mapped


def table_case(policy: str) -> tuple[list[Rule], dict[str, Any]]:
    """1,500 rows (500 class codes x 3 states, first-hit order) and a catch-all row;
    1,200 items, a sixth of them with a class or state the table lacks."""
    rows = [
        {
            "_id": f"r{i}",
            "cls": f'"C{i % CLASSES:03d}"',
            "st": f'"{STATES[i // CLASSES]}"',
            "f": f"1.{i:04d}",
        }
        for i in range(CLASSES * len(STATES))
    ] + [{"_id": "any", "cls": "", "st": "", "f": "1"}]
    table = {
        "nodes": [
            {"id": "in", "type": "inputNode", "name": "Request", "position": {"x": 0, "y": 0}},
            {
                "id": "t",
                "type": "decisionTableNode",
                "name": "Class x state factor",
                "position": {"x": 200, "y": 0},
                "content": {
                    "hitPolicy": policy,
                    "inputField": "equipment",
                    "outputPath": "factors",
                    "executionMode": "loop",
                    "inputs": [
                        {"id": "cls", "name": "Class", "field": "classCode"},
                        {"id": "st", "name": "State", "field": "state"},
                    ],
                    "outputs": [{"id": "f", "name": "Factor", "field": "factor"}],
                    "rules": rows,
                },
            },
            {"id": "out", "type": "outputNode", "name": "Response", "position": {"x": 400, "y": 0}},
        ],
        "edges": [
            {"id": "e1", "sourceId": "in", "targetId": "t", "type": "edge"},
            {"id": "e2", "sourceId": "t", "targetId": "out", "type": "edge"},
        ],
    }
    rule = Rule.model_validate(
        {
            "name": "class x state",
            "phase": "pre_rating",
            "actions": [
                {"type": "lookup", "target": "itemFactors", "output": "factors", "table": table}
            ],
        }
    )
    items = [
        {
            "serial": f"EQ-{i:06d}",
            "classCode": f"C{i * 7 % 600:03d}",
            "state": [*STATES, "PA"][i % 4],
        }
        for i in range(1200)
    ]
    return [rule], {"equipment": items}


def first_call_ms(rules: list[Rule], doc: dict[str, Any], runs: int = 5) -> float:
    """A fresh compile's first evaluation: nothing remembered yet."""
    samples = []
    for _ in range(runs):
        rule_set = RuleSet(rules)
        started = time.perf_counter()
        rule_set.evaluate(doc, as_of=AS_OF, scope={"state": "NY"})
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def compare(name: str, rules: list[Rule], doc: dict[str, Any], runs: int) -> None:
    zen_only, native = RuleSet(rules, native=False), RuleSet(rules)

    def evaluate(rule_set: RuleSet) -> Callable[[], RulesResult]:
        return lambda: rule_set.evaluate(doc, as_of=AS_OF, scope={"state": "NY"})

    old, new = evaluate(zen_only)(), evaluate(native)()
    same = old.document == new.document and old.worksheet == new.worksheet
    old_ms, _, _ = measure(evaluate(zen_only), budget_s=5.0, max_runs=runs)
    new_ms, new_p95, _ = measure(evaluate(native), budget_s=3.0, max_runs=200)
    compile_old, _, _ = measure(lambda: RuleSet(rules, native=False), budget_s=1.0, max_runs=20)
    compile_new, _, _ = measure(lambda: RuleSet(rules), budget_s=1.0, max_runs=20)
    first, verdict = first_call_ms(rules, doc), "yes" if same else "NO"
    print(
        f"{name:<42}{old_ms:>9.1f}{new_ms:>9.3f}{new_p95:>9.3f}{first:>9.3f}"
        f"{old_ms / new_ms:>8.0f}x{compile_old:>9.1f}{compile_new:>9.1f}{verdict:>6}"
    )


def main() -> None:
    print(
        f"{'case (median ms)':<42}{'ZEN':>9}{'native':>9}{'p95':>9}{'1st call':>9}{'speedup':>9}"
        f"{'compile':>9}{'(native)':>9}{'same':>6}"
    )
    rules, doc = imce_case()
    compare(f"IMCE pre-rating, 50 MB ({len(doc['equipment'])} items)", rules, doc, runs=5)
    for policy in ("first", "collect"):
        rules, doc = table_case(policy)
        compare(f"1,501-row table x 1,200 items, {policy}", rules, doc, runs=10)


if __name__ == "__main__":
    main()
