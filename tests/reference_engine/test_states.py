"""Multi-state, multi-class rating: each exposure in its own state, with its own factors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx
import pytest
from lxml import etree

from reference_engine.app import create_app
from reference_engine.settings import EngineSettings

CENT = Decimal("0.01")
# The built-in state and deductible factors (docs/reference-engine.md).
STATE_FACTORS = {"NY": Decimal("1.15"), "TX": Decimal("0.95"), "CA": Decimal("1.12")}
DEDUCTIBLE_2500 = Decimal("0.95")

TABLE = {
    "classRates": {"EXC": "1.10", "CRN": "1.45"},
    "stateClassRates": {"TX": {"EXC": "0.90"}, "CA": {"CRN": "1.60", "GEN": "0.70"}},
    "stateMinimums": {"CA": "2500", "TX": "100"},
    "minimumPremium": 500,
}
REQUEST: dict[str, Any] = {
    "quoteId": "Q-MS",
    "product": "MULTI",
    "state": "NY",
    "effectiveDate": "2026-12-01",
    "deductible": 2500,
    "factors": {"bldgAge": 1.1},
    "exposures": [
        {"id": "E1", "classCode": "EXC", "value": 250000},
        {"id": "E2", "classCode": "CRN", "value": 480000, "state": "TX", "factors": {"sch": 0.9}},
        {"id": "E3", "classCode": "EXC", "value": 100000, "state": "tx"},
        {"id": "E4", "classCode": "GEN", "value": 35000, "state": "CA"},
        {
            "id": "E5",
            "classCode": "CRN",
            "value": 12000,
            "state": "CA",
            "factors": {"a": 1.05, "b": "0.97"},
        },
    ],
}
# What each line is rated at: its state and the rate of its class there.
EXPECTED_LINES = [
    ("NY", Decimal("1.10"), []),
    ("TX", Decimal("1.45"), [Decimal("0.9")]),
    ("TX", Decimal("0.90"), []),
    ("CA", Decimal("0.70"), []),
    ("CA", Decimal("1.60"), [Decimal("1.05"), Decimal("0.97")]),
]


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def expected_premiums() -> list[Decimal]:
    """value / 100 x rate(state, class) x state factor x deductible x request's x own."""
    premiums = []
    for exposure, (state, rate, own) in zip(REQUEST["exposures"], EXPECTED_LINES, strict=True):
        premium = Decimal(exposure["value"]) / 100 * rate * STATE_FACTORS[state]
        premium = premium * DEDUCTIBLE_2500 * Decimal("1.1")
        for factor in own:
            premium *= factor
        premiums.append(cents(premium))
    return premiums


def state_total(state: str, base: Decimal, minimum: Decimal, total: Decimal) -> dict[str, Any]:
    return {
        "state": state,
        "base": float(base),
        "minimum": float(minimum),
        "total": float(total),
        "minimumApplied": total > base,
    }


@pytest.fixture
async def engine() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(EngineSettings()))
    async with httpx.AsyncClient(transport=transport, base_url="http://engine") as http:
        assert (await http.put("/v1/products/MULTI/tables", json=TABLE)).status_code == 200
        yield http


async def test_three_states_each_at_its_rates_factors_and_minimum(
    engine: httpx.AsyncClient,
) -> None:
    answer = await engine.post("/v1/rate", json=REQUEST)
    assert answer.status_code == 200, answer.text
    rated = answer.json()
    premiums = expected_premiums()
    assert [line["premium"] for line in rated["lines"]] == [float(p) for p in premiums]
    assert [line["state"] for line in rated["lines"]] == ["NY", "TX", "TX", "CA", "CA"]
    assert [line["rate"] for line in rated["lines"]] == [1.1, 1.45, 0.9, 0.7, 1.6]
    assert rated["lines"][1]["factors"] == {"sch": 0.9}
    assert rated["lines"][4]["factors"] == {"a": 1.05, "b": 0.97}
    assert "factors" not in rated["lines"][0]

    ny, tx, ca = premiums[0], premiums[1] + premiums[2], premiums[3] + premiums[4]
    assert ca < 2500 < tx  # CA's minimum applies, TX's does not
    assert rated["premium"]["states"] == [
        state_total("NY", ny, Decimal(0), ny),
        state_total("TX", tx, Decimal(100), tx),
        state_total("CA", ca, Decimal(2500), Decimal(2500)),
    ]
    base = sum(premiums, Decimal(0))
    assert rated["premium"]["base"] == float(base)
    assert rated["premium"]["total"] == float(ny + tx + Decimal(2500))
    assert rated["premium"]["minimumApplied"] is True
    # The answer's factors stay the request's state's.
    assert rated["factors"] == {"state": 1.15, "deductible": 0.95, "bldgAge": 1.1}


