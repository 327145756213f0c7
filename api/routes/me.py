"""The caller itself: its organization, plan limits, key scopes and products."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import PrincipalDep
from models.api_keys import MePublic

router = APIRouter(prefix="/me", tags=["api keys"])


@router.get("", response_model=MePublic)
async def me(principal: PrincipalDep) -> MePublic:
    """Who this API key is: organization, plan and its limits, scopes, products, expiry.

    The rate-limit headers of this answer say how much of the minute's quota is left.
    """
    return MePublic.model_validate(principal.model_dump(by_alias=False))
