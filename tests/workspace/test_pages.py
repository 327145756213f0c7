"""The workspace's page and assets, as the API serves them at /workspace: a strict CSP,
no inline script, hashed assets cached for good, the app's own routes answered by its page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from api.routes.workspace import CSP
from tests.conftest import Stack

DIST = Path(__file__).parents[2] / "workspace" / "dist"


async def test_the_page_is_served_with_a_strict_policy_and_no_inline_script(stack: Stack) -> None:
    for path in ("/workspace", "/workspace/", "/workspace/products/IMCE/rules"):
        page = await stack.http.get(path)
        assert page.status_code == 200, path
        assert page.headers["content-type"].startswith("text/html")
        assert page.headers["content-security-policy"] == CSP
        assert page.headers["cache-control"] == "no-cache"
        assert page.headers["x-frame-options"] == "DENY"
        assert page.text == (DIST / "index.html").read_text()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page.text, re.S)
    assert scripts
    assert all('src="/workspace/assets/' in attrs and not body.strip() for attrs, body in scripts)
    assert "<style" not in page.text
    assert "http" not in re.sub(r'(src|href)="/workspace/[^"]*"', "", page.text.split("<head>")[1])
    assert "default-src 'self'" in CSP
    assert "script-src 'self';" in CSP
    assert "frame-ancestors 'none'" in CSP


async def test_hashed_assets_are_cached_for_a_year_and_a_stale_one_is_not_the_page(
    stack: Stack,
) -> None:
    page = (await stack.http.get("/workspace/")).text
    for asset in re.findall(r'(?:src|href)="(/workspace/assets/[^"]+)"', page):
        answer = await stack.http.get(asset)
        assert answer.status_code == 200, asset
        assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert answer.headers["content-security-policy"] == CSP
    stale = await stack.http.get("/workspace/assets/index-00000000.js")
    assert stale.status_code == 404
    # A path outside the build is one of the app's routes, never a file of the server.
    escaped = await stack.http.get("/workspace/..%2F..%2Fpyproject.toml")
    assert escaped.status_code == 200
    assert "[project]" not in escaped.text


async def test_config_names_the_web_ui_and_an_unbuilt_workspace_says_so(
    stack: Stack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = stack.services.settings.api
    monkeypatch.setattr(api, "temporal_ui_url", "http://127.0.0.1:8233")
    config = await stack.http.get("/workspace/config.json")
    assert config.json() == {"temporalUiUrl": "http://127.0.0.1:8233"}
    assert config.headers["content-security-policy"] == CSP
    monkeypatch.setattr(api, "workspace_dir", tmp_path)
    missing = await stack.http.get("/workspace/")
    assert missing.status_code == 404
    assert "make workspace-check" in missing.text