async def test_the_policy_minimum_applies_over_the_states_totals(
    engine: httpx.AsyncClient,
) -> None:
    small = {**REQUEST, "exposures": [{"id": "a", "classCode": "EXC", "value": 1000}]}
    small["exposures"][0]["state"] = "TX"
    rated = (await engine.post("/v1/rate", json=small)).json()
    # 1000 / 100 x 0.90 x 0.95 x 0.95 x 1.1 = 8.93, raised to TX's 100, then to 500.
    assert rated["premium"]["states"] == [
        state_total("TX", Decimal("8.93"), Decimal(100), Decimal(100))
    ]
    assert (rated["premium"]["base"], rated["premium"]["total"]) == (8.93, 500.0)


async def test_a_class_without_a_rate_in_its_state_is_refused_naming_each_pair(
    engine: httpx.AsyncClient,
) -> None:
    # No classRates at all: only the states' own.
    table = {"classRates": {}, "stateClassRates": {"NY": {"EXC": 1.1}, "NJ": {"CRN": 1.3}}}
    assert (await engine.put("/v1/products/STATES/tables", json=table)).status_code == 200
    request = {
        **REQUEST,
        "product": "STATES",
        "exposures": [
            {"id": "a", "classCode": "EXC", "value": 1000},
            {"id": "b", "classCode": "EXC", "value": 1000, "state": "NJ"},
            {"id": "c", "classCode": "CRN", "value": 1000},
            {"id": "d", "classCode": "CRN", "value": 1000, "state": "NJ"},
        ],
    }
    refused = await engine.post("/v1/rate", json=request)
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "RATING_ERROR"
    assert error["details"]["missing"] == [
        {"state": "NJ", "classCode": "EXC"},
        {"state": "NY", "classCode": "CRN"},
    ]
    assert "EXC in NJ, CRN in NY" in error["message"]
    rated = await engine.post("/v1/rate", json={**request, "exposures": request["exposures"][::3]})
    assert rated.status_code == 200


@pytest.mark.parametrize(
    "table",
    [
        {"classRates": {}},
        {"classRates": {}, "stateClassRates": {"NY": {}}},
        {"classRates": {"A": 1}, "stateClassRates": {"ny": {"A": 1}}},
        {"classRates": {"A": 1}, "stateMinimums": {"NY": -1}},
    ],
)
async def test_tables_that_rate_nothing_or_name_states_wrongly_are_refused(
    engine: httpx.AsyncClient, table: dict[str, Any]
) -> None:
    answer = await engine.put("/v1/products/BAD/tables", json=table)
    assert (answer.status_code, answer.json()["error"]["code"]) == (422, "INVALID_TABLE")


async def test_an_exposure_may_name_its_requests_own_state(engine: httpx.AsyncClient) -> None:
    """Naming a state is enough to be answered by state; the premiums are the same."""
    imce = {**REQUEST, "product": "IMCE", "deductible": 1000, "factors": {}}
    imce["exposures"] = [{"id": "a", "classCode": "EXC", "value": 250000}]
    plain = (await engine.post("/v1/rate", json=imce)).json()
    assert "states" not in plain["premium"]
    assert "state" not in plain["lines"][0]
    imce["exposures"] = [{**imce["exposures"][0], "state": "NY"}]
    by_state = (await engine.post("/v1/rate", json=imce)).json()
    assert by_state["lines"][0] == {**plain["lines"][0], "state": "NY"}
    assert by_state["premium"] == {
        **plain["premium"],
        "states": [state_total("NY", Decimal("3162.50"), Decimal(0), Decimal("3162.50"))],
    }


async def test_bad_exposure_states_and_factors_are_refused(engine: httpx.AsyncClient) -> None:
    for exposure in (
        {"id": "a", "classCode": "EXC", "value": 1, "state": "NEW"},
        {"id": "a", "classCode": "EXC", "value": 1, "factors": {"x": "many"}},
    ):
        answer = await engine.post("/v1/rate", json={**REQUEST, "exposures": [exposure]})
        assert answer.status_code == 422
        assert answer.json()["error"]["details"]["problems"][0]["path"].startswith("exposures.0.")


async def test_an_xml_request_rates_in_its_state_from_a_table_by_state(
    engine: httpx.AsyncClient,
) -> None:
    """XML exposures name no state: they are all in the request's, at its rates and minimum."""
    body = b"""<RatingRequest><QuoteId>Q</QuoteId><Product>MULTI</Product><State>CA</State>
<EffectiveDate>2026-12-01</EffectiveDate><Deductible>2500</Deductible><Exposures>
<Exposure id="a"><ClassCode>CRN</ClassCode><Value>100000</Value></Exposure>
</Exposures></RatingRequest>"""
    answer = etree.fromstring((await engine.post("/ratabase/rate", content=body)).content)
    # 100000 / 100 x 1.60 x 1.12 x 0.95 = 1702.40, raised to CA's 2500.
    assert answer.findtext("Lines/Line/Rate") == "1.6"
    assert answer.findtext("Premium/Base") == "1702.4"
    assert answer.findtext("Premium/Total") == "2500.0"
