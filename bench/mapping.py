"""The IMCE field mappings on the benchmark request: compiled code against the interpreter.

The request mapping reads a client request of about MB megabytes (an equipment
schedule); the response mapping reads an engine's answer to it, as the flow gives
it: ``{"engineResponse": ..., "engineRequest": ..., "insured": ...}``, the answer
shaped as the reference engine's XML answer reads back through ``xml_to_json``
(one line per item, numbers as floats), built here so the benchmark does not
depend on the engine.
Prints the best of a few runs of each, wall and CPU time; when the test suite's
oracle (the interpreting engine the generated code replaced) imports, of that
too, with the ratio of CPU times, and checks both give the same documents.

    PYTHONPATH=. .venv/bin/python -m bench.mapping [MB]
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from bench.steps import IMCE, client_doc
from engines.mapping import compile_mapping
from models.mappings import Mapping

RATES = {"EXC": 1.1, "CRN": 1.45, "GEN": 0.85, "LDR": 1.0, "CMP": 0.95}


def seconds(fn: Callable[[], Any], runs: int) -> tuple[float, float]:
    """The best wall time of ``runs`` calls, and the best CPU time of this process:
    steadier than the wall when others share the machine."""
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return min(walls), min(cpus)


def response_document(mapped: dict[str, Any], insured: Any) -> dict[str, Any]:
    """An engine's answer to the mapped request, as the response mapping reads it."""
    lines = [
        {
            "@id": e["@id"],
            "ClassCode": e["ClassCode"],
            "Value": float(e["Value"]),
            "Rate": RATES[e["ClassCode"]],
            "Premium": round(e["Value"] / 1000 * RATES[e["ClassCode"]] * 1.15, 2),
        }
        for e in mapped["Exposures"]["Exposure"]
    ]
    total = round(sum(line["Premium"] for line in lines), 2)
    engine_response = {
        "QuoteId": mapped["QuoteId"],
        "Product": "IMCE",
        "Currency": "USD",
        "Premium": {"Base": total, "Total": total, "MinimumApplied": False},
        "Lines": {"Line": lines},
        "Factors": {
            "Factor": [{"@name": "state", "#text": 1.15}, {"@name": "deductible", "#text": 1.0}]
        },
        "Engine": {"@name": "irx-reference", "@version": "1"},
    }
    return {"engineResponse": engine_response, "engineRequest": {"State": "NY"}, "insured": insured}


def main() -> None:
    megabytes = float(sys.argv[1]) if len(sys.argv) > 1 else 50.0
    doc = client_doc(int(megabytes * 1_000_000), "x" * 66)
    definitions = [Mapping.model_validate(m) for m in IMCE["mappings"][:2]]
    request, response = (compile_mapping(d) for d in definitions)
    mapped = request.apply(doc).document
    documents = [doc, response_document(mapped, doc["insured"])]
    try:
        from tests.engines.test_mapping_compiled import oracle_compile
    except ImportError:  # without the tests: the compiled engine alone
        oracles: list[Any] = [None, None]
    else:
        oracles = [oracle_compile(d) for d in definitions]
    print(f"{len(doc['equipment']):,} equipment items, {megabytes:g} MB; best of a few runs")
    print(f"{'mapping':<16}{'wall s':>9}{'cpu s':>9}", end="")
    print(f"{'interpreter wall s':>20}{'cpu s':>9}{'ratio':>8}")
    for name, compiled, oracle, source in zip(
        ("IMCE request", "IMCE response"), (request, response), oracles, documents, strict=True
    ):
        wall, cpu = seconds(partial(compiled.apply, source), runs=7)
        if oracle is None:
            print(f"{name:<16}{wall:>9.3f}{cpu:>9.3f}")
            continue
        fresh, expected = compiled.apply(source), oracle.apply(source)
        assert fresh.document == expected.document, f"{name}: the documents differ"
        assert (fresh.fields_applied, fresh.fields_defaulted) == (
            expected.fields_applied,
            expected.fields_defaulted,
        )
        old_wall, old_cpu = seconds(partial(oracle.apply, source), runs=3)
        print(
            f"{name:<16}{wall:>9.3f}{cpu:>9.3f}{old_wall:>20.3f}{old_cpu:>9.3f}"
            f"{old_cpu / cpu:>7.1f}x"
        )


if __name__ == "__main__":
    main()
