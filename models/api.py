"""Request and response schemas of the public API (camelCase on the wire)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel

from models.flow import StepDraft
from models.rating import StepRecord
from models.systems import AuthSpec, BreakerSettings

PRODUCT_CODE = r"^[A-Za-z0-9_-]{1,50}$"
ENDPOINT = r"^[A-Za-z0-9_.-]{1,100}$"


def reject_nul(value: Any) -> Any:
    """Refuses NUL characters anywhere in a body: no database can store them in text."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("text must not contain NUL characters")
    elif isinstance(value, dict):
        for key, item in value.items():
            reject_nul(key)
            reject_nul(item)
    elif isinstance(value, list):
        for item in value:
            reject_nul(item)
    return value


class NoNul(BaseModel):
    """Mixed into request bodies: refuses NUL characters with a clear 400."""

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        return reject_nul(value)


class ApiModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class RateResponse(ApiModel):
    transaction_id: str
    status: Literal["running", "completed", "failed"]
    product_code: str
    endpoint: str
    flow_version: int
    result: Any = None
    error: dict[str, Any] | None = None
    steps: list[StepRecord] = Field(default_factory=list)
    duration_ms: float | None = None


class TransactionPublic(RateResponse):
    correlation_id: str
    request_hash: str
    request_bytes: int
    response_bytes: int | None = None
    workflow_id: str
    started_at: datetime
    completed_at: datetime | None = None


class ProductCreate(ApiModel, NoNul):
    code: str = Field(pattern=PRODUCT_CODE)
    name: str = Field(min_length=1, max_length=255)
    description: str = ""
    source_system: str | None = None
    target_system: str | None = None
    max_payload_bytes: int = Field(10 * 1024 * 1024, ge=1, le=100 * 1024 * 1024)
    timeout_ms: int = Field(30_000, ge=100, le=600_000)
    request_schema: dict[str, Any] | None = None


class ProductPublic(ProductCreate):
    id: str
    status: str
    created_at: datetime
    updated_at: datetime


class FlowVersionCreate(ApiModel, NoNul):
    steps: list[StepDraft]
    batch_local_steps: bool = Field(
        False, description="Run consecutive local steps in one local activity (lower latency)."
    )
    name: str | None = None
    change_description: str = ""


class FlowVersionPublic(ApiModel):
    product_code: str
    endpoint: str
    version: int
    status: str
    steps: list[dict[str, Any]]
    batch_local_steps: bool = False
    change_description: str
    published_at: datetime | None
    created_at: datetime


class SystemCreate(ApiModel, NoNul):
    code: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,100}$")
    name: str = Field(min_length=1, max_length=255)
    kind: Literal["rating_engine", "enrichment", "event_sink", "source"]
    protocol: Literal["json", "xml"] = "json"
    base_url: AnyHttpUrl
    auth: AuthSpec = Field(default_factory=AuthSpec)
    timeout_ms: int = Field(10_000, ge=10, le=600_000)
    circuit_breaker: BreakerSettings = Field(default_factory=BreakerSettings)


class SystemPublic(ApiModel):
    id: str
    code: str
    name: str
    kind: str
    protocol: str
    base_url: str
    timeout_ms: int
    created_at: datetime


class StepTypePublic(ApiModel):
    name: str
    description: str
    local: bool
    timeout_ms: int
    config_schema: dict[str, Any]


class TransactionSummary(ApiModel):
    transaction_id: str
    status: str
    product_code: str
    endpoint: str
    flow_version: int
    correlation_id: str
    error_code: str | None = None
    duration_ms: float | None = None
    started_at: datetime
    completed_at: datetime | None = None


class Page(ApiModel):
    """One page of a listing, with links to its neighbours."""

    items: list[TransactionSummary]
    page: int
    page_size: int
    total: int
    links: dict[str, str | None]
