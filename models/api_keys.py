"""API keys as the admin API creates and lists them (the key itself is shown once)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from models.base import CamelModel, NoNul, UtcDateTime
from models.plans import PlanLimits
from models.products import PRODUCT_CODE

# "ops": decode Temporal payloads through the codec server (operators, the Web UI);
# granted only from the CLI, and not implied by "admin".
Scope = Literal["rate", "config:read", "config:write", "admin", "ops"]
OPS_SCOPE = "ops"
API_VERSIONS = ("v1", "v2")


class ApiKeyCreate(CamelModel, NoNul):
    name: str = Field(min_length=1, max_length=255)
    scopes: list[Scope] = Field(min_length=1)
    allowed_products: list[Annotated[str, Field(pattern=PRODUCT_CODE)]] | None = Field(
        None, description="Product codes the key may use (all if unset)."
    )
    expires_at: UtcDateTime | None = Field(None, description="When the key stops working.")
    api_version: Literal["v1", "v2"] | None = Field(
        None, description="Pin the key to one API version; other versions' routes refuse it."
    )

    @field_validator("scopes")
    @classmethod
    def _unique(cls, value: list[Scope]) -> list[Scope]:
        return sorted(set(value))


class ApiKeyPublic(CamelModel):
    id: str
    name: str
    prefix: str
    scopes: list[str]
    allowed_products: list[str] | None
    expires_at: UtcDateTime | None
    revoked_at: UtcDateTime | None
    api_version: str | None
    created_at: UtcDateTime


class ApiKeyCreated(ApiKeyPublic):
    key: str = Field(description="The key itself: shown this once, stored only as a hash.")


class MePublic(CamelModel):
    """Who the caller is and what it may do."""

    api_key_id: str = Field(description="This key's id: the actor of its audit entries.")
    organization_id: str
    organization_slug: str
    plan: str
    limits: PlanLimits
    key_prefix: str
    scopes: list[str]
    allowed_products: list[str] | None
    expires_at: UtcDateTime | None
    api_version: str | None
