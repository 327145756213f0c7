"""The one typed settings tree, read from the environment (prefix ``IRX_``).

Loaded once by :func:`get_settings`, never at import time. Nested groups use a
double underscore: ``IRX_TEMPORAL__ADDRESS``, ``IRX_BLOBS__ROOT``... The database
URL also answers to the conventional ``DATABASE_URL``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class TemporalSettings(BaseModel):
    address: str = "127.0.0.1:7233"
    namespace: str = "default"
    task_queue: str = "irx-rating"
    api_key: SecretStr | None = None
    tls: bool = False


class WorkerSettings(BaseModel):
    # Off by default: the rating workflow is proven deterministic by replay
    # tests, and the sandbox roughly doubles the cost of each workflow task.
    sandboxed: bool = False
    max_concurrent_activities: int = 200
    max_concurrent_local_activities: int = 200
    max_concurrent_workflow_tasks: int = 100


class BlobSettings(BaseModel):
    # Documents larger than this leave Temporal history for the blob store
    # (claim check); well under Temporal's 2 MB payload limit, since a workflow
    # task may complete several step results at once.
    inline_threshold_bytes: int = 128 * 1024
    backend: str = "disk"
    root: Path = Path(".irx/blobs")
    s3_bucket: str | None = None
    s3_prefix: str = "payloads/"
    s3_endpoint_url: str | None = None
    s3_region: str | None = None


class ApiSettings(BaseModel):
    host: str = "127.0.0.1"
    port: int = 8000
    # Run a worker inside the API process: the API then starts workflows
    # eagerly, handing the first workflow task straight to its own worker.
    embedded_worker: bool = False
    # Seconds the sync rate call waits for its workflow before answering 408.
    sync_timeout_s: float = 55.0
    config_cache_ttl_s: float = 5.0


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IRX_", env_nested_delimiter="__", extra="ignore")

    database_url: str = Field(
        default="sqlite+aiosqlite:///.irx/irx.db",
        validation_alias=AliasChoices("DATABASE_URL", "IRX_DATABASE_URL"),
    )
    # Redis for state shared across processes (circuit breakers, event streams);
    # everything degrades to in-process state without it.
    redis_url: str | None = None
    db_pool_size: int = 10
    db_max_overflow: int = 10
    temporal: TemporalSettings = TemporalSettings()
    worker: WorkerSettings = WorkerSettings()
    blobs: BlobSettings = BlobSettings()
    api: ApiSettings = ApiSettings()
    log_level: str = "INFO"
    # Python modules that register extra step types (plugins), imported by
    # every process that validates or runs flows.
    step_modules: list[str] = []


@lru_cache
def get_settings() -> Settings:
    """The process's settings, read from the environment on first use."""
    return Settings()
