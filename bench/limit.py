"""The limit: the IMCE flow's work written by hand in plain Python, with no platform code.

What this machine can do for one rating in Python at best: the same documents, the
same JSON Schema library (jsonschema-rs), the demo mapping and rules written out as
straight-line code, XML built as strings and checked against the flow's XSD by lxml
(streaming), the same reference engine over HTTP, its answer read with lxml, the
result serialized with orjson. No retries, no claim check, no records: only the work.
``bench.tiers`` runs it beside the stack (the "limit" row) and reports stack / limit.

    .venv/bin/python -m bench.limit 50     # MB; against a running engine (IRX_BENCH_ENGINE_URL)
"""

from __future__ import annotations

import asyncio
import io
import os
import sys
import time
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import httpx
import jsonschema_rs
import orjson
from lxml import etree

from bench.rating import ROOT
from bench.steps import payload

DEMO = orjson.loads((ROOT / "irx/demo/IMCE.json").read_bytes())
_STEPS = DEMO["flows"][0]["steps"]
_CLASSES: dict[str, str] = DEMO["mappings"][0]["fields"][5]["items"][1]["args"]["table"]
_CLASS_FACTOR = {"CRN": 1.08, "EXC": 1.05, "LDR": 1.03}
_CENT = Decimal("0.01")
_HARDENED: dict[str, Any] = {"resolve_entities": False, "no_network": True, "load_dtd": False}
# What the response mapping reads of the engine's answer.
_LINE = ("classCode", "value", "rate", "premium")
_READ = ("Line", "Factor", "Engine", "QuoteId", "Currency", "Base", "Total", "MinimumApplied")


def _number(value: float) -> str:
    """As the platform writes a number into XML."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _cents(value: float) -> float | int:
    """``value`` rounded half-up to cents, as the mapping's ``round`` gives it."""
    text = repr(value)
    point = text.find(".")
    if "e" not in text and (point < 0 or len(text) - point <= 3):
        return int(value) if value == int(value) else value  # already exact to the cent
    exact = Decimal(text).quantize(_CENT, rounding=ROUND_HALF_UP)
    return int(exact) if exact == exact.to_integral_value() else float(exact)


def _escape(text: str) -> str:
    return escape(text) if "&" in text or "<" in text or ">" in text else text


def _attribute(text: str) -> str:
    return quoteattr(text) if '"' in text or "&" in text or "<" in text else f'"{text}"'


