"""The reference rating engine over HTTP (ASGI transport)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from lxml import etree

from reference_engine.app import create_app
from reference_engine.settings import EngineSettings

EXAMPLE: dict[str, Any] = json.loads(
    (Path(__file__).parents[2] / "docs/examples/IMCE-engine-request.json").read_text()
)
XML_REQUEST = b"""<?xml version="1.0"?>
<RatingRequest><QuoteId>Q-X</QuoteId><Product>IMCE</Product><State>NY</State>
<EffectiveDate>2026-12-01</EffectiveDate><Deductible>1000</Deductible>
<Exposures>
  <Exposure id="EQ-1"><ClassCode>EXC</ClassCode><Value>250000</Value></Exposure>
  <Exposure id="EQ-2"><ClassCode>CRN</ClassCode><Value>480000</Value></Exposure>
  <Exposure id="EQ-3"><ClassCode>GEN</ClassCode><Value>35000</Value></Exposure>
</Exposures></RatingRequest>"""


def client(**settings: Any) -> httpx.AsyncClient:
    app = create_app(EngineSettings(**settings))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://engine")


@pytest.fixture
async def engine() -> AsyncIterator[httpx.AsyncClient]:
    async with client() as http:
        yield http


async def test_json_rating_is_exact(engine: httpx.AsyncClient) -> None:
    answer = (await engine.post("/v1/rate", json=EXAMPLE)).json()
    # 250000/100*1.10*1.15 + 480000/100*1.45*1.15 + 35000/100*0.85*1.15
    assert [line["premium"] for line in answer["lines"]] == [3162.5, 8004.0, 342.13]
    assert answer["premium"] == {"base": 11508.63, "total": 11508.63, "minimumApplied": False}
    assert answer["factors"] == {"state": 1.15, "deductible": 1.0}


async def test_minimum_premium_and_caller_factors(engine: httpx.AsyncClient) -> None:
    small = {**EXAMPLE, "exposures": [{"id": "a", "classCode": "CMP", "value": 1000}]}
    assert (await engine.post("/v1/rate", json=small)).json()["premium"]["total"] == 500.0
    factored = {**EXAMPLE, "factors": {"bldgAge": 1.1}}
    answer = (await engine.post("/v1/rate", json=factored)).json()
    assert answer["lines"][0]["premium"] == 3478.75


async def test_xml_protocol_rates_the_same(engine: httpx.AsyncClient) -> None:
    response = await engine.post(
        "/ratabase/rate", content=XML_REQUEST, headers={"Content-Type": "application/xml"}
    )
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    assert root.findtext("Premium/Total") == "11508.63"
    assert [e.get("id") for e in root.iterfind("Lines/Line")] == ["EQ-1", "EQ-2", "EQ-3"]


async def test_bad_requests_are_refused_with_reasons(engine: httpx.AsyncClient) -> None:
    malformed = await engine.post("/v1/rate", content=b"{nope")
    assert (malformed.status_code, malformed.json()["error"]["code"]) == (400, "MALFORMED_JSON")
    unknown = {**EXAMPLE, "exposures": [{"id": "a", "classCode": "ZZZ", "value": 1}]}
    refused = await engine.post("/v1/rate", json=unknown)
    assert refused.status_code == 422
    assert refused.json()["error"]["details"]["unknown"] == ["ZZZ"]
    broken_xml = await engine.post("/ratabase/rate", content=b"<RatingRequest><oops>")
    assert broken_xml.status_code == 400
    assert etree.fromstring(broken_xml.content).findtext("Code") == "RATING_ERROR"


async def test_xml_entities_are_never_expanded(engine: httpx.AsyncClient) -> None:
    bomb = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<RatingRequest><QuoteId>&b;&xxe;</QuoteId></RatingRequest>"""
    response = await engine.post("/ratabase/rate", content=bomb)
    assert response.status_code == 400
    assert b"root:" not in response.content
    assert b"aaaaaaaaaa" not in response.content


async def test_faults_latency_and_failure_rate() -> None:
    async with client() as http:
        for fault, status in (("503", 503), ("400", 400)):
            response = await http.post("/v1/rate", json=EXAMPLE, headers={"X-Engine-Fault": fault})
            assert response.status_code == status
        garbage = await http.post("/v1/rate", json=EXAMPLE, headers={"X-Engine-Fault": "garbage"})
        assert garbage.status_code == 200
        with pytest.raises(json.JSONDecodeError):
            json.loads(garbage.content.decode("latin-1"))
    async with client(failure_rate=1.0) as http:
        assert (await http.post("/v1/rate", json=EXAMPLE)).status_code == 503


async def test_company_lookup(engine: httpx.AsyncClient) -> None:
    hit = await engine.get("/v1/companies", params={"name": "acme excavation llc"})
    assert hit.json()["duns"] == "080000001"
    by_duns = await engine.get("/v1/companies", params={"duns": "080000002"})
    assert by_duns.json()["name"] == "Hudson Crane & Rigging Inc"
    assert (await engine.get("/v1/companies", params={"name": "Nobody"})).status_code == 404


async def test_any_product_rates_once_it_has_a_table(
    engine: httpx.AsyncClient, tmp_path: Path
) -> None:
    """A new product need not pretend to be IMCE: its table comes through the API or a file."""
    auto = {**EXAMPLE, "product": "AUTO", "deductible": 500, "factors": {}}
    auto["exposures"] = [{"id": "V-1", "classCode": "PPA", "value": 40000}]
    unknown = await engine.post("/v1/rate", json=auto)
    assert unknown.status_code == 422
    assert "PUT /v1/products/AUTO/tables" in unknown.json()["error"]["message"]
    table = {"classRates": {"PPA": 2.5}, "minimumPremium": 300, "deductibleFactors": {"500": 1.1}}
    assert (await engine.put("/v1/products/AUTO/tables", json=table)).status_code == 200
    rated = (await engine.post("/v1/rate", json=auto)).json()
    state = rated["factors"]["state"]  # the default state factors apply
    assert rated["premium"]["total"] == round(40000 / 100 * 2.5 * state * 1.1, 2)
    bad = await engine.put("/v1/products/AUTO/tables", json={"classRates": {}})
    assert bad.status_code == 422
    assert (await engine.get("/v1/products/NOPE/tables")).status_code == 404

    tables_file = tmp_path / "tables.json"
    tables_file.write_text(json.dumps({"AUTO": table}))
    async with client(tables_file=tables_file) as from_file:
        assert (await from_file.post("/v1/rate", json=auto)).json() == rated
