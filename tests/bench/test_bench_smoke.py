"""``make bench`` works: a short run of the tiered benchmark, the whole stack up and down.

It checks the table and the JSON, never how fast (timings live in ``make bench``).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import orjson
import psutil
import pytest

from bench.stack import role_of

ROOT = Path(__file__).parents[2]
ROW_KEYS = {
    "tier",
    "endpoint",
    "payload_bytes",
    "offered_rps",
    "requests",
    "ok",
    "errors",
    "throughput_rps",
    "latency_ms",
    "rss",
}


@pytest.mark.slow  # the whole benchmark stack up and down: about 25 s
def test_bench_smoke_rates_every_request_and_writes_the_table(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench.tiers"],
        cwd=ROOT,
        env={**os.environ, "IRX_BENCH_SMOKE": "1", "IRX_BENCH_OUT": str(out)},
        capture_output=True,
        text=True,
        timeout=170,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "| tier | path | payload |" in done.stdout
    assert "in-process baseline" in done.stdout

    report = orjson.loads(out.read_bytes())
    assert report["smoke"] is True
    assert {"command", "date", "machine", "idle_rss_mb", "seed_sla"} <= set(report)
    # irx dev's topology: the API, two workers (bench.stack names them), Temporal, the engine.
    assert set(report["processes"]) == {"api", "worker 1", "worker 2", "temporal server", "engine"}
    rows = report["rows"]
    assert {(r["tier"], r["endpoint"]) for r in rows} == {
        ("simple", "rate"),
        ("simple", "quote"),
        ("simple", "in-process"),
        ("simple", "plain-temporal"),
        ("medium", "rate"),
        ("medium", "in-process"),
        ("medium", "limit"),
    }
    for row in rows:
        assert set(row) >= ROW_KEYS, row
        assert row["errors"] == 0, row
        assert row["ok"] == row["requests"] > 0
        assert set(row["latency_ms"]) == {"p50", "p95", "p99", "max"}
        assert all(v["peak_mb"] >= v["idle_mb"] > 0 for v in row["rss"].values())
        if row["endpoint"] in ("rate", "quote"):
            assert set(row["rss"]) == set(report["processes"])
            assert {"target", "target_met", "seed_sla_met", "p50_ratio"} <= set(row)
    # /rate beside plain Temporal running the same activities.
    simple_rate = next(r for r in rows if (r["tier"], r["endpoint"]) == ("simple", "rate"))
    assert set(simple_rate["vs_plain"]) == {"throughput_ratio", "p50_overhead_ms", "cpu_ratio"}
    # CPU per run, per process and in total (without the engine and the load generator).
    cpu = simple_rate["cpu_ms_per_run"]
    assert set(cpu) == {*report["processes"], "total"}
    assert cpu["total"] == pytest.approx(
        sum(ms for name, ms in cpu.items() if name not in ("total", "engine")), abs=0.5
    )
    assert "plain Temporal, same activities" in done.stdout
    # ... and beside the same work written by hand (bench.limit).
    medium_rate = next(r for r in rows if (r["tier"], r["endpoint"]) == ("medium", "rate"))
    assert medium_rate["vs_limit"] > 0
    assert "limit: the same work by hand" in done.stdout

    # The stack it started is gone: no child of it outlives the run (a pid reused
    # since then belongs to another kind of process).
    for pid in report["processes"].values():
        with contextlib.suppress(psutil.NoSuchProcess):
            assert role_of(psutil.Process(pid)) is None, pid
