"""``irx dev`` as a user runs it: the whole stack up, a rating, then a clean stop."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

from irx.devstack import DevStack
from tests.conftest import free_port

ROOT = Path(__file__).parents[2]


async def task_pids(temporal_port: int, workflow_id: str) -> set[int]:
    """The processes that ran the run's workflow and activity tasks (their identities are
    ``pid@host``; local activities run in the workflow task's worker)."""
    client = await Client.connect(f"127.0.0.1:{temporal_port}")
    pids = set()
    async for event in client.get_workflow_handle(workflow_id).fetch_history_events():
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED:
            pids.add(int(event.workflow_task_started_event_attributes.identity.split("@")[0]))
        elif event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED:
            pids.add(int(event.activity_task_started_event_attributes.identity.split("@")[0]))
    return pids


@pytest.mark.slow  # irx dev's whole stack up, a rating, a clean stop: about 20 s
def test_dev_stack_rates_the_example_and_stops_every_child(tmp_path: Path) -> None:
    api, temporal, ui, engine = free_port(), free_port(), free_port(), free_port()
    data = tmp_path / "irx"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "irx",
            "dev",
            "--api-port",
            str(api),
            "--temporal-port",
            str(temporal),
            "--ui-port",
            str(ui),
            "--engine-port",
            str(engine),
            "--data-dir",
            str(data),
        ],
        cwd=tmp_path,
        env={**os.environ, "IRX_DEMO_API_KEY": "irx_test-demo-key"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        banner = ""
        deadline = time.monotonic() + 120
        assert proc.stdout is not None
        while "Ctrl-C stops everything." not in banner and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line and proc.poll() is not None:
                break
            banner += line
        assert "Ctrl-C stops everything." in banner, banner
        assert f"http://127.0.0.1:{api}/docs" in banner
        assert f"http://127.0.0.1:{ui}" in banner
        assert "irx_test-demo-key" in banner
        children = psutil.Process(proc.pid).children(recursive=True)
        # Temporal, the engine, the API and two workers: the topology production runs.
        workers = {c.pid for c in children if "worker" in c.cmdline()}
        assert len(workers) == 2, [c.cmdline() for c in children]
        assert len(children) >= 5

        answer = httpx.post(
            f"http://127.0.0.1:{api}/api/v1/IMCE/rate",
            content=(ROOT / "docs/examples/IMCE-rate-request.json").read_bytes(),
            headers={"X-API-Key": "irx_test-demo-key"},
            timeout=60,
        ).json()
        assert answer["status"] == "completed", answer
        assert len(answer["steps"]) == 9
        # The API serves HTTP only: the run's workflow and activity tasks ran on the workers.
        ran_on = asyncio.run(task_pids(temporal, f"rate-{answer['transactionId']}"))
        assert ran_on, "the run's history names no worker"
        assert ran_on <= workers, (ran_on, workers)
        assert httpx.get(f"http://127.0.0.1:{ui}", timeout=10).status_code == 200

        # A crashed child is restarted, not the end of the stack.
        worker = next(c for c in children if c.pid in workers)
        worker.kill()
        deadline = time.monotonic() + 30
        revived: list[psutil.Process] = []
        while not revived and time.monotonic() < deadline:
            time.sleep(0.5)
            revived = [
                c
                for c in psutil.Process(proc.pid).children(recursive=True)
                if "worker" in c.cmdline() and c.pid not in workers
            ]
        assert revived, "the worker was not restarted"
        assert proc.poll() is None
        assert "exited with -9; restarting in 1 s" in proc.stdout.readline()
        children = psutil.Process(proc.pid).children(recursive=True)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        assert proc.stdout is not None
        proc.stdout.close()
    assert proc.returncode == 0
    assert not [c for c in children if c.is_running() and c.status() != psutil.STATUS_ZOMBIE]
    assert (data / "temporal.db").exists()
    assert (data / "irx.db").exists()


def test_the_config_store_is_a_sqlite_file_unless_a_database_url_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable in ("IRX_DATABASE_URL", "DATABASE_URL"):
        monkeypatch.delenv(variable, raising=False)
    assert DevStack(data_dir=tmp_path).database_url == f"sqlite+aiosqlite:///{tmp_path / 'irx.db'}"
    postgres = "postgresql+asyncpg://postgres@127.0.0.1:5432/irx_dev"
    monkeypatch.setenv("DATABASE_URL", postgres)
    assert DevStack(data_dir=tmp_path).database_url == postgres


def test_the_reference_engine_keeps_its_tables_in_the_data_dir(tmp_path: Path) -> None:
    stack = DevStack(data_dir=tmp_path)
    kept = stack.engine_env({"IRX_ENGINE_PORT": "8100"})
    assert kept["IRX_ENGINE_STORE_PATH"] == str(tmp_path / "engine-tables.json")
    elsewhere = stack.engine_env({"IRX_ENGINE_STORE_PATH": "/srv/tables.json"})
    assert elsewhere["IRX_ENGINE_STORE_PATH"] == "/srv/tables.json"
