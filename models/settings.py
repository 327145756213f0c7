"""The one typed settings tree, read from the environment (prefix ``IRX_``).

Loaded once by :func:`get_settings`, never at import time. Nested groups use a
double underscore: ``IRX_TEMPORAL__ADDRESS``, ``IRX_BLOBS__ROOT``... The database
URL also answers to the conventional ``DATABASE_URL``.
"""

from __future__ import annotations

import calendar
import ipaddress
import os
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, BaseModel, Field, RedisDsn, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError


class TemporalSettings(BaseModel):
    address: str = "127.0.0.1:7233"
    namespace: str = "default"
    # The queue a worker polls, and the API's standard pool.
    task_queue: str = "irx-rating"
    # The large-payload pool (API side): ratings of at least large_payload_bytes, or of
    # large_products, start there, so big documents get workers sized for them.
    large_task_queue: str | None = None
    large_payload_bytes: int = Field(5 * 1024 * 1024, ge=1)
    large_products: list[str] = []
    api_key: SecretStr | None = None
    tls: bool = False
    # AES-256 keys that encrypt every payload Temporal stores (workers/codec.py), in
    # the format of secret_keys: the first encrypts, all decrypt (rotation). Unset:
    # payloads are stored in clear. API and every worker need the same keys.
    payload_keys: SecretStr | None = None


class WorkerSettings(BaseModel):
    # Off by default: the rating workflow is proven deterministic by replay
    # tests, and the sandbox roughly doubles the cost of each workflow task.
    sandboxed: bool = False
    max_concurrent_activities: int = 200
    max_concurrent_local_activities: int = 200
    max_concurrent_workflow_tasks: int = 100
    # How long a run's next workflow task waits for the worker that ran its last one
    # (its sticky queue) before any worker may take it. A live worker takes it in
    # milliseconds; a dead one held it for the SDK's default 10 s, which with a step's
    # 5 s heartbeat timeout ran a run retried after a worker's loss past a 15 s timeout.
    sticky_timeout_s: float = Field(2.0, gt=0)
    # Worker versioning: a worker with both polls as this version of its deployment,
    # and runs stay pinned to the version they started on (docs/deployment.md).
    deployment_name: str | None = None
    build_id: str | None = None
    # Where `irx worker` serves /live, /ready and /metrics (unset: not served).
    health_host: str = "127.0.0.1"
    health_port: int | None = None


class BlobSettings(BaseModel):
    # Documents larger than this leave Temporal history for the blob store
    # (claim check); well under Temporal's 2 MB payload limit, since a workflow
    # task may complete several step results at once.
    inline_threshold_bytes: int = Field(128 * 1024, ge=1024, le=1024 * 1024)
    backend: Literal["disk", "s3"] = "disk"
    root: Path = Path(".irx/blobs")
    s3_bucket: str | None = None
    s3_prefix: str = "payloads/"
    s3_endpoint_url: str | None = None
    s3_region: str | None = None
    # Days the payloads Temporal's histories keep in the blob store (over 256 KiB, rare)
    # are kept: longer than the namespace's retention plus the longest run.
    temporal_payload_days: int = Field(30, ge=1)
    # Server-side encryption of every object: S3-managed keys, or KMS with a key id.
    s3_sse: Literal["AES256", "aws:kms"] = "AES256"
    s3_kms_key_id: str | None = None


class ArchiveSettings(BaseModel):
    # Days a transaction stays in the database (the hot store) before the retention
    # schedule moves it, with its kept request, to the blob store's archive, where it is
    # kept until its plan's retention ends. At or past a plan's retention: never archived.
    hot_days: int = Field(30, ge=1)


