"""The workspace end to end in headless Chromium (tests/workspace/journey.mjs): an analyst
signs in, edits a rule in a draft, tests it on the sample request, analyses its impact on
the day's live ratings, publishes it, finds the audit entry and opens the test run.

Needs Debian's chromium and the npm tools of `make tools` (playwright-core, axe-core); CI
installs both (.ci/run). ``IRX_WORKSPACE_SHOTS`` keeps the screenshots in a directory of
your choice (docs/images holds the ones docs/workspace.md shows).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Stack, serve_api

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parents[2]
JOURNEY = Path(__file__).with_name("journey.mjs")
NODE_MODULES = ROOT / ".tools" / "npm" / "node_modules"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def missing() -> str | None:
    """Why the journey cannot run here, or None."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not Path(CHROMIUM).exists():
        return "Debian's chromium is not installed (apt-get install chromium)"
    for tool in ("playwright-core", "axe-core"):
        if not (NODE_MODULES / tool).is_dir():
            return f"{tool} is not installed in .tools/npm (make tools)"
    return None


def request(i: int, sample: dict[str, Any]) -> dict[str, Any]:
    """Rating I of the day: NY or CA, built before 1950 or not (docs/examples/rate-change.sh)."""
    document: dict[str, Any] = json.loads(json.dumps(sample))
    document["quote"]["id"] = f"Q-{i}"
    document["insured"]["address"]["state"] = "NY" if i % 2 == 0 else "CA"
    document["building"]["yearBuilt"] = 1938 if i % 4 < 2 else 1990
    return document


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where the journey saves its screenshots."""
    kept = Path(os.environ.get("IRX_WORKSPACE_SHOTS") or tmp_path)
    kept.mkdir(parents=True, exist_ok=True)
    return kept


async def test_an_analyst_changes_a_rate_from_the_browser(
    stack: Stack, example_request: bytes, shots: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if reason := missing():
        pytest.skip(reason)
    sample = json.loads(example_request)
    # The day's live ratings the impact analysis re-rates; the first is the sample's own.
    for i in range(8):
        rated = await stack.http.post(
            "/api/v1/IMCE/rate", json=request(i, sample), headers=stack.headers
        )
        assert rated.status_code == 200, rated.text
    live = await stack.http.post("/api/v1/IMCE/rate", json=sample, headers=stack.headers)
    monkeypatch.setattr(stack.services.settings.api, "temporal_ui_url", "http://127.0.0.1:8233")
    async with serve_api(stack.app, stack.settings) as url:
        env = {
            **os.environ,
            "IRX_URL": url,
            "IRX_KEY": stack.demo.api_key,
            "IRX_SAMPLE": str(ROOT / "docs/examples/IMCE-rate-request.json"),
            "IRX_BASELINE": str(live.json()["result"]["premium"]),
            "IRX_SHOTS": str(shots),
            "IRX_NODE_MODULES": str(NODE_MODULES),
            "IRX_CHROMIUM": CHROMIUM,
        }
        node = await asyncio.create_subprocess_exec(
            "node",
            str(JOURNEY),
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output, _ = await asyncio.wait_for(node.communicate(), timeout=300)
    log = output.decode()
    print(log)
    assert node.returncode == 0, log
    for page in ("sign-in", "products", "rule", "test", "impact", "publish", "audit"):
        assert (shots / f"workspace-{page}.png").stat().st_size > 10_000, page
    # What the browser did, the API agrees with.
    versions = await stack.http.get(
        "/api/v1/products/IMCE/flows/rate/versions", headers=stack.headers
    )
    assert [v["status"] for v in versions.json() if v["version"] == 2] == ["published"]
    audit = await stack.http.get("/api/v1/audit-log?action=PUBLISH", headers=stack.headers)
    reasons = [e["changes"]["after"]["reason"] for e in audit.json()["items"]]
    assert "NY building age surcharge 1.20" in reasons
