"""The audit trail: read, filter, page through and export it; nothing can change it."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import StreamingResponse

from api.deps import ConfigReaderDep, ServicesDep
from api.listing import Iso8601, page_of, refuse_unknown
from models.audit import AuditEntryPublic
from models.errors import ErrorCode, PlatformError
from models.tables import AuditRow
from models.transactions import Page
from store.audit import AuditFilter, list_audit, stream_audit

router = APIRouter(prefix="/audit-log", tags=["audit"])

FILTERS = {"entityType", "entityId", "actor", "action", "from", "to"}
Name = Annotated[str | None, Query(max_length=100, pattern=r"^[\x20-\x7e]+$")]
CSV_COLUMNS = [
    "id",
    "createdAt",
    "actor",
    "action",
    "entityType",
    "entityId",
    "entityName",
    "correlationId",
    "ipAddress",
    "userAgent",
    "changes",
]


async def audit_filter(
    principal: ConfigReaderDep,
    entity_type: Annotated[Name, Query(alias="entityType")] = None,
    entity_id: Annotated[Name, Query(alias="entityId")] = None,
    actor: Name = None,
    action: Name = None,
    since: Annotated[Iso8601 | None, Query(alias="from")] = None,
    until: Annotated[Iso8601 | None, Query(alias="to")] = None,
) -> AuditFilter:
    """The filters both routes take: entity, actor (an API key's id), action, time
    (`from` inclusive, `to` exclusive), within the caller's organization."""
    # Entries name every product's entities: a key limited to some products reads none.
    if principal.allowed_products is not None:
        raise PlatformError(
            ErrorCode.API_KEY_PRODUCT_DENIED,
            "The audit log covers every product: it needs a key without a product list.",
        )
    return AuditFilter(
        principal.organization_id, entity_type, entity_id, actor, action, since, until
    )


Filtered = Annotated[AuditFilter, Depends(audit_filter)]


@router.get("", response_model=Page[AuditEntryPublic])
async def list_audit_log(
    request: Request,
    found: Filtered,
    services: ServicesDep,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(alias="pageSize", ge=1, le=200)] = 50,
) -> Page[AuditEntryPublic]:
    """Config writes of the organization, newest first, filtered and paginated."""
    refuse_unknown(request, FILTERS | {"page", "pageSize"})
    rows, total = await list_audit(services.sessions, found, (page - 1) * page_size, page_size)
    items = [AuditEntryPublic.from_row(r) for r in rows]
    return page_of(request, items, page, page_size, total)


@router.get(
    "/export",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {"text/csv": {}, "application/x-ndjson": {}},
            "description": "Every matching entry, oldest first.",
        }
    },
)
async def export_audit_log(
    request: Request,
    found: Filtered,
    services: ServicesDep,
    format: Literal["csv", "json"] = "csv",
) -> StreamingResponse:
    """Every matching entry, oldest first, streamed: CSV (one row per entry, `changes` as
    JSON) or JSON lines."""
    refuse_unknown(request, FILTERS | {"format"})
    rows = stream_audit(services.sessions, found)
    if format == "json":
        return StreamingResponse(_json_lines(rows), media_type="application/x-ndjson")
    headers = {"Content-Disposition": 'attachment; filename="audit-log.csv"'}
    return StreamingResponse(_csv(rows), media_type="text/csv", headers=headers)


async def _json_lines(rows: AsyncIterator[AuditRow]) -> AsyncIterator[bytes]:
    async for row in rows:
        yield AuditEntryPublic.from_row(row).model_dump_json(by_alias=True).encode() + b"\n"


async def _csv(rows: AsyncIterator[AuditRow]) -> AsyncIterator[bytes]:
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS)
    writer.writeheader()
    async for row in rows:
        entry = AuditEntryPublic.from_row(row).model_dump(mode="json", by_alias=True)
        entry["changes"] = json.dumps(entry["changes"], sort_keys=True)
        writer.writerow({column: _cell(entry[column]) for column in CSV_COLUMNS})
        yield out.getvalue().encode()
        out.seek(0)
        out.truncate()
    if out.tell():
        yield out.getvalue().encode()


def _cell(value: object) -> object:
    # A cell a spreadsheet would run as a formula is quoted as text (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
