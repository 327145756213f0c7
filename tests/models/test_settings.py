"""Settings from the environment, and secrets from files in IRX_SECRETS_DIR."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.settings import get_settings


def test_secrets_come_from_files_and_the_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "DATABASE_URL").write_text("postgresql+asyncpg://irx:pw@db:5432/irx")
    (tmp_path / "IRX_SECRET_KEYS").write_text("k1:" + "A" * 43)
    (tmp_path / "IRX_REDIS_URL").write_text("redis://redis:6379/0")
    for name in ("DATABASE_URL", "IRX_DATABASE_URL", "IRX_SECRET_KEYS", "IRX_REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("IRX_SECRETS_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        settings = get_settings()
        assert settings.database == "postgresql+asyncpg://irx:pw@db:5432/irx"
        assert settings.secret_keys is not None
        assert settings.secret_keys.get_secret_value() == "k1:" + "A" * 43
        assert str(settings.redis_url) == "redis://redis:6379/0"
        monkeypatch.setenv("IRX_REDIS_URL", "redis://elsewhere:6379/1")
        get_settings.cache_clear()
        assert str(get_settings().redis_url) == "redis://elsewhere:6379/1"
    finally:
        get_settings.cache_clear()
