"""The config store's tables: the whole domain model of the spec.

Every tenant-owned row carries ``organization_id``; queries are always scoped
by it. JSON columns become JSONB on PostgreSQL.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, DateTime, Index, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

JSONType = JSON().with_variant(JSONB(), "postgresql")


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


def _json(nullable: bool = False) -> Any:
    return Field(default=None, sa_column=Column(JSONType, nullable=nullable))


def _now() -> Any:
    """A timestamp column set when the row is created."""
    return Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))


def _ts(nullable: bool = False, index: bool = False) -> Any:
    return Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=nullable, index=index),
    )


class OrganizationRow(SQLModel, table=True):
    __tablename__ = "organizations"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    slug: str = Field(unique=True, max_length=100)
    name: str = Field(max_length=255)
    status: str = Field(default="active", max_length=20)
    plan: str = Field(default="standard", max_length=20)
    # Overrides the plan's requests per minute (an enterprise plan's "custom" rate).
    requests_per_minute: int | None = None
    created_at: datetime = _now()
    updated_at: datetime = _now()


class ApiKeyRow(SQLModel, table=True):
    __tablename__ = "api_keys"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    organization_id: str = Field(foreign_key="organizations.id", index=True, max_length=36)
    name: str = Field(max_length=255)
    prefix: str = Field(max_length=16)
    key_hash: str = Field(unique=True, max_length=64)
    scopes: list[str] = Field(default_factory=list, sa_column=Column(JSONType, nullable=False))
    allowed_products: list[str] | None = _json(nullable=True)
    api_version: str | None = Field(default=None, max_length=10)
    expires_at: datetime | None = _ts(nullable=True)
    revoked_at: datetime | None = _ts(nullable=True)
    created_at: datetime = _now()


class SystemRow(SQLModel, table=True):
    __tablename__ = "systems"
    __table_args__ = (UniqueConstraint("organization_id", "code"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    organization_id: str = Field(foreign_key="organizations.id", index=True, max_length=36)
    code: str = Field(max_length=100)
    name: str = Field(max_length=255)
    kind: str = Field(max_length=30)
    protocol: str = Field(default="json", max_length=10)
    base_url: str = Field(max_length=1000)
    auth: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType))
    timeout_ms: int = 10_000
    circuit_breaker: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType))
    # Simulations (models.systems.SimulationSettings): allowed at all, where they go, how
    # many at once per worker.
    simulation: bool = True
    simulation_base_url: str | None = Field(default=None, max_length=1000)
    simulation_max_concurrency: int | None = None
    revision: int = 1
    created_at: datetime = _now()
    updated_at: datetime = _now()


class ProductRow(SQLModel, table=True):
    __tablename__ = "products"
    __table_args__ = (UniqueConstraint("organization_id", "code"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    organization_id: str = Field(foreign_key="organizations.id", index=True, max_length=36)
    code: str = Field(max_length=50)
    name: str = Field(max_length=255)
    description: str = Field(default="")
    source_system: str | None = Field(default=None, max_length=100)
    target_system: str | None = Field(default=None, max_length=100)
    max_payload_bytes: int = Field(
        default=10 * 1024 * 1024, sa_column=Column(BigInteger, nullable=False)
    )
    timeout_ms: int = 30_000
    request_schema: dict[str, Any] | None = _json(nullable=True)
    engine_tables: dict[str, Any] | None = _json(nullable=True)
    # Where a rating request carries the date that picks its flow version (None: today).
    effective_date_path: str | None = Field(default=None, max_length=500)
    status: str = Field(default="active", max_length=20)
    revision: int = 1
    created_at: datetime = _now()
    updated_at: datetime = _now()


class FlowRow(SQLModel, table=True):
    """The orchestrator of one product endpoint; its steps live in versions."""

    __tablename__ = "flows"
    __table_args__ = (UniqueConstraint("product_id", "endpoint"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    organization_id: str = Field(foreign_key="organizations.id", index=True, max_length=36)
    product_id: str = Field(foreign_key="products.id", index=True, max_length=36)
    endpoint: str = Field(max_length=100)
    name: str = Field(max_length=255)
    created_at: datetime = _now()


class FlowVersionRow(SQLModel, table=True):
    """draft -> published -> archived; published versions never change."""

    __tablename__ = "flow_versions"
    __table_args__ = (UniqueConstraint("flow_id", "version"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    flow_id: str = Field(foreign_key="flows.id", index=True, max_length=36)
    version: int
    status: str = Field(default="draft", max_length=20)
    steps: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSONType, nullable=False)
    )
    change_description: str = Field(default="")
    batch_local_steps: bool = False
    revision: int = 1  # a draft's ETag (published versions never change)
    # The product's mappings and rules as published (models.pins.PinnedConfig);
    # None for drafts and for versions published before pinning existed.
    pinned: dict[str, Any] | None = _json(nullable=True)
    created_by: str | None = Field(default=None, max_length=36)
    published_by: str | None = Field(default=None, max_length=36)
    published_at: datetime | None = _ts(nullable=True)
    # The first date this published version rates (None: every date up to the next one's).
    effective_from: date | None = None
    created_at: datetime = _now()


class MappingRow(SQLModel, table=True):
    __tablename__ = "mappings"
    __table_args__ = (UniqueConstraint("product_id", "name"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    organization_id: str = Field(foreign_key="organizations.id", index=True, max_length=36)
    product_id: str = Field(foreign_key="products.id", index=True, max_length=36)
    name: str = Field(max_length=255)
    direction: str = Field(max_length=10)
    revision: int = 1
    fields: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSONType, nullable=False)
    )
    created_at: datetime = _now()
    updated_at: datetime = _now()


class RuleRow(SQLModel, table=True):
    __tablename__ = "rules"
    __table_args__ = (
        UniqueConstraint("product_id", "name"),
        Index("ix_rules_product_phase", "product_id", "phase"),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    organization_id: str = Field(foreign_key="organizations.id", index=True, max_length=36)
    product_id: str = Field(foreign_key="products.id", max_length=36)
    name: str = Field(max_length=255)
    phase: str = Field(max_length=20)
    priority: int = 100
    for_each: str | None = Field(default=None, max_length=500)
    scope: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType))
    conditions: list[Any] = Field(default_factory=list, sa_column=Column(JSONType))
    actions: list[Any] = Field(default_factory=list, sa_column=Column(JSONType))
    active: bool = True
    effective_from: date | None = None
    effective_to: date | None = None
    revision: int = 1
    created_at: datetime = _now()
    updated_at: datetime = _now()


class TransactionRow(SQLModel, table=True):
    """One rating run. The Temporal workflow id is ``rate-{id}``."""

    __tablename__ = "transactions"
    __table_args__ = (
        Index("ix_transactions_org_started", "organization_id", "started_at"),
        Index("ix_transactions_org_product_status", "organization_id", "product_code", "status"),
        Index("ix_transactions_org_correlation", "organization_id", "correlation_id"),
        # One transaction per idempotency key and organization (NULLs never clash).
        Index("ux_transactions_org_idempotency", "organization_id", "idempotency_key", unique=True),
        Index("ux_transactions_org_chain", "organization_id", "chain_seq", unique=True),
        Index("ix_transactions_org_replay_of", "organization_id", "replay_of"),
    )

    id: str = Field(primary_key=True, max_length=36)
    organization_id: str = Field(foreign_key="organizations.id", max_length=36)
    api_key_id: str | None = Field(default=None, max_length=36)
    correlation_id: str = Field(max_length=128)
    idempotency_key: str | None = Field(default=None, max_length=255)
    product_code: str = Field(max_length=50)
    endpoint: str = Field(max_length=100)
    flow_version: int
    flow_version_id: str = Field(max_length=36)
    status: str = Field(default="running", max_length=20)
    # live, or simulation: a run that publishes nothing and is not chained (a draft, a
    # version not in force, a re-rating, an impact analysis, a challenger).
    mode: str = Field(default="live", max_length=20)
    request_hash: str = Field(max_length=64)
    # The transaction this one re-runs (a quarantined document's replay), if any.
    replay_of: str | None = Field(default=None, max_length=36)
    # The organization's hash chain of transactions (store/transaction_chain.py).
    chain_seq: int | None = Field(default=None, sa_column=Column(BigInteger))
    chain_hash: str | None = Field(default=None, max_length=64)
    request_bytes: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    response_bytes: int | None = Field(default=None, sa_column=Column(BigInteger))
    request_ref: str | None = Field(default=None, max_length=500)
    # A request kept inline (no request_ref): sealed when a keyring is configured
    # (store.kept_requests), so any past rating can be run again.
    request_kept: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    result: Any = _json(nullable=True)
    result_ref: str | None = Field(default=None, max_length=500)
    error: dict[str, Any] | None = _json(nullable=True)
    steps: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSONType, nullable=False)
    )
    started_at: datetime = _now()
    completed_at: datetime | None = _ts(nullable=True)
    duration_ms: float | None = None


class AuditRow(SQLModel, table=True):
    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_entity", "entity_type", "entity_id"),
        Index("ix_audit_org_created", "organization_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: str | None = Field(default=None, max_length=36)
    actor: str | None = Field(default=None, max_length=100)
    action: str = Field(max_length=50)
    entity_type: str = Field(max_length=50)
    entity_id: str = Field(max_length=36)
    entity_name: str | None = Field(default=None, max_length=255)
    changes: dict[str, Any] | None = _json(nullable=True)
    correlation_id: str | None = Field(default=None, max_length=128)
    ip_address: str | None = Field(default=None, max_length=64)
    user_agent: str | None = None
    created_at: datetime = _now()


class QuarantineRow(SQLModel, table=True):
    """A document a step refused as invalid, kept with why, for operators to inspect."""

    __tablename__ = "quarantine"
    __table_args__ = (Index("ix_quarantine_org_created", "organization_id", "created_at"),)

    id: str = Field(primary_key=True, max_length=120)
    organization_id: str = Field(foreign_key="organizations.id", max_length=36)
    transaction_id: str = Field(index=True, max_length=36)
    product_code: str = Field(max_length=50)
    step: str = Field(max_length=100)
    code: str = Field(max_length=50)
    reason: str
    details: dict[str, Any] | None = _json(nullable=True)
    document_ref: str = Field(max_length=500)
    document_bytes: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    created_at: datetime = _now()


class EventOutboxRow(SQLModel, table=True):
    """An event a completed run owes its sink, written with the run's outcome.

    ``pending`` until the relay delivers it (``delivered``) or gives up after its
    attempts (``dead``: the dead-letter store, replayed by operators with its id).
    """

    __tablename__ = "event_outbox"
    __table_args__ = (Index("ix_event_outbox_due", "status", "next_attempt_at"),)

    id: str = Field(primary_key=True, max_length=36)  # the event id consumers de-duplicate on
    organization_id: str = Field(foreign_key="organizations.id", max_length=36)
    transaction_id: str = Field(index=True, max_length=36)
    sink: dict[str, Any] = _json()
    event: dict[str, Any] = _json()
    status: str = Field(default="pending", max_length=20)
    attempts: int = 0
    last_error: str | None = None
    next_attempt_at: datetime = _now()
    claimed_until: datetime | None = _ts(nullable=True)
    created_at: datetime = _now()
    delivered_at: datetime | None = _ts(nullable=True)


class ImpactRunRow(SQLModel, table=True):
    """An impact analysis (``models.impact``): its question, progress and answer. Its
    Temporal workflow id is ``impact-{id}``."""

    __tablename__ = "impact_runs"
    __table_args__ = (Index("ix_impact_runs_org_created", "organization_id", "created_at"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    organization_id: str = Field(foreign_key="organizations.id", max_length=36)
    product_code: str = Field(max_length=50)
    endpoint: str = Field(max_length=100)
    candidate_version: int
    candidate_version_id: str = Field(max_length=36)
    baseline: str = Field(max_length=20)  # "published" or a version number
    window_from: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    window_to: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    limit: int
    statuses: list[str] = Field(default_factory=list, sa_column=Column(JSONType, nullable=False))
    group_by: list[str] = Field(default_factory=list, sa_column=Column(JSONType, nullable=False))
    premium_path: str = Field(max_length=500)
    status: str = Field(default="running", max_length=20)
    total: int | None = None
    done: int = 0
    summary: dict[str, Any] | None = _json(nullable=True)
    groups: list[dict[str, Any]] | None = _json(nullable=True)
    largest: list[dict[str, Any]] | None = _json(nullable=True)
    error: str | None = Field(default=None, max_length=2000)
    created_by: str | None = Field(default=None, max_length=36)
    created_at: datetime = _now()
    completed_at: datetime | None = _ts(nullable=True)


class ImpactItemRow(SQLModel, table=True):
    """One past transaction an impact analysis re-rates, and what came of it."""

    __tablename__ = "impact_items"

    impact_run_id: str = Field(foreign_key="impact_runs.id", primary_key=True, max_length=36)
    seq: int = Field(primary_key=True)
    transaction_id: str = Field(max_length=36)
    rerate_id: str | None = Field(default=None, max_length=36)
    status_before: str = Field(max_length=20)
    status_after: str | None = Field(default=None, max_length=20)
    premium_before: float | None = None
    premium_after: float | None = None
    delta_pct: float | None = None
    difference_count: int | None = None
    error_code: str | None = Field(default=None, max_length=64)
    groups: list[Any] | None = _json(nullable=True)


class ChallengerRow(SQLModel, table=True):
    """A product endpoint's challenger: the version a sample of its live ratings is re-rated
    under, resolved when it was put (a draft's steps as they were then)."""

    __tablename__ = "challengers"
    __table_args__ = (UniqueConstraint("organization_id", "product_code", "endpoint"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    organization_id: str = Field(foreign_key="organizations.id", max_length=36)
    product_code: str = Field(max_length=50)
    endpoint: str = Field(max_length=100)
    asked: str = Field(max_length=20)  # "draft" or the version number asked for
    version: int
    flow: dict[str, Any] = Field(sa_column=Column(JSONType, nullable=False))  # FlowSpec
    timeout_ms: int
    sample: float
    premium_path: str = Field(max_length=500)
    created_by: str | None = Field(default=None, max_length=36)
    created_at: datetime = _now()


class ChallengerResultRow(SQLModel, table=True):
    """A live rating compared with its challenger's re-rating."""

    __tablename__ = "challenger_results"
    __table_args__ = (
        Index("ix_challenger_results_org_flow", "organization_id", "product_code", "endpoint"),
    )

    challenger_transaction_id: str = Field(primary_key=True, max_length=36)
    organization_id: str = Field(foreign_key="organizations.id", max_length=36)
    product_code: str = Field(max_length=50)
    endpoint: str = Field(max_length=100)
    transaction_id: str = Field(max_length=36)
    version: int
    status_before: str = Field(max_length=20)
    status_after: str | None = Field(default=None, max_length=20)
    premium_before: float | None = None
    premium_after: float | None = None
    delta_pct: float | None = None
    created_at: datetime = _now()
