"""A multi-state, multi-class product defined through the public API alone
(docs/examples/WC/define.sh, replayed call by call) and rated end to end, its premiums
computed here, independently, to the cent."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import httpx
import orjson

from tests.conftest import Stack

EXAMPLES = Path(__file__).parents[2] / "docs/examples"
CALL = re.compile(r"^call (\S+) \"?([^\"\s]+)\"? (\S+)$", re.MULTILINE)
CENT = Decimal("0.01")

# The tables of docs/examples/WC/product.json, as a rate sheet would print them.
RATES = {
    ("PA", "5403"): Decimal("9.12"),
    ("PA", "8810"): Decimal("0.21"),
    ("NY", "5645"): Decimal("10.10"),
    ("NY", "8810"): Decimal("0.30"),
    ("TX", "8810"): Decimal("0.15"),
}
STATE_MINIMUMS = {"PA": Decimal(350), "NY": Decimal(500), "TX": Decimal(250)}


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def expected_premiums(request: dict[str, Any]) -> dict[str, Any]:
    """The WC rating by hand: payroll / 100 x rate x experience mod x the surcharge or
    credit the state's rules give the class, per line; a minimum per state; then New
    York's 2.5 % assessment on its state total."""
    mod = Decimal(str(request["quote"]["experienceMod"]))
    drug_free = request["quote"].get("drugFreeWorkplace") is True
    lines: dict[str, Decimal] = {}
    states: dict[str, dict[str, Any]] = {}
    for state in request["states"]:
        code = state["state"]
        base = Decimal(0)
        for item in state["classes"]:
            factor = mod
            if code == "PA" and item["code"] in ("5403", "5645"):
                factor *= Decimal("1.05")  # construction surcharge
            if code == "TX" and drug_free:
                factor *= Decimal("0.95")  # drug-free workplace credit
            payroll = Decimal(str(item["payroll"]))
            premium = cents(payroll / 100 * RATES[code, item["code"]] * factor)
            lines[f"{code}-{item['code']}"] = premium
            base += premium
        total = max(base, STATE_MINIMUMS[code])
        assessment = cents(total * Decimal("0.025")) if code == "NY" else None
        states[code] = {
            "base": base,
            "total": total + (assessment or 0),
            "assessment": assessment,
            "minimumApplied": total > base,
        }
    return {
        "lines": lines,
        "states": states,
        "total": sum((s["total"] for s in states.values()), Decimal(0)),
        "base": sum(lines.values(), Decimal(0)),
    }


async def define_wc(stack: Stack, engine_url: str) -> None:
    """The calls of define.sh, in its order, then its table load from the export."""
    script = (EXAMPLES / "WC/define.sh").read_text()
    calls = CALL.findall(script)
    assert len(calls) == 10, calls
    for method, path, body in calls:
        content = b"" if body == "-" else (EXAMPLES / "WC" / body).read_bytes()
        headers = {**stack.headers, "Content-Type": "application/json"}
        answer = await stack.http.request(
            method, f"/api/v1{path}", content=content, headers=headers
        )
        assert answer.status_code in (200, 201), (method, path, answer.text)
    export = await stack.http.get("/api/v1/products/WC/export", headers=stack.headers)
    assert export.status_code == 200, export.text
    async with httpx.AsyncClient() as engine:
        loaded = await engine.post(f"{engine_url}/v1/tables/import", content=export.content)
    assert loaded.status_code == 200, loaded.text
    assert loaded.json()["loaded"] == ["WC"]


async def test_a_multi_state_product_defined_through_the_api_rates_to_the_cent(
    stack: Stack, engine_url: str
) -> None:
    await define_wc(stack, engine_url)
    request = orjson.loads((EXAMPLES / "WC-rate-request.json").read_bytes())
    answer = await stack.http.post(
        "/api/v1/WC/rate", content=orjson.dumps(request), headers=stack.headers
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    result = body["result"]
    expected = expected_premiums(request)

    def money(value: float) -> Decimal:
        return Decimal(str(value))

    assert {line["id"]: money(line["premium"]) for line in result["lines"]} == expected["lines"]
    assert {line["id"]: line["state"] for line in result["lines"]} == {
        key: key[:2] for key in expected["lines"]
    }
    states = {s["state"]: s for s in result["states"]}
    assert list(states) == ["PA", "NY", "TX"]
    for code, want in expected["states"].items():
        got = states[code]
        assert money(got["base"]) == want["base"], code
        assert money(got["total"]) == want["total"], code
        assert got["minimumApplied"] is want["minimumApplied"], code
        assert (money(got["assessment"]) if "assessment" in got else None) == want["assessment"]
    assert states["TX"]["minimumApplied"] is True  # 15.73 of premium, raised to 250
    assert money(result["premium"]["base"]) == expected["base"]
    assert money(result["premium"]["total"]) == expected["total"]
    assert expected["total"] == Decimal("104943.01")  # the figure docs/steps.md shows

    # The worksheet shows each rule per item: the surcharge fired for PA's 5403 only.
    pre = next(s for s in body["steps"] if s["name"] == "pre-rating rules")
    sheet = {entry["rule"]: entry for entry in pre["detail"]["worksheet"]}
    surcharge = sheet["pa-construction-surcharge"]
    assert (surcharge["items"], surcharge["itemsMatched"], surcharge["itemsFired"]) == (5, 2, 1)
    assert surcharge["changes"] == [
        {"path": "states[0].classes[0].factors.construction", "before": None, "after": 1.05}
    ]


async def test_a_class_a_state_does_not_write_is_refused_naming_every_one(
    stack: Stack, engine_url: str
) -> None:
    await define_wc(stack, engine_url)
    answer = await stack.http.post(
        "/api/v1/WC/rate",
        content=(EXAMPLES / "WC-rejected-request.json").read_bytes(),
        headers=stack.headers,
    )
    assert answer.status_code == 200, answer.text  # a run that failed is reported whole
    run = answer.json()
    assert (run["status"], run["error"]["step"]) == ("failed", "pre-rating rules")
    error = run["error"]
    assert error["code"] == "RULE_REJECTED"
    assert error["message"] == (
        "Rejected by rule 'ny-classes-not-written': class 7219 (Trucking) is not written "
        "in NY (and 1 more)."
    )
    # Texas writes trucking: only New York's two are refused.
    assert error["details"]["items"] == [
        {"path": "states[0].classes[0]", "reason": "class 7219 (Trucking) is not written in NY"},
        {"path": "states[0].classes[2]", "reason": "class 5474 (Painting) is not written in NY"},
    ]
