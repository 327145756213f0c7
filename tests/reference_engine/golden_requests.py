"""The requests behind tests/reference_engine/golden/, and the recorder of its answers.

The answers in golden/ were recorded from the engine as it was before it streamed
(commit c2f01a7: a whole lxml tree, pydantic per exposure, ``etree.SubElement`` per
answer element), so they pin what that engine answered, byte for byte::

    PYTHONPATH=. .venv/bin/python -m tests.reference_engine.golden_requests

Rerunning it records what the current engine answers, which proves nothing; do it
only to add a case, and check by hand that the old answers did not change.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import httpx
import orjson

GOLDEN = Path(__file__).parent / "golden"
EXAMPLE_JSON = Path(__file__).parents[2] / "docs/examples/IMCE-engine-request.json"
# The XML request of test_engine.py.
EXAMPLE_XML = b"""<?xml version="1.0"?>
<RatingRequest><QuoteId>Q-X</QuoteId><Product>IMCE</Product><State>NY</State>
<EffectiveDate>2026-12-01</EffectiveDate><Deductible>1000</Deductible>
<Exposures>
  <Exposure id="EQ-1"><ClassCode>EXC</ClassCode><Value>250000</Value></Exposure>
  <Exposure id="EQ-2"><ClassCode>CRN</ClassCode><Value>480000</Value></Exposure>
  <Exposure id="EQ-3"><ClassCode>GEN</ClassCode><Value>35000</Value></Exposure>
</Exposures></RatingRequest>"""
IMCE_CLASSES = ["EXC", "CRN", "GEN", "LDR", "CMP"]
ODD_VALUES = [
    "0.005",
    "123456.785",
    "1e-3",
    "1E3",
    "2.675",
    "1.005",
    "0.015",
    "99999999999.995",
    "12345678901234567890.125",
    "1234567890123456789012345678.5",
    "7.",
    ".5",
    "3e+2",
    "5e-7",
    "0.0001",
    "1.10",
    "250000",
    "4.445",
]


def xml_request(
    exposures: list[dict[str, Any]],
    head: dict[str, str] | None = None,
    factors: dict[str, str] | None = None,
    named_factors: bool = False,
) -> bytes:
    """A Ratabase-like request written as the platform writes one (no whitespace)."""
    head = head or {
        "QuoteId": "Q-GOLD",
        "Product": "IMCE",
        "State": "NY",
        "EffectiveDate": "2026-12-01",
        "Deductible": "1000",
    }
    parts = ["<?xml version='1.0' encoding='utf-8'?>\n<RatingRequest>"]
    parts += [f"<{tag}>{escape(value)}</{tag}>" for tag, value in head.items()]
    parts.append("<Exposures>")
    for e in exposures:
        parts.append(f"<Exposure id={quoteattr(e['id'])}>")
        for tag in ("ClassCode", "Value", "YearBuilt"):
            if e.get(tag) is not None:
                parts.append(f"<{tag}>{escape(e[tag])}</{tag}>")
        parts.append("</Exposure>")
    parts.append("</Exposures>")
    if factors:
        parts.append("<Factors>")
        for name, value in factors.items():
            if named_factors:
                parts.append(f"<Factor name={quoteattr(name)}>{value}</Factor>")
            else:
                parts.append(f"<{name}>{value}</{name}>")
        parts.append("</Factors>")
    parts.append("</RatingRequest>")
    return "".join(parts).encode()


def mixed_exposures(n: int, seed: int, classes: list[str] = IMCE_CLASSES) -> list[dict[str, Any]]:
    """``n`` exposures of mixed classes: plain values, odd ones, padded ones, no YearBuilt."""
    rng = random.Random(seed)
    exposures = []
    for i in range(n):
        pick = rng.random()
        if pick < 0.2:
            value = rng.choice(ODD_VALUES)
        elif pick < 0.3:
            value = f"  {rng.randint(1, 10**6)}.{rng.randint(0, 999):03d} \n"
        elif pick < 0.5:
            value = str(rng.randint(1, 10**7))
        else:
            value = f"{rng.uniform(1, 10**6):.{rng.randint(0, 4)}f}"
        exposure = {"id": f"EQ-{seed}-{i:05d}", "ClassCode": classes[i % len(classes)]}
        exposure["Value"] = value
        if rng.random() < 0.7:
            exposure["YearBuilt"] = str(1950 + rng.randint(0, 75))
        exposures.append(exposure)
    return exposures


def json_twin(exposures: list[dict[str, Any]], seed: int) -> list[dict[str, Any]]:
    """The same exposures for the JSON protocol, values as numbers where they can be."""
    rng = random.Random(seed)
    twins = []
    for e in exposures:
        text = e["Value"].strip()
        value: Any = text
        kind = rng.random()
        if kind < 0.4 and text.isdigit():
            value = int(text)
        elif kind < 0.8:
            value = float(text)
        twin: dict[str, Any] = {"id": e["id"], "classCode": e["ClassCode"], "value": value}
        if "YearBuilt" in e:
            twin["yearBuilt"] = int(e["YearBuilt"])
        twins.append(twin)
    return twins


def pretty_request() -> bytes:
    """What no platform writes but the engine reads: layout, comments, CDATA, references,
    several <Exposures>, repeated head fields, values pydantic reads but a regex would not."""
    return b"""<?xml version="1.0" encoding="UTF-8"?>
