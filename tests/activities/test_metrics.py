"""Metrics stay right when several processes serve one server (PROMETHEUS_MULTIPROC_DIR)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

ROOT = Path(__file__).resolve().parents[2]
COUNT = (
    "from infra.metrics import REQUESTS, BREAKER_STATE;"
    "REQUESTS.labels('IMCE', 'rate', 'completed', 'v1', 'live').inc();"
    "BREAKER_STATE.labels('ref-engine').set({state})"
)
EXPOSE = (
    "import sys; from infra.metrics import metrics_exposition as m; sys.stdout.buffer.write(m())"
)


def test_counters_add_up_and_gauges_keep_the_worst_across_processes(tmp_path: Path) -> None:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for state in (0, 2, 1):  # three worker processes, one sees the breaker open
        subprocess.run(
            [sys.executable, "-c", COUNT.format(state=state)], env=env, cwd=ROOT, check=True
        )
    text = subprocess.run(
        [sys.executable, "-c", EXPOSE], env=env, cwd=ROOT, check=True, capture_output=True
    ).stdout.decode()
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }
    completed = (
        ("api_version", "v1"),
        ("flow", "rate"),
        ("mode", "live"),
        ("product", "IMCE"),
        ("status", "completed"),
    )
    assert samples[("rating_request_total", completed)] == 3
    assert samples[("rating_circuit_breaker_state", (("system", "ref-engine"),))] == 2
