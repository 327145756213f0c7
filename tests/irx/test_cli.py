"""The ``irx`` commands that set a database up, as an operator runs them."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from irx.cli import app
from models.settings import get_settings


def test_db_upgrade_then_seed_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'irx.db'}")
    get_settings.cache_clear()
    runner = CliRunner()
    try:
        upgraded = runner.invoke(app, ["db", "upgrade"])
        assert upgraded.exit_code == 0, upgraded.output
        assert "database is at head" in upgraded.output
        seeded = runner.invoke(app, ["seed-demo", "--api-key", "irx_cli-test-key"])
        assert seeded.exit_code == 0, seeded.output
        assert "demo API key: irx_cli-test-key" in seeded.output
        again = runner.invoke(app, ["seed-demo", "--api-key", "irx_cli-test-key"])
        assert again.exit_code == 0, again.output
    finally:
        get_settings.cache_clear()
