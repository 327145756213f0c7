"""CPU and memory of the reference engine rating one large IMCE request, in process.

Builds the request the platform sends for a client request of about ``MB``
megabytes (default 50; in a child process, so its making does not count), then
drives the engine's ASGI app directly: the body arrives in 64 KiB messages read from
a file, as a server would hand it over, and the answer is counted as it streams
out. Prints the CPU seconds of the XML route (``/ratabase/rate``) and of the JSON
route (``/v1/rate``) with the same exposures, and the peak resident memory above
what the process held before the XML request.

    PYTHONPATH=. .venv/bin/python -m bench.engine [MB]
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import re
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

from reference_engine.app import create_app
from reference_engine.settings import EngineSettings

CHUNK = 64 * 1024
FACTORS = {"classFactor": 1.05, "bldgAge": 1.1, "scheduleCredit": 0.97}


def write_requests(megabytes: float, xml_path: str, json_path: str) -> None:
    """Writes the platform's XML request and its JSON-protocol twin (in a child process)."""
    from bench.steps import IMCE, client_doc
    from engines.mapping import compile_mapping
    from engines.xml_codec import json_to_xml
    from models.mappings import Mapping

    doc = client_doc(int(megabytes * 1_000_000), "x" * 66)
    request = compile_mapping(Mapping.model_validate(IMCE["mappings"][0])).apply(doc).document
    request["Factors"] = dict(FACTORS)
    with open(xml_path, "wb") as out:
        json_to_xml(request, "RatingRequest", out)
    twin = {
        "quoteId": request["QuoteId"],
        "product": request["Product"],
        "state": request["State"],
        "effectiveDate": request["EffectiveDate"],
        "deductible": request["Deductible"],
        "exposures": [
            {"id": e["@id"], "classCode": e["ClassCode"], "value": e["Value"]}
            for e in request["Exposures"]["Exposure"]
        ],
        "factors": FACTORS,
    }
    Path(json_path).write_bytes(orjson.dumps(twin))


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def peak_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


async def post(app: Any, path: str, body_file: Path, media_type: bytes) -> tuple[int, int, bytes]:
    """The status, answer length and answer head of ``app`` for the body in ``body_file``."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"engine"), (b"content-type", media_type)],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 8100),
    }
    status, length, head = 0, 0, b""
    with body_file.open("rb") as body:

        async def receive() -> dict[str, Any]:
            chunk = body.read(CHUNK)
            if chunk:
                return {"type": "http.request", "body": chunk, "more_body": True}
            if not body.closed:
                body.close()
                return {"type": "http.request", "body": b"", "more_body": False}
            await asyncio.Event().wait()  # the client stays connected
            raise AssertionError("unreachable")

        async def send(message: dict[str, Any]) -> None:
            nonlocal status, length, head
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                piece = message.get("body", b"")
                length += len(piece)
                if len(head) < 512:
                    head += piece[:512]

        await app(scope, receive, send)
    return status, length, head


def measure(app: Any, path: str, body_file: Path, media_type: bytes) -> tuple[float, float, str]:
    """CPU seconds, wall seconds and a one-line summary of one request."""
    cpu, wall = time.process_time(), time.perf_counter()
    status, length, head = asyncio.run(post(app, path, body_file, media_type))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    total = re.search(rb'<Total>([^<]*)</Total>|"total":([0-9.e+]+)', head)
    found = (total.group(1) or total.group(2)).decode() if total else "?"
    return cpu, wall, f"status {status}, {length / 1e6:.1f} MB answer, total premium {found}"


def main() -> None:
    megabytes = float(sys.argv[1]) if len(sys.argv) > 1 else 50.0
    with tempfile.TemporaryDirectory() as tmp:
        xml_file, json_file = Path(tmp) / "request.xml", Path(tmp) / "request.json"
        child = multiprocessing.get_context("spawn").Process(
            target=write_requests, args=(megabytes, str(xml_file), str(json_file))
        )
        child.start()
        child.join()
        if child.exitcode != 0:
            raise SystemExit("building the request failed")
        exposures = xml_file.read_bytes().count(b"<Exposure ")
        print(
            f"client request {megabytes:g} MB: {xml_file.stat().st_size / 1e6:.1f} MB of XML, "
            f"{exposures} exposures"
        )
        app = create_app(EngineSettings())
        before = rss_bytes()
        cpu, wall, summary = measure(app, "/ratabase/rate", xml_file, b"application/xml")
        growth = (peak_rss_bytes() - before) / 1e6
        print(f"XML  /ratabase/rate  CPU {cpu:6.2f} s  wall {wall:6.2f} s  ({summary})")
        print(f"     peak RSS growth {max(growth, 0.0):.0f} MB")
        cpu, wall, summary = measure(app, "/v1/rate", json_file, b"application/json")
        print(f"JSON /v1/rate        CPU {cpu:6.2f} s  wall {wall:6.2f} s  ({summary})")


if __name__ == "__main__":
    main()
