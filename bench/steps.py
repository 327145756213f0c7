"""Micro-benchmarks of each step type's pure logic, without Temporal.

Documents are IMCE-like (an equipment schedule) of about 10 KB and 1 MB, and
10 MB for the XML conversions. Prints the median and p95 of each operation.

    .venv/bin/python -m bench.steps
"""

from __future__ import annotations

import statistics
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from typing import Any

import orjson

from engines.json_schema import schema_errors
from engines.mapping import CompiledMapping, compile_mapping
from engines.rules import RuleSet
from engines.xml_codec import compile_schema, json_to_xml, parse_xml, validate, xml_to_json
from irx.demo import demo_definition
from models.mappings import Mapping
from models.rules import Rule
from reference_engine.rating import built_in_tables, parse_request, rate

IMCE = demo_definition("IMCE")
TYPES = ["excavator", "crane", "general tools", "loader", "compactor"]


TABLES = built_in_tables()


def client_doc(target_bytes: int, description: str | None = None) -> dict[str, Any]:
    """An IMCE request whose equipment schedule makes it about ``target_bytes`` long.

    With ``description``, each item carries it too (a field the mapping leaves out).
    """
    doc: dict[str, Any] = {
        "quote": {"id": "Q-BENCH", "effectiveDate": "2026-12-01"},
        "insured": {"name": "Acme Excavation LLC", "address": {"state": "NY"}},
        "building": {"yearBuilt": 1938},
        "coverage": {"deductible": 1000},
        "equipment": [],
    }
    extra = {} if description is None else {"description": description}
    item_size = len(
        orjson.dumps(
            {
                "serial": "EQ-000000",
                "type": "general tools",
                "value": 123456.78,
                "year": 2015,
                **extra,
            }
        )
    )
    for i in range(max(1, target_bytes // (item_size + 1))):
        doc["equipment"].append(
            {
                "serial": f"EQ-{i:06d}",
                "type": TYPES[i % 5],
                "value": 10_000 + i * 7.5,
                "year": 2000 + i % 25,
                **extra,
            }
        )
    return doc


DESCRIPTION = "Serial-numbered contractor's equipment, kept at the insured's yard"


def payload(target_bytes: int, described: bool = True) -> bytes:
    """An IMCE request of about ``target_bytes`` (within 1 %); ``described``: each item
    carries a description (fewer, larger items), else a bare schedule."""
    description = DESCRIPTION if described else None
    body = orjson.dumps(client_doc(target_bytes, description))
    if abs(len(body) - target_bytes) > target_bytes / 100:
        body = orjson.dumps(client_doc(target_bytes * target_bytes // len(body), description))
    return body


def measure(
    fn: Callable[[], Any], budget_s: float = 3.0, max_runs: int = 200
) -> tuple[float, float, int]:
    fn()  # warm up caches and code paths
    samples: list[float] = []
    deadline = time.perf_counter() + budget_s
    while len(samples) < max_runs and (len(samples) < 5 or time.perf_counter() < deadline):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))], len(samples)


def report(name: str, size: str, fn: Callable[[], Any]) -> None:
    median, p95, runs = measure(fn)
    print(f"{name:<44}{size:>7}{median:>12.3f}{p95:>12.3f}{runs:>7}")


def run_size(
    label: str,
    doc: dict[str, Any],
    schema: dict[str, Any],
    request_mapping: CompiledMapping,
    pre_rules: RuleSet,
    xsd: Any,
) -> None:
    report("validate_request (JSON Schema)", label, lambda: schema_errors(schema, doc))
    report(
        "field_mapping compile (IMCE request)",
        label,
        lambda: compile_mapping(Mapping.model_validate(IMCE["mappings"][0])),
    )
    report("field_mapping apply (IMCE request)", label, lambda: request_mapping.apply(doc))
    mapped = {**doc, "engineRequest": request_mapping.apply(doc).document}
    report(
        "apply_rules (3 pre-rating rules, 1 table)",
        label,
        lambda: pre_rules.evaluate(mapped, as_of=date(2026, 12, 1), scope={"state": "NY"}),
    )
    conditions = [c for r in pre_rules.rules for c in r.conditions]
    report(
        "  contrast: its conditions, whole doc to ZEN",
        label,
        lambda: [c.compiled.evaluate(mapped) for c in conditions],
    )
    report(
        "  its conditions, referenced keys only",
        label,
        lambda: [c.evaluate(mapped) for c in conditions],
    )
    engine_request = pre_rules.evaluate(
        mapped, as_of=date(2026, 12, 1), scope={"state": "NY"}
    ).document["engineRequest"]
    report(
        "format_transform json_to_xml",
        label,
        lambda: json_to_xml(engine_request, "RatingRequest"),
    )
    xml = json_to_xml(engine_request, "RatingRequest")
    report(
        "format_transform XSD validation",
        label,
        lambda: validate(parse_xml(xml, 10**9), xsd),
    )
    report(
        "format_transform xml_to_json",
        label,
        lambda: xml_to_json(xml, force_list=["Exposure"], numbers=["Value", "YearBuilt"]),
    )
    json_engine = {
        "quoteId": "Q",
        "product": "IMCE",
        "state": "NY",
        "effectiveDate": "2026-12-01",
        "exposures": [
            {"id": e["@id"], "classCode": e["ClassCode"], "value": e["Value"]}
            for e in engine_request["Exposures"]["Exposure"]
        ],
    }
    report(
        "reference engine rating (pure)", label, lambda: rate(parse_request(json_engine), TABLES)
    )


def main() -> None:
    steps = {s["type"] + ":" + s["name"]: s["config"] for s in IMCE["flows"][0]["steps"]}
    schema = steps["validate_request:validate request"]["schema"]
    request_mapping = compile_mapping(Mapping.model_validate(IMCE["mappings"][0]))
    pre_rules = RuleSet(
        [Rule.model_validate(r) for r in IMCE["rules"] if r["phase"] == "pre_rating"]
    )
    xsd = compile_schema(steps["format_transform:request to XML"]["xsd"])
    print(f"{'operation':<44}{'doc':>7}{'median ms':>12}{'p95 ms':>12}{'runs':>7}")
    for label, size in (("10 KB", 10_000), ("1 MB", 1_000_000)):
        run_size(label, client_doc(size), schema, request_mapping, pre_rules, xsd)
    big = client_doc(10_000_000)
    engine_request = {**request_mapping.apply(big).document}
    report(
        "format_transform json_to_xml",
        "10 MB",
        lambda: json_to_xml(engine_request, "RatingRequest"),
    )
    xml = json_to_xml(engine_request, "RatingRequest")
    report(
        "format_transform xml_to_json",
        "10 MB",
        lambda: xml_to_json(xml, force_list=["Exposure"], numbers=["Value", "YearBuilt"]),
    )
    report("format_transform XSD validation", "10 MB", lambda: validate(parse_xml(xml, 10**9), xsd))
    tracemalloc.start()
    json_to_xml(engine_request, "RatingRequest")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"json_to_xml 10 MB: {len(xml) / 1e6:.1f} MB of XML, peak traced memory "
        f"{peak / 1e6:.1f} MB ({peak / len(xml):.2f}x the output: streaming writer, no tree)"
    )


if __name__ == "__main__":
    main()
