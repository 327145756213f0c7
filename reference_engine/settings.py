"""Settings of the reference rating engine (prefix ``IRX_ENGINE_``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from reference_engine.xml_reader import MAX_XML_BYTES


class EngineSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IRX_ENGINE_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8100
    latency_ms: int = 0
    latency_jitter_ms: int = 0
    failure_rate: float = 0.0
    seed: int | None = None
    # JSON {product: table} loaded at start, beside the built-in IMCE and BOP tables.
    tables_file: Path | None = None
    # JSON {product: table} that every table set through the API is written to, and
    # that is loaded at start after the tables file: such tables survive a restart.
    store_path: Path | None = None
    # The largest XML request read; the body is refused as soon as it grows past it.
    max_xml_bytes: int = MAX_XML_BYTES


@lru_cache
def get_engine_settings() -> EngineSettings:
    return EngineSettings()