class ApiSettings(BaseModel):
    host: str = "127.0.0.1"
    port: int = 8000
    # Run a worker inside the API process: the API then starts workflows
    # eagerly, handing the first workflow task straight to its own worker.
    embedded_worker: bool = False
    # Seconds the sync rate call waits for its workflow before answering 408.
    sync_timeout_s: float = 55.0
    # Seconds a run's start may take before the caller is answered 503
    # TEMPORAL_UNAVAILABLE (Retry-After): Temporal unreachable is said at once.
    temporal_start_timeout_s: float = Field(2.0, gt=0)
    # Synchronous ratings one API process waits on at once; past it, requests are
    # shed with 503 API_OVERLOADED (Retry-After) instead of queueing without bound.
    max_inflight_ratings: int = Field(256, ge=1)
    # Runs of one product an organization may have in flight (sync ones included, in
    # every API process: counted in the transaction log) for an async rating to be
    # accepted; past it, 503 API_OVERLOADED (Retry-After).
    max_async_in_flight: int = Field(1000, ge=1)
    # How long an idempotency key names its transaction.
    idempotency_window_s: float = Field(24 * 3600, gt=0)
    # Largest body of a config write (products, flows, rules...): config documents
    # are small; the rate route has its own limit per product and plan.
    max_config_body_bytes: int = Field(1024 * 1024, ge=1024)
    # Failed authentications one client address may make per minute before it is
    # refused (429) without its keys being checked.
    auth_failures_per_minute: int = Field(30, ge=1)
    # Largest request head (request line and headers) the server buffers.
    max_header_bytes: int = Field(64 * 1024, ge=4096)
    # Seconds a connection has to deliver a complete request head (from its start, or
    # from the previous response) before it is answered 408 and closed: a slow-head
    # client must not hold a connection indefinitely.
    header_timeout_s: float = Field(10.0, gt=0)
    # Seconds a request body may stall (nothing arriving) before it is refused with 408:
    # a slow-body client must not hold a connection and its buffers indefinitely.
    body_idle_timeout_s: float = Field(10.0, gt=0)
    # Origins (the Temporal Web UI's) whose pages may call the codec server (/codec).
    codec_cors_origins: list[str] = []
    # Admit codec calls from loopback addresses without an ops key: for `irx dev`
    # only, whose Web UI cannot send one. Never behind a proxy on the same host.
    codec_trust_loopback: bool = False
    # The day /api/v2 was released: from it every /api/v1 answer says v1 is deprecated
    # (Deprecation), and when it goes (Sunset): v1_sunset, unset a year later.
    v2_released: date = date(2026, 12, 7)
    v1_sunset: date | None = None
    # The rating workspace's built assets (served at /workspace); unset, the repository's
    # workspace/dist beside the api package (a source checkout, as `make run` serves).
    workspace_dir: Path | None = None
    # The Temporal Web UI the workspace links each run to (irx dev sets its own).
    temporal_ui_url: str | None = None

    @property
    def v1_sunset_day(self) -> date:
        return self.v1_sunset or a_year_after(self.v2_released)


def a_year_after(day: date) -> date:
    # 29 February has no twin a year later: the last day of that February is taken.
    last = calendar.monthrange(day.year + 1, day.month)[1]
    return day.replace(year=day.year + 1, day=min(day.day, last))


class EgressSettings(BaseModel):
    """Which hosts system URLs may name (``engines.url_policy``), checked when a system
    is saved and, after DNS, on every call a step makes."""

    # What no tenant's system may reach: cloud metadata services, link-local addresses,
    # and the platform's own networks (loopback, private ranges: its database, Redis,
    # Temporal). An engine the operator runs inside them is named in trusted_hosts.
    deny_networks: list[str] = [
        "169.254.0.0/16",  # link-local; AWS, Azure, GCP, OpenStack metadata 169.254.169.254
        "fe80::/10",  # IPv6 link-local
        "100.100.100.200/32",  # Alibaba Cloud metadata
        "fd00:ec2::254/128",  # AWS metadata over IPv6
        "127.0.0.0/8",  # loopback
        "::1/128",
        "0.0.0.0/8",  # "this host"
        "10.0.0.0/8",  # private (RFC 1918)
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",  # carrier-grade NAT, cluster networks
        "fc00::/7",  # IPv6 unique local
    ]
    deny_hosts: list[str] = ["metadata.google.internal", "metadata"]
    # When set, systems may only name these hosts (".example.com": any host under it).
    allow_hosts: list[str] = []
    # Hosts (names or addresses) the operator runs inside the platform's network, that
    # systems may name though they resolve into a refused network: a rating engine beside
    # the platform (irx dev trusts loopback for its reference engine). Never the
    # metadata hosts.
    trusted_hosts: list[str] = []
    # The longest answer a system may send; refused as it arrives past this (bytes).
    max_response_bytes: int = Field(128 * 1024 * 1024, ge=1024)

    @field_validator("deny_networks")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for network in value:
            ipaddress.ip_network(network, strict=False)  # ValueError names the bad one
        return value


