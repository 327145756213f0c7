"""Who is calling: one API key of one organization, and what it may do."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from models.api_keys import OPS_SCOPE
from models.errors import ErrorCode, PlatformError
from models.plans import PlanLimits


class Principal(BaseModel):
    api_key_id: str
    key_prefix: str
    organization_id: str
    organization_slug: str
    plan: str
    limits: PlanLimits
    scopes: list[str]
    allowed_products: list[str] | None
    expires_at: datetime | None
    api_version: str | None = None

    def require_scope(self, scope: str) -> None:
        # admin implies every tenant scope, but not ops: that one reads the platform's
        # decrypted Temporal payloads, every tenant's, so only operators grant it.
        if scope not in self.scopes and ("admin" not in self.scopes or scope == OPS_SCOPE):
            raise PlatformError(ErrorCode.API_KEY_SCOPE_DENIED, scope=scope)

    def can_see(self, product_code: str) -> bool:
        """Whether the key may read or use the product (its allow-list, if it has one)."""
        return self.allowed_products is None or product_code in self.allowed_products

    def require_product(self, product_code: str) -> None:
        if not self.can_see(product_code):
            raise PlatformError(ErrorCode.API_KEY_PRODUCT_DENIED, product=product_code)

    def require_version(self, requested: str) -> None:
        """A key pinned to an API version may call only that version's routes."""
        if self.api_version is not None and requested != self.api_version:
            raise PlatformError(
                ErrorCode.API_KEY_VERSION_DENIED, pinned=self.api_version, requested=requested
            )


class Actor(BaseModel):
    """Who makes a config write, as the audit trail records it.

    ``api_key_id`` is None when the platform itself writes (the demo loader).
    """

    organization_id: str
    api_key_id: str | None = None
    # The plan's limits on what the actor may create (None: the platform itself).
    plan: str | None = None
    limits: PlanLimits | None = None
    correlation_id: str | None = None
    ip_address: str | None = None
    user_agent: str | None = None
