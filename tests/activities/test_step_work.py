"""A step's CPU work runs in the worker's step threads, within the step's timeout."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from activities.resources import StepResources
from activities.sdk import StepHarness
from engines.xml_codec import json_to_xml, xml_to_json
from models.errors import ErrorCode, PlatformError
from tests.activities.conftest import context


def big_xml(items: int = 60_000) -> bytes:
    doc = {"item": [{"@id": str(i), "name": f"n{i}", "limit": i} for i in range(items)]}
    return json_to_xml(doc, "r")


async def test_cpu_work_runs_off_the_event_loop(resources: StepResources) -> None:
    ctx = replace(context(resources, "format_transform"), deadline=time.monotonic() + 120)
    # Large enough that the conversion outlasts any one pause of the interpreter's own
    # (a collection over the whole test session's heap took 0.17 s of a 0.26 s run).
    xml = big_xml(300_000)
    gaps: list[float] = []
    done = asyncio.Event()

    async def tick() -> None:
        last = time.monotonic()
        while not done.is_set():
            await asyncio.sleep(0.005)
            now = time.monotonic()
            gaps.append(now - last)
            last = now

    ticker = asyncio.create_task(tick())
    started = time.monotonic()
    thread = await ctx.cpu(lambda: threading.current_thread().name)
    read = await ctx.cpu(xml_to_json, xml)
    took = time.monotonic() - started
    done.set()
    await ticker
    assert thread.startswith("irx-step")
    assert read["item"][-1]["name"] == "n299999"
    # On the loop, one gap would last the whole conversion; here the loop kept turning.
    assert max(gaps) < took / 2, (max(gaps), took)


async def test_a_step_stops_its_cpu_work_at_its_timeout(tmp_path: Path) -> None:
    """The budget is the step's: the work stops inside its thread, not just the wait."""
    xml = big_xml().decode()
    async with StepHarness(tmp_path) as harness:
        with pytest.raises(PlatformError) as caught:
            await harness.run("format_transform", {"direction": "xml_to_json"}, xml, timeout_ms=20)
        assert caught.value.code == ErrorCode.REQUEST_TIMEOUT
        assert caught.value.message == "The step's work ran past its timeout and was stopped."
        read = await harness.run("format_transform", {"direction": "xml_to_json"}, xml)
    assert read.data["item"][0] == {"@id": "0", "name": "n0", "limit": "0"}
