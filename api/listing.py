"""What every list route shares: its page shape and links, date filters, strict queries."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import datetime
from typing import Annotated, TypeVar
from urllib.parse import urlencode

from fastapi import Request
from pydantic import BeforeValidator

from models.errors import ErrorCode, PlatformError
from models.transactions import Page

T = TypeVar("T")
ISO_DATE = re.compile(
    r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$"
)


def _iso(value: object) -> object:
    # A bare number would otherwise read as a Unix timestamp: only ISO 8601 is accepted.
    if isinstance(value, str) and not ISO_DATE.match(value):
        raise ValueError("expected an ISO 8601 date or date-time, e.g. 2026-11-23T10:00:00Z")
    return value


Iso8601 = Annotated[datetime, BeforeValidator(_iso)]


def refuse_unknown(request: Request, allowed: Collection[str]) -> None:
    """VALIDATION_FAILED for a query parameter the route does not know (a typo filters nothing)."""
    unknown = sorted(set(request.query_params) - set(allowed))
    if unknown:
        raise PlatformError(
            ErrorCode.VALIDATION_FAILED,
            f"Unknown query parameter(s): {', '.join(unknown)}.",
            details={"unknown": unknown, "allowed": sorted(allowed)},
        )


def page_of(request: Request, items: list[T], page: int, size: int, total: int) -> Page[T]:
    """``items`` as page ``page`` of ``total``, linking its neighbours with the same query."""

    def link(number: int) -> str:
        params = {k: v for k, v in request.query_params.items() if k != "page"}
        return f"{request.url.path}?{urlencode({**params, 'page': number})}"

    last = max(1, -(-total // size))
    return Page[T](
        items=items,
        page=page,
        page_size=size,
        total=total,
        links={
            "self": link(page),
            "first": link(1),
            "prev": link(page - 1) if page > 1 else None,
            "next": link(page + 1) if page < last else None,
            "last": link(last),
        },
    )
