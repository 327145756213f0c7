"""JSON <-> XML at scale: the format_transform step's writer, XSD check and reader.

Builds the IMCE benchmark request (an equipment schedule of about ``MB`` megabytes
of client JSON), maps it and writes it as XML, makes a rating engine's answer of
the same schedule (a ``<Line>`` per item, as the reference engine answers) and reads
it back, timing each conversion two ways: element by element
(lxml's incremental writer, the streaming tree-parser check, the streaming tree
reader: what the step did before, kept as the reference) and as the step does
now. Prints the CPU seconds of the best of a few runs, the speed-up, and how far
each run pushed the process's peak RSS above what it held before.

    PYTHONPATH=. .venv/bin/python -m bench.xml [MB]    # default 50
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

from bench.steps import IMCE, client_doc
from engines.mapping import compile_mapping
from engines.xml_codec import compile_schema, conforms, streamed_conforms, xml_to_json
from engines.xml_read import StreamReader
from engines.xml_write import json_to_xml, json_to_xml_by_lxml
from models.mappings import Mapping

FORCE_LIST = {"Line", "Factor"}
NUMBERS = {"Base", "Total", "Value", "Rate", "Premium", "Factor"}
BOOLEANS = {"MinimumApplied"}
RATES = {"EXC": 1.1, "CRN": 1.45, "GEN": 0.85, "LDR": 0.95, "CMP": 0.75}
FACTORS = {"state": 1.15, "deductible": 1.0, "classFactor": 1.05, "scheduleCredit": 0.97}


def answer_xml(request: dict[str, Any]) -> bytes:
    """An engine's answer to ``request``, shaped and sized as the reference engine's
    (its texts as it writes them: values "10000.0", premiums to the cent)."""
    factor = 1.0
    for value in FACTORS.values():
        factor *= value
    lines = []
    for exposure in request["Exposures"]["Exposure"]:
        value, rate = float(exposure["Value"]), RATES.get(exposure["ClassCode"], 1.0)
        premium = value * rate / 100 * factor
        lines.append(
            {
                "@id": exposure["@id"],
                "ClassCode": exposure["ClassCode"],
                "Value": repr(value),
                "Rate": repr(rate),
                "Premium": f"{premium:.2f}",
            }
        )
    total = f"{sum(float(line['Premium']) for line in lines):.2f}"
    answer = {
        "QuoteId": request["QuoteId"],
        "Product": request["Product"],
        "Currency": "USD",
        "Premium": {"Base": total, "Total": total, "MinimumApplied": False},
        "Lines": {"Line": lines},
        "Factors": {"Factor": [{"@name": k, "#text": repr(v)} for k, v in FACTORS.items()]},
        "Engine": {"@name": "irx-reference", "@version": "1"},
    }
    return json_to_xml(answer, "RatingResponse")


def _status(field: str) -> int:
    """A /proc/self/status figure in bytes (VmRSS now, VmHWM the peak)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")  # resets VmHWM to the current RSS
    except OSError:
        return False
    return True


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, float | None, Any]:
    """Best CPU seconds over ``runs``, peak RSS growth (MB) of the first, and a result."""
    growth: float | None = None
    best = float("inf")
    result: Any = None
    for run in range(runs):
        result = None
        measured = run == 0 and _reset_peak()
        before = _status("VmRSS")
        started = time.process_time()
        result = fn()
        best = min(best, time.process_time() - started)
        if measured:
            growth = (_status("VmHWM") - before) / 1e6
    return best, growth, result


def _row(
    name: str, old: tuple[float, float | None, Any], new: tuple[float, float | None, Any]
) -> None:
    def mb(value: float | None) -> str:
        return "n/a" if value is None else f"{max(value, 0.0):.0f} MB"

    print(
        f"{name:<34}{old[0]:>10.2f} s{new[0]:>9.2f} s{old[0] / new[0]:>8.1f}x"
        f"{mb(old[1]):>12}{mb(new[1]):>10}"
    )


def main() -> None:
    megabytes = float(sys.argv[1]) if len(sys.argv) > 1 else 50.0
    doc = client_doc(int(megabytes * 1_000_000), "x" * 66)
    request = compile_mapping(Mapping.model_validate(IMCE["mappings"][0])).apply(doc).document
    request["Factors"] = {"classFactor": 1.05, "scheduleCredit": 0.97}
    del doc
    xsd = compile_schema(IMCE["flows"][0]["steps"][3]["config"]["xsd"])
    xml = json_to_xml(request, "RatingRequest")
    answer = answer_xml(request)
    items = len(request["Exposures"]["Exposure"])
    print(
        f"{megabytes:g} MB client document: {len(xml) / 1e6:.1f} MB of request XML "
        f"({items:,} <Exposure>), {len(answer) / 1e6:.1f} MB answer ({items:,} <Line>)"
    )
    head = f"{'CPU, best run':<34}{'by element':>12}{'now':>11}{'ratio':>9}"
    print(f"{head}{'peak RSS +':>12}{'now':>10}")
    runs = 3
    old = timed(lambda: json_to_xml_by_lxml(request, "RatingRequest"), 1)
    new = timed(lambda: json_to_xml(request, "RatingRequest"), runs)
    assert old[2] == new[2], "the writers disagree"
    _row("json_to_xml (writer)", old, new)
    old = timed(lambda: streamed_conforms(xml, xsd), 1)
    new = timed(lambda: conforms(xml, xsd), runs)
    assert old[2] is new[2] is True
    _row("conforms (XSD, streaming)", old, new)
    old = timed(lambda: StreamReader(FORCE_LIST, NUMBERS, BOOLEANS).read(answer), 1)
    new = timed(
        lambda: xml_to_json(answer, force_list=FORCE_LIST, numbers=NUMBERS, booleans=BOOLEANS),
        runs,
    )
    assert repr(old[2]) == repr(new[2]), "the readers disagree"
    _row("xml_to_json (reader)", old, new)
    old_read = {"force_list": ["Exposure"], "numbers": ["Value", "YearBuilt"]}
    old = timed(
        lambda: (
            streamed_conforms(xml, xsd)
            and StreamReader({"Exposure"}, {"Value", "YearBuilt"}, set()).read(xml)
        ),
        1,
    )
    new = timed(lambda: xml_to_json(xml, **old_read, schema=xsd), runs)  # type: ignore[arg-type]
    assert repr(old[2]) == repr(new[2]), "the readers disagree"
    _row("xml_to_json with XSD (request)", old, new)


if __name__ == "__main__":
    main()