<!-- a third party's layout -->
<RatingRequest>
  <QuoteId> Q-&amp;-PRETTY </QuoteId>
  <Note>not read</Note>
  <Product>IMCE</Product>
  <State>nj</State>
  <EffectiveDate>2026-12-01</EffectiveDate>
  <Deductible> 500 </Deductible>
  <QuoteId>second, ignored</QuoteId>
  <Exposures>
    <Exposure id="EQ-1"><ClassCode>EXC</ClassCode><Value>250000</Value></Exposure>
    <Exposure id="EQ-2">
      <ClassCode>CRN</ClassCode>
      <Value>
        480000.125
      </Value>
      <YearBuilt>2015</YearBuilt>
    </Exposure>
    <Exposure id="EQ-&lt;3&gt; &amp; &quot;co&quot;"><ClassCode>GEN</ClassCode><Value><![CDATA[35000.5]]></Value></Exposure>
    <!-- a comment between exposures -->
    <Exposure id="EQ-4"><ClassCode>LDR</ClassCode><Value>+5000</Value><YearBuilt>02019</YearBuilt></Exposure>
    <Exposure id="EQ-5"><ClassCode>CMP</ClassCode><Value>1_000</Value><Extra>x</Extra></Exposure>
    <Exposure id="EQ-6" other="x"><Value>12.345</Value><ClassCode>EXC</ClassCode><ClassCode>ZZZ</ClassCode></Exposure>
    <Exposure id="EQ-&#233;-7"><ClassCode>EXC</ClassCode><Value>7&#46;5</Value></Exposure>
    <Other id="not-an-exposure"><Value>1</Value></Other>
  </Exposures>
  <Factors>
    <Factor name="classFactor">1.05</Factor>
    <bldgAge>1.1</bldgAge>
    <Factor name="classFactor">1.0625</Factor>
  </Factors>
  <Exposures>
    <Exposure id="EQ-8"><ClassCode>CRN</ClassCode><Value>1e5</Value></Exposure>
  </Exposures>
  <Factors><Exposure>0.97</Exposure></Factors>