class Limit:
    """The IMCE rating as hand-written code, calling the reference engine at ``engine_url``."""

    def __init__(self, engine_url: str) -> None:
        self.validator = jsonschema_rs.Draft202012Validator(
            _STEPS[0]["config"]["schema"], validate_formats=True
        )
        self.xsd = etree.XMLSchema(etree.fromstring(_STEPS[3]["config"]["xsd"].encode()))
        self.http = httpx.AsyncClient(base_url=engine_url, timeout=300)

    async def aclose(self) -> None:
        await self.http.aclose()

    async def once(self, body: bytes) -> bytes:
        """One rating of an IMCE request; the result as JSON."""
        xml, context = await asyncio.to_thread(self.request_xml, body)
        answer = await self.http.post(
            "/ratabase/rate", content=xml, headers={"Content-Type": "application/xml"}
        )
        answer.raise_for_status()
        return await asyncio.to_thread(self.result, answer.content, context)

    def request_xml(self, body: bytes) -> tuple[bytes, dict[str, Any]]:
        """Validate, map, pre-rating rules, JSON to XML, XSD: the steps before the engine."""
        doc = orjson.loads(body)
        if not self.validator.is_valid(doc):
            raise ValueError("the request fails its schema")
        quote, insured, equipment = doc["quote"], doc["insured"], doc["equipment"]
        state = insured["address"]["state"].upper()
        when = datetime.fromisoformat(quote["effectiveDate"]).date().isoformat()
        deductible = doc.get("coverage", {}).get("deductible", 1000)
        parts = [
            "<?xml version='1.0' encoding='utf-8'?>\n<RatingRequest>",
            f"<QuoteId>{_escape(quote['id'])}</QuoteId><Product>IMCE</Product>",
            f"<State>{_escape(state)}</State><EffectiveDate>{when}</EffectiveDate>",
            f"<Deductible>{_number(deductible)}</Deductible><Exposures>",
        ]
        first_class = None
        for item in equipment:
            code = _CLASSES[str(item["type"])]
            first_class = first_class or code
            year = item.get("year")
            parts.append(
                f"<Exposure id={_attribute(item['serial'])}><ClassCode>{code}</ClassCode>"
                f"<Value>{_number(_cents(item['value']))}</Value>"
                + ("" if year is None else f"<YearBuilt>{year}</YearBuilt>")
                + "</Exposure>"
            )
        factors = [f"<classFactor>{_number(_CLASS_FACTOR.get(first_class or '', 1))}</classFactor>"]
        if state == "NY" and doc.get("building", {}).get("yearBuilt", 9999) < 1950:
            factors.append("<bldgAge>1.1</bldgAge>")
        if len(equipment) >= 3:
            factors.append("<scheduleCredit>0.97</scheduleCredit>")
        parts.append(f"</Exposures><Factors>{''.join(factors)}</Factors></RatingRequest>")
        xml = "".join(parts).encode()
        for _, element in etree.iterparse(
            io.BytesIO(xml), events=("end",), tag="Exposure", schema=self.xsd, **_HARDENED
        ):
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
        return xml, {"state": state, "insuredName": insured.get("name")}

    def result(self, answer: bytes, context: dict[str, Any]) -> bytes:
        """XML to JSON, map the response, post-rating rules, serialize: the steps after."""
        lines: list[dict[str, Any]] = []
        top: dict[str, str] = {}
        factors: list[dict[str, Any]] = []
        engine = None
        events = etree.iterparse(io.BytesIO(answer), events=("end",), tag=_READ, **_HARDENED)
        for _, element in events:
            tag = element.tag
            if tag == "Line":
                line: dict[str, Any] = {"id": element.get("id")}
                for child, key in zip(element, _LINE, strict=True):
                    text = child.text or ""
                    line[key] = text if key == "classCode" else _read_number(text)
                lines.append(line)
                element.clear()
                while element.getprevious() is not None:
                    del element.getparent()[0]
            elif tag == "Factor":
                factors.append({"name": element.get("name"), "value": _read_number(element.text)})
            elif tag == "Engine":
                engine = element.get("name")
            else:
                top[tag] = element.text or ""
        premium = _read_number(top["Total"])
        result: dict[str, Any] = {
            "quoteId": top["QuoteId"],
            "state": context["state"],
            "insuredName": context["insuredName"],
            "currency": top.get("Currency", "USD"),
            "premium": premium,
            "basePremium": _read_number(top["Base"]),
            "minimumApplied": top["MinimumApplied"] in ("true", "1"),
            "lines": lines,
            "factors": factors,
            "engine": engine,
        }
        if premium < 750:
            result["premium"] = premium = 750
        fee = 25 if context["state"] == "NY" else 0
        if fee:
            result["fees"] = {"nyPolicyFee": fee}
        result["totalDue"] = round(premium + fee, 2)
        return orjson.dumps(result)


def _read_number(text: str) -> int | float:
    number = float(text)
    plain = number.is_integer() and "." not in text and "e" not in text.lower()
    return int(number) if plain else number


async def main() -> None:
    megabytes = float(sys.argv[1]) if len(sys.argv) > 1 else 5
    engine = os.environ.get("IRX_BENCH_ENGINE_URL", "http://127.0.0.1:8100")
    body = payload(int(megabytes * 1_000_000))
    limit = Limit(engine)
    try:
        for _ in range(3):
            started = time.perf_counter()
            result = orjson.loads(await limit.once(body))
            took = (time.perf_counter() - started) * 1000
            print(f"{len(body)} B: {took:.0f} ms, premium {result['premium']}")
    finally:
        await limit.aclose()


if __name__ == "__main__":
    asyncio.run(main())
