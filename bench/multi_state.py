"""Multi-state rating at scale: rules per item and the flattening mapping, against the
same work written as plain Python.

The WC example's rules and mappings (docs/examples/WC) on a policy of 47 states and
``N`` classes in all (about 67 bytes of JSON per class: 300,000 classes is 20 MB).
Each row is the median CPU time of a few runs of the platform's engine (the rules
step's evaluation, the mapping's apply) and of a hand-written function producing the
same document (checked equal), and their ratio.

``stack`` rates such policies end to end instead: ``irx dev`` on free ports, WC defined
by ``docs/examples/WC/define.sh`` itself, then each size (MB) rated a few times,
one at a time, against the large-payload tiers' targets (p50 within 1 s up to 10 MB,
4 s beyond).

    PYTHONPATH=. .venv/bin/python -m bench.multi_state [classes]
    PYTHONPATH=. .venv/bin/python -m bench.multi_state stack 5 25
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from engines.mapping import compile_mapping
from engines.rules import RuleSet
from models.mappings import Mapping
from models.rules import Rule

WC = Path(__file__).parents[1] / "docs/examples/WC"
# The states the policies list: the example's three first, then 44 more.
STATES = [
    *("PA", "NY", "TX", "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI"),
    *("ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO"),
    *("MT", "NE", "NV", "NH", "NJ", "NM", "NC", "OK", "OR", "RI", "SC", "SD", "TN", "UT"),
    *("VT", "VA", "WV", "WI", "WY"),
]
CODES = ["5403", "5645", "8810", "8742", "5183"]
AS_OF = date(2027, 1, 1)


def request(classes: int) -> dict[str, Any]:
    rng = random.Random(7)
    per_state = classes // len(STATES)
    return {
        "quote": {
            "id": "WC-BENCH",
            "effectiveDate": "2027-01-01",
            "experienceMod": 0.92,
            "drugFreeWorkplace": True,
        },
        "insured": {"name": "Bench Co.", "state": "PA"},
        "states": [
            {
                "state": state,
                "classes": [
                    {
                        "code": rng.choice(CODES),
                        "description": "Class description",
                        "payroll": rng.randrange(10_000, 2_000_000),
                    }
                    for _ in range(per_state)
                ],
            }
            for state in STATES
        ],
    }


def wc_rules(phase: str) -> RuleSet:
    rules = []
    for path in sorted(WC.glob("rule-*.json")):
        rule = orjson.loads(path.read_bytes())
        if rule["phase"] == phase:
            rules.append(Rule.model_validate({"name": path.stem[5:], **rule}))
    return RuleSet(rules)


def _request_mapping() -> Any:
    spec = orjson.loads((WC / "mapping-request.json").read_bytes())
    return compile_mapping(Mapping.model_validate({"name": "WC Request", **spec}))


def plain_pre_rules(doc: dict[str, Any]) -> dict[str, Any]:
    """What the three pre-rating rules do, by hand (copying what changes)."""
    drug_free = doc["quote"].get("drugFreeWorkplace") is True
    states = []
    for state in doc["states"]:
        code = state["state"]
        classes = []
        for item in state["classes"]:
            if code == "NY" and item["code"] in ("7219", "5474"):
                raise ValueError("rejected")
            if code == "PA" and item["code"] in ("5403", "5645"):
                item = {**item, "factors": {**item.get("factors", {}), "construction": 1.05}}
            elif code == "TX" and drug_free:
                item = {**item, "factors": {**item.get("factors", {}), "drugFree": 0.95}}
            classes.append(item)
        states.append({**state, "classes": classes})
    return {**doc, "states": states}


def plain_mapping(doc: dict[str, Any]) -> dict[str, Any]:
    """What the WC request mapping does, by hand."""
    exposures = []
    for state in doc["states"]:
        code = state["state"]
        for item in state["classes"]:
            exposure = {
                "id": f"{code}-{item['code']}",
                "classCode": item["code"],
                "state": code,
                "value": item["payroll"],
            }
            if item.get("factors") is not None:
                exposure["factors"] = item["factors"]
            exposures.append(exposure)
    quote = doc["quote"]
    return {
        "quoteId": quote["id"],
        "product": "WC",
        "state": doc["insured"]["state"],
        "effectiveDate": quote["effectiveDate"],
        "factors": {"experienceMod": quote.get("experienceMod", 1)},
        "exposures": exposures,
    }


def cpu_ms(work: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        start = time.process_time()
        result = work()
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times), result


BYTES_PER_CLASS = 67


def stack(sizes: list[float], runs: int = 3) -> None:
    """Each size rated ``runs`` times through ``irx dev``: wall time, p50 against target."""
    import subprocess

    import httpx

    from bench.stack import running_stack

    with running_stack() as running:
        env = {
            "PATH": os.environ["PATH"],
            "API": f"{running.url}/api/v1",
            "KEY": running.api_key,
            "ENGINE": running.engine_url,
        }
        subprocess.run(["bash", str(WC / "define.sh")], env=env, check=True, capture_output=True)
        # The example's table rates three states; the benchmark's policy has 47.
        table = orjson.loads((WC / "product.json").read_bytes())["engineTables"]["WC"]
        table["classRates"] = dict.fromkeys(CODES, 1.25)
        httpx.put(f"{running.engine_url}/v1/products/WC/tables", json=table).raise_for_status()
        print(
            f"{'payload':>8}{'classes':>10}{'runs':>6}{'p50 s':>8}{'max s':>8}"
            f"{'engine s':>10}{'target s':>10}  met"
        )
        pre = wc_rules("pre_rating")
        mapping = _request_mapping()
        with httpx.Client(base_url=running.url, timeout=120) as http:
            for megabytes in sizes:
                classes = int(megabytes * 1e6 / BYTES_PER_CLASS)
                body = orjson.dumps(request(classes))
                times = []
                for _ in range(runs):
                    start = time.perf_counter()
                    answer = http.post(
                        "/api/v1/WC/rate", content=body, headers={"X-API-Key": running.api_key}
                    )
                    times.append(time.perf_counter() - start)
                    assert answer.json()["status"] == "completed", answer.text[:500]
                steps = ", ".join(
                    f"{step['name']} {step['durationMs']:.0f}" for step in answer.json()["steps"]
                )
                print(f"  last run's steps (ms): {steps}")
                # The engine alone (a third party's, mocked): its request as the flow maps it.
                ruled = pre.evaluate(orjson.loads(body), as_of=AS_OF, scope={}).document
                engine_body = orjson.dumps(mapping.apply(ruled).document)
                engine_times = []
                for _ in range(runs):
                    start = time.perf_counter()
                    httpx.post(
                        f"{running.engine_url}/v1/rate", content=engine_body, timeout=120
                    ).raise_for_status()
                    engine_times.append(time.perf_counter() - start)
                target = 1.0 if megabytes <= 10 else 4.0
                p50 = statistics.median(times)
                print(
                    f"{len(body) / 1e6:>7.1f}M{classes:>10,}{runs:>6}{p50:>8.2f}{max(times):>8.2f}"
                    f"{statistics.median(engine_times):>10.2f}{target:>10.1f}  "
                    f"{'yes' if p50 <= target else 'no'}"
                )


def main() -> None:
    if sys.argv[1:2] == ["stack"]:
        stack([float(a) for a in sys.argv[2:]] or [5.0, 25.0])
        return
    classes = int(sys.argv[1]) if len(sys.argv) > 1 else 300_000
    doc = request(classes)
    size = len(orjson.dumps(doc))
    pre = wc_rules("pre_rating")
    mapping = _request_mapping()
    runs = 5
    print(f"WC policy: {len(STATES)} states, {classes:,} classes, {size / 1e6:.1f} MB of JSON")
    print(f"{'step':<36}{'platform ms':>12}{'plain ms':>10}{'ratio':>8}")

    def row(name: str, platform: Callable[[], Any], plain: Callable[[], Any]) -> Any:
        platform_ms, answer = cpu_ms(platform, runs)
        plain_ms, by_hand = cpu_ms(plain, runs)
        assert answer == by_hand, f"{name}: the platform and the plain function disagree"
        print(f"{name:<36}{platform_ms:>12.1f}{plain_ms:>10.1f}{platform_ms / plain_ms:>8.2f}")
        return answer

    ruled = row(
        "pre-rating rules (3, per class)",
        lambda: pre.evaluate(doc, as_of=AS_OF, scope={}).document,
        lambda: plain_pre_rules(doc),
    )
    row(
        "request mapping (states[].classes)",
        lambda: mapping.apply(ruled).document,
        lambda: plain_mapping(ruled),
    )


if __name__ == "__main__":
    main()
