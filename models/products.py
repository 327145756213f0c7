"""A product line: its limits and request schema."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from models.base import CamelModel, NoNul, UtcDateTime
from models.flow import KEY_PATH

PRODUCT_CODE = r"^[A-Za-z0-9_-]{1,50}$"


class ProductBase(CamelModel):
    name: str = Field(min_length=1, max_length=255)
    description: str = Field("", max_length=10_000)
    source_system: str | None = Field(None, max_length=100)
    target_system: str | None = Field(None, max_length=100)
    max_payload_bytes: int = Field(10 * 1024 * 1024, ge=1, le=100 * 1024 * 1024)
    timeout_ms: int = Field(30_000, ge=100, le=600_000)
    request_schema: dict[str, Any] | None = None
    engine_tables: dict[str, dict[str, Any]] | None = Field(
        None,
        description="Rating tables the product's rating engine uses, by the engine's product "
        "name; carried in the product's export so a product moves between environments "
        "whole; the reference engine loads them (POST /v1/tables/import).",
    )
    effective_date_path: str | None = Field(
        None,
        max_length=500,
        pattern=KEY_PATH.pattern,
        description="Dotted path of object keys to the rating request's date (an ISO date or "
        "date-time, e.g. `quote.effectiveDate`): the flow version in force on that date rates "
        "the request. Unset, or absent from a request: today's date (UTC).",
    )


class ProductCreate(ProductBase, NoNul):
    code: str = Field(pattern=PRODUCT_CODE)


class ProductWrite(ProductBase, NoNul):
    """A replacement of a product's settings (its code is in the path)."""


class ProductPublic(ProductCreate):
    id: str
    status: str
    created_at: UtcDateTime
    updated_at: UtcDateTime