</RatingRequest>
<!-- trailing -->
"""


def xml_cases() -> Iterator[tuple[str, bytes]]:
    yield "example", EXAMPLE_XML
    imce_factors = {"classFactor": "1.05", "bldgAge": "1.1", "scheduleCredit": "0.97"}
    head = {
        "QuoteId": "Q-MIXED",
        "Product": "IMCE",
        "State": "NY",
        "EffectiveDate": "2026-12-01",
        "Deductible": "2500",
    }
    yield "mixed-1000", xml_request(mixed_exposures(1000, 1), head, imce_factors)
    many = {"classFactor": "1.0537", "scheduleCredit": "0.97125", "lossHistory": "0.987654321"}
    yield "many-decimals-300", xml_request(mixed_exposures(300, 2), None, many, True)
    bop_head = {
        "QuoteId": "Q-BOP",
        "Product": "BOP",
        "State": "ZZ",
        "EffectiveDate": "2026-12-01",
        "Deductible": "500",
    }
    small = [
        {"id": "B-1", "ClassCode": "OFF", "Value": "10000"},
        {"id": "B-2", "ClassCode": "RST", "Value": "0.005"},
        {"id": "B-3", "ClassCode": "WHS", "Value": "12345.675"},
    ]
    yield "minimum-bop", xml_request(small, bop_head)
    yield "bop-200", xml_request(mixed_exposures(200, 3, ["OFF", "RET", "RST", "WHS"]), bop_head)
    yield "pretty", pretty_request()
    tiny = [{"id": "M-1", "ClassCode": "CMP", "Value": "1000"}]
    yield "minimum-imce", xml_request(tiny, None, {"classFactor": "1.05"})


def xml_error_cases() -> Iterator[tuple[str, bytes]]:
    ok = xml_request([{"id": "E-1", "ClassCode": "EXC", "Value": "1000"}])

    def swap(old: bytes, new: bytes) -> bytes:
        assert old in ok
        return ok.replace(old, new)

    yield "malformed", b"<RatingRequest><oops>"
    yield "truncated", ok[:150]
    yield "empty", b""
    yield "mismatched-tags", b"<RatingRequest><a></b></RatingRequest>"
    yield (
        "doctype-entities",
        b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<RatingRequest><QuoteId>&b;&xxe;</QuoteId></RatingRequest>""",
    )
    yield "doctype-plain", swap(b"<RatingRequest>", b"<!DOCTYPE RatingRequest><RatingRequest>")
    yield "wrong-root", b"<Quote><QuoteId>Q</QuoteId></Quote>"
    yield "namespaced-root", swap(b"<RatingRequest>", b'<RatingRequest xmlns="urn:x">')
    yield "unknown-product", swap(b"<Product>IMCE<", b"<Product>AUTO<")
    yield "unknown-class", swap(b">EXC<", b">ZZZ<")
    yield "unknown-deductible", swap(b">1000</Deductible>", b">750</Deductible>")
    yield "missing-class", swap(b"<ClassCode>EXC</ClassCode>", b"")
    yield "zero-value", swap(b"<Value>1000<", b"<Value>0.00<")
    yield "bad-value", swap(b"<Value>1000<", b"<Value>abc<")
    yield "missing-value", swap(b"<Value>1000</Value>", b"")
    yield "missing-id", swap(b' id="E-1"', b"")
    yield (
        "no-exposures",
        swap(b'<Exposure id="E-1"><ClassCode>EXC</ClassCode>', b"").replace(
            b"<Value>1000</Value></Exposure>", b""
        ),
    )
    yield "bad-state", swap(b">NY<", b">NYC<")
    yield "empty-year", swap(b"</Value>", b"</Value><YearBuilt/>")
    yield "missing-quote-id", swap(b"<QuoteId>Q-GOLD</QuoteId>", b"")
    yield "bad-deductible", swap(b">1000</Deductible>", b">abc</Deductible>")
    yield (
        "factor-without-name",
        swap(b"</Exposures>", b"</Exposures><Factors><Factor>1.1</Factor></Factors>"),
    )
    yield "bad-factor", swap(b"</Exposures>", b"</Exposures><Factors><x>high</x></Factors>")


def json_cases() -> Iterator[tuple[str, Any]]:
    example = orjson.loads(EXAMPLE_JSON.read_bytes())
    yield "example", example
    exposures = json_twin(mixed_exposures(1000, 1), 11)
    for i, e in enumerate(exposures):
        if i % 97 == 0:
            del e["classCode"]  # rated with the request's class code
        elif i % 89 == 0:
            e["class_code"] = e.pop("classCode")  # the field's name works too
        elif i % 83 == 0:
            e["note"] = "ignored"
    yield (
        "mixed-1000",
        {
            "quoteId": "Q-MIXED",
            "product": "IMCE",
            "state": "ny",
            "effectiveDate": "2026-12-01",
            "deductible": 2500,
            "classCode": "GEN",
            "exposures": exposures,
            "factors": {"classFactor": 1.05, "bldgAge": "1.1", "scheduleCredit": 0.97},
        },
    )
    yield (
        "many-decimals-300",
        {
            **example,
            "exposures": json_twin(mixed_exposures(300, 2), 12),
            "factors": {"classFactor": "1.0537", "lossHistory": 0.987654321, "state": 1.3},
        },
    )
    bop = {**example, "product": "BOP", "state": "TX", "deductible": 10000, "classCode": "RET"}
    yield "minimum-bop", {**bop, "exposures": [{"id": "B-1", "value": 1000}]}
    yield "bop-200", {**bop, "exposures": json_twin(mixed_exposures(200, 3, ["OFF", "RET"]), 13)}


