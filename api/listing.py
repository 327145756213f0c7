"""What every list route shares: its page shape and links, date filters, strict queries."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, TypeVar
from urllib.parse import urlencode

from fastapi import Depends, Query, Request, Response, params
from fastapi.dependencies.utils import get_flat_params
from fastapi.routing import APIRoute
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


def camel_case_query(request: Request) -> None:
    """v2 reads each query parameter under one name, its camelCase one: a GET route
    refuses the names it keeps only for v1 (declared deprecated), and any it does not know."""
    route = request.scope.get("route")
    if request.method == "GET" and isinstance(route, APIRoute):
        refuse_unknown(request, _current_names(route))


def _current_names(route: APIRoute) -> frozenset[str]:
    fields = get_flat_params(route.dependant)  # path, query, header and cookie ones
    return frozenset(
        f.alias
        for f in fields
        if isinstance(f.field_info, params.Query) and not f.field_info.deprecated
    )


def _links(request: Request, page: int, size: int, total: int) -> dict[str, str | None]:
    def link(number: int) -> str:
        params = {k: v for k, v in request.query_params.items() if k != "page"}
        return f"{request.url.path}?{urlencode({**params, 'page': number})}"

    last = max(1, -(-total // size))
    return {
        "self": link(page),
        "first": link(1),
        "prev": link(page - 1) if page > 1 else None,
        "next": link(page + 1) if page < last else None,
        "last": link(last),
    }


def page_of(request: Request, items: list[T], page: int, size: int, total: int) -> Page[T]:
    """``items`` as page ``page`` of ``total``, linking its neighbours with the same query."""
    links = _links(request, page, size, total)
    return Page[T](items=items, page=page, page_size=size, total=total, links=links)


@dataclass(frozen=True)
class Paging:
    page: int
    size: int


def paging_of(default: int, largest: int) -> Callable[..., Paging]:
    """The ``page`` and ``pageSize`` parameters (``page_size``, the spec's name, too)."""

    # The bounds are in the defaults, not the annotations: with postponed annotations,
    # FastAPI resolves those by name and cannot see ``largest``.
    def paging(
        page: int = Query(1, ge=1, le=1_000_000),
        page_size: int | None = Query(None, alias="pageSize", ge=1, le=largest),
        page_size_spec: int | None = Query(
            None, alias="page_size", ge=1, le=largest, deprecated=True
        ),
    ) -> Paging:
        return Paging(page, page_size or page_size_spec or default)

    return paging


# Config lists are bounded by the plan's limits: one page usually holds them all.
PagingDep = Annotated[Paging, Depends(paging_of(100, 500))]


def paged(request: Request, response: Response, items: list[T], paging: Paging) -> list[T]:
    """One page of a config listing. The body stays the array it always was; the page
    is told the way GitHub does: ``Link`` (first, prev, next, last) and ``X-Total-Count``.
    Config lists are bounded by the plan's limits, so they are sliced in memory."""
    links = _links(request, paging.page, paging.size, len(items))
    response.headers["X-Total-Count"] = str(len(items))
    response.headers["Link"] = ", ".join(
        f'<{url}>; rel="{rel}"' for rel, url in links.items() if url is not None and rel != "self"
    )
    start = (paging.page - 1) * paging.size
    return items[start : start + paging.size]
