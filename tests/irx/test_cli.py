"""The ``irx`` commands that set a database up, as an operator runs them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from irx.cli import app
from models.settings import get_settings


def test_db_upgrade_then_seed_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'irx.db'}")
    get_settings.cache_clear()
    runner = CliRunner()
    umask = os.umask(0o022)  # irx sets its own; give the rest of the session its own back
    try:
        upgraded = runner.invoke(app, ["db", "upgrade"])
        assert upgraded.exit_code == 0, upgraded.output
        assert "database is at head" in upgraded.output
        assert (tmp_path / "irx.db").stat().st_mode & 0o077 == 0  # the owner's alone
        seeded = runner.invoke(app, ["seed-demo", "--api-key", "irx_cli-test-key"])
        assert seeded.exit_code == 0, seeded.output
        assert "demo API key: irx_cli-test-key" in seeded.output
        again = runner.invoke(app, ["seed-demo", "--api-key", "irx_cli-test-key"])
        assert again.exit_code == 0, again.output
    finally:
        os.umask(umask)
        get_settings.cache_clear()


def test_an_operator_creates_a_tenant_and_its_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'irx.db'}")
    get_settings.cache_clear()
    runner = CliRunner()
    umask = os.umask(0o022)
    try:
        assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
        org = ["--org", "acme"]
        made = runner.invoke(app, ["orgs", "create", "--slug", "acme", "--name", "Acme"])
        assert made.exit_code == 0, made.output
        assert "organization acme (standard)" in made.output
        twice = runner.invoke(app, ["orgs", "create", "--slug", "acme", "--name", "Acme"])
        assert twice.exit_code == 1
        assert "RESOURCE_CONFLICT" in twice.output
        created = runner.invoke(
            app,
            ["keys", "create", *org, "--name", "partner", "--scopes", "rate,config:read"],
        )
        assert created.exit_code == 0, created.output
        key_id, _, key = created.output.strip().partition(": ")
        key_id = key_id.split()[1]
        assert key.startswith("irx_")
        listed = runner.invoke(app, ["keys", "list", *org])
        assert key_id in listed.output
        assert key not in listed.output  # shown once, never again
        assert "active" in listed.output
        for _ in range(4):  # the standard plan allows five keys
            assert runner.invoke(app, ["keys", "create", *org, "--name", "k"]).exit_code == 0
        over = runner.invoke(app, ["keys", "create", *org, "--name", "k"])
        assert over.exit_code == 1
        assert "PLAN_LIMIT_EXCEEDED" in over.output
        revoked = runner.invoke(app, ["keys", "revoke", key_id, *org])
        assert revoked.exit_code == 0, revoked.output
        assert "revoked" in runner.invoke(app, ["keys", "list", *org]).output
    finally:
        os.umask(umask)
        get_settings.cache_clear()