def json_error_cases() -> Iterator[tuple[str, Any]]:
    example = orjson.loads(EXAMPLE_JSON.read_bytes())

    def with_exposure(**fields: Any) -> dict[str, Any]:
        return {**example, "exposures": [{"id": "a", "classCode": "EXC", "value": 1, **fields}]}

    yield "not-an-object", [1, 2]
    yield "no-exposures", {**example, "exposures": []}
    yield "zero-value", with_exposure(value=0)
    yield "negative-value", with_exposure(value=-1.5)
    yield "bad-value", with_exposure(value="abc")
    yield "bool-value", with_exposure(value=True)
    yield "null-value", with_exposure(value=None)
    yield "int-id", with_exposure(id=5)
    yield "bad-year", with_exposure(yearBuilt="abc")
    yield (
        "many-problems",
        {
            **example,
            "state": "N",
            "exposures": [{"id": 1, "value": 0}, {"value": "x"}, "nope"],
        },
    )
    yield "missing-quote-id", {k: v for k, v in example.items() if k != "quoteId"}
    yield "bad-factor", {**example, "factors": {"x": "abc"}}
    yield "unknown-product", {**example, "product": "AUTO"}
    yield "unknown-class", with_exposure(classCode="ZZZ")
    yield "unknown-deductible", {**example, "deductible": 750}
    yield "unclassed", {**example, "exposures": [{"id": "a", "value": 1}, {"id": "b", "value": 2}]}


def large_xml_request(n: int = 20_000) -> bytes:
    """An IMCE schedule of ``n`` exposures as the platform writes it (the large-request test)."""
    rng = random.Random(n)
    exposures = [
        {
            "id": f"EQ-{i:06d}",
            "ClassCode": IMCE_CLASSES[i % 5],
            "Value": f"{10_000 + i * 7.5 + rng.randint(0, 99) / 100:g}",
            "YearBuilt": str(2000 + i % 25),
        }
        for i in range(n)
    ]
    factors = {"classFactor": "1.05", "bldgAge": "1.1", "scheduleCredit": "0.97"}
    return xml_request(exposures, None, factors)


def large_json_request(n: int = 20_000) -> dict[str, Any]:
    """The JSON-protocol twin of :func:`large_xml_request`."""
    example = orjson.loads(EXAMPLE_JSON.read_bytes())
    exposures = [
        {"id": f"EQ-{i:06d}", "classCode": IMCE_CLASSES[i % 5], "value": 10_000 + i * 7.5}
        for i in range(n)
    ]
    return {**example, "exposures": exposures, "factors": {"classFactor": 1.05}}


def store(name: str, data: bytes) -> dict[str, str]:
    """``data`` inline (small, UTF-8) or as a gzipped file under golden/ named ``name``."""
    if len(data) < 2_000:
        return {"text": data.decode()}
    (GOLDEN / f"{name}.gz").write_bytes(gzip.compress(data, mtime=0))
    return {"file": f"{name}.gz"}


def load(stored: dict[str, str]) -> bytes:
    """The bytes :func:`store` stored."""
    if "text" in stored:
        return stored["text"].encode()
    return gzip.decompress((GOLDEN / stored["file"]).read_bytes())


async def record() -> None:
    from reference_engine.app import create_app

    transport = httpx.ASGITransport(app=create_app())
    cases: list[dict[str, Any]] = []
    async with httpx.AsyncClient(transport=transport, base_url="http://engine") as http:

        async def case(name: str, protocol: str, path: str, body: bytes) -> None:
            answer = await http.post(path, content=body)
            cases.append(
                {
                    "name": name,
                    "protocol": protocol,
                    "request": store(f"{name}.request.{protocol}", body),
                    "status": answer.status_code,
                    "answer": store(f"{name}.answer.{protocol}", answer.content),
                }
            )

        for name, body in xml_cases():
            await case(name, "xml", "/ratabase/rate", body)
        for name, body in xml_error_cases():
            await case(f"error-{name}", "xml", "/ratabase/rate", body)
        for name, data in json_cases():
            await case(name, "json", "/v1/rate", orjson.dumps(data))
        for name, data in json_error_cases():
            await case(f"error-{name}", "json", "/v1/rate", orjson.dumps(data))
        await case("error-malformed", "json", "/v1/rate", b'{"quoteId": "Q-1", "prod')
        answer = await http.post("/ratabase/rate", content=large_xml_request())
        large = {"xml": hashlib.sha256(answer.content).hexdigest()}
        answer = await http.post("/v1/rate", content=orjson.dumps(large_json_request()))
        large["json"] = hashlib.sha256(answer.content).hexdigest()
    document = {"cases": cases, "large_20000_sha256": large}
    (GOLDEN / "cases.json").write_bytes(orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n")


if __name__ == "__main__":
    asyncio.run(record())