class EventSettings(BaseModel):
    # Where publish_event writes with the "file" sink, and with the "redis" sink
    # while no Redis is configured (said at start-up and in /api/v1/health).
    log_path: Path = Path(".irx/events.jsonl")
    # Delivery attempts before an event becomes a dead letter, the first retry's delay
    # (doubling, at most 5 minutes), and how often each worker's relay looks for due ones.
    max_attempts: int = Field(10, ge=1)
    retry_base_s: float = Field(2.0, gt=0)
    relay_interval_s: float = Field(1.0, gt=0)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IRX_", env_nested_delimiter="__", extra="ignore")

    # A SQLAlchemy async URL; it may hold a password, so it is a secret.
    database_url: SecretStr = Field(
        default=SecretStr("sqlite+aiosqlite:///.irx/irx.db"),
        validation_alias=AliasChoices("DATABASE_URL", "IRX_DATABASE_URL"),
    )
    # Redis for state shared across processes (circuit breakers, event streams);
    # everything degrades to in-process state without it.
    redis_url: RedisDsn | None = None
    db_pool_size: int = Field(10, ge=1)
    db_max_overflow: int = Field(10, ge=0)
    # How long API and workers trust a config read (published flows, API keys,
    # systems, mappings, rules): an edit reaches new runs within this time.
    config_cache_ttl_s: float = Field(5.0, ge=0)
    temporal: TemporalSettings = TemporalSettings()
    worker: WorkerSettings = WorkerSettings()
    blobs: BlobSettings = BlobSettings()
    archive: ArchiveSettings = ArchiveSettings()
    api: ApiSettings = ApiSettings()
    events: EventSettings = EventSettings()
    egress: EgressSettings = EgressSettings()
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # JSON lines (for log pipelines) or text; personal data is masked in both, and so
    # are the values of these field names wherever a line quotes them.
    log_format: Literal["json", "text"] = "json"
    log_mask_fields: list[str] = ["ssn", "taxId", "dateOfBirth", "password", "cardNumber"]
    # Python modules that register extra step types (plugins), imported by
    # every process that validates or runs flows.
    step_modules: list[str] = []
    # AES-256 keys that seal system credentials at rest: "id:base64key[,id:base64key]",
    # the first seals, all open (rotation). Without them no credential is stored.
    secret_keys: SecretStr | None = None

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: SecretStr) -> SecretStr:
        try:
            url = make_url(value.get_secret_value())
        except ArgumentError as exc:
            raise ValueError("not a database URL") from exc
        if url.get_backend_name() not in ("sqlite", "postgresql"):
            raise ValueError("the config store runs on SQLite or PostgreSQL")
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @property
    def database(self) -> str:
        """The database URL, in clear, for the engine."""
        return self.database_url.get_secret_value()


@lru_cache
def get_settings() -> Settings:
    """The process's settings, read from the environment on first use.

    With ``IRX_SECRETS_DIR`` set, a file there named after a variable
    (``DATABASE_URL``, ``IRX_SECRET_KEYS``, ``IRX_REDIS_URL``...) supplies its value,
    so secrets can come from a mounted volume rather than the environment (which
    child processes and crash reports see); a variable that is set still wins.
    """
    secrets_dir = os.environ.get("IRX_SECRETS_DIR")
    return Settings(_secrets_dir=secrets_dir) if secrets_dir else Settings()
