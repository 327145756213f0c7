"""A Temporal dev server with its Web UI, and headless Chromium to read the UI with."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from tests.conftest import free_port, start_dev_server

# The flags the issue names; --dump-dom prints the page once the SPA has settled
# within the virtual-time budget (timers run fast, fetches hold the clock).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
)


@dataclass
class WebUi:
    """The dev server's Web UI and a headless Chromium that renders its pages."""

    base_url: str
    chromium: str
    profile: Path

    async def dom(self, path: str, budget_ms: int = 10_000, timeout_s: float = 30) -> str:
        """The DOM of one UI page after its scripts ran (``path`` starts with /)."""
        proc = await asyncio.create_subprocess_exec(
            self.chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={self.profile}",
            f"--virtual-time-budget={budget_ms}",
            "--dump-dom",
            self.base_url + path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            out, err = await asyncio.wait_for(proc.communicate(), timeout_s)
        except TimeoutError:
            proc.kill()
            await proc.wait()
            raise AssertionError(f"chromium did not render {path} within {timeout_s} s") from None
        assert proc.returncode == 0, f"chromium failed on {path}: {err.decode()[-2000:]}"
        return out.decode()


@pytest.fixture(scope="session")
def ui_port() -> int:
    return free_port()


@pytest.fixture(scope="session")
async def temporal_env(ui_port: int) -> AsyncIterator[WorkflowEnvironment]:
    """The tests/conftest.py dev server, with its Web UI on a free port."""
    env = await start_dev_server(ui_port)
    yield env
    await env.shutdown()


@pytest.fixture(scope="session")
def temporal_client(temporal_env: WorkflowEnvironment) -> Client:
    """This directory's client, of the server with the UI: the root conftest's, a session
    fixture, may already be bound to the other server when the whole suite runs."""
    return temporal_env.client


def chromium_path() -> str:
    """Debian's chromium (``.ci/run`` installs it): missing fails in CI, skips elsewhere."""
    found = shutil.which("chromium")
    if found is None:
        message = "chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI requires it")
        pytest.skip(message)
    return found


@pytest.fixture
async def web_ui(temporal_env: WorkflowEnvironment, ui_port: int, tmp_path: Path) -> WebUi:
    chromium = chromium_path()
    base_url = f"http://127.0.0.1:{ui_port}"
    async with httpx.AsyncClient() as http:
        for _ in range(100):  # the UI comes up beside the server, maybe a little later
            try:
                if (await http.get(base_url + "/")).status_code < 500:
                    break
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
        else:
            raise AssertionError(f"the Temporal Web UI did not answer on {base_url}")
    return WebUi(base_url, chromium, tmp_path / "chromium-profile")
