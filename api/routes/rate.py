"""The rate endpoint: runs the latest published flow of a product endpoint."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.body import body_chunks
from api.deps import CorrelationDep, RaterDep, Services, ServicesDep
from api.responses import answer_response, json_response
from api.versions import prefix_of, version_of
from infra.metrics import PAYLOAD_BYTES, REQUESTS, UNKNOWN
from models.errors import ErrorCode, PlatformError
from models.rating import Mode
from models.transactions import RateAccepted, RateResponse
from services.runs import IDEMPOTENCY_KEY, RunRequest

router = APIRouter(tags=["rating"])


def idempotency_key(request: Request) -> str | None:
    """``Idempotency-Key`` (IETF draft), or the seed's ``X-Idempotency-Key``."""
    keys = {
        v for v in (request.headers.get(h) for h in ("idempotency-key", "x-idempotency-key")) if v
    }
    if not keys:
        return None
    if len(keys) > 1:
        raise PlatformError(
            ErrorCode.VALIDATION_FAILED, "Idempotency-Key and X-Idempotency-Key differ."
        )
    key = keys.pop()
    if not IDEMPOTENCY_KEY.match(key):
        raise PlatformError(
            ErrorCode.VALIDATION_FAILED,
            "An idempotency key is 1 to 255 printable ASCII characters.",
        )
    return key


def flow_version(request: Request) -> int | Literal["draft"] | None:
    """``X-Flow-Version``: a version number, or ``draft`` for the newest draft."""
    value = request.headers.get("x-flow-version")
    if value is None:
        return None
    if value == "draft":
        return "draft"
    if value.isascii() and value.isdigit() and 1 <= int(value) <= 2_147_483_647:
        return int(value)
    raise PlatformError(
        ErrorCode.VALIDATION_FAILED, "X-Flow-Version is a version number or 'draft'."
    )


def respond_async(request: Request) -> bool:
    """``Prefer: respond-async``: answer 202 once the run has started."""
    return "respond-async" in request.headers.get("prefer", "")


# The body is the product's own request document: read raw (streamed, limited),
# so it is described here rather than by a model.
REQUEST_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {"type": "object", "description": "The product's request document."},
            "example": {
                "quote": {"id": "Q-2026-0001", "effectiveDate": "2026-12-01"},
                "insured": {"name": "Acme Excavation LLC", "address": {"state": "NY"}},
                "building": {"yearBuilt": 1938},
                "coverage": {"deductible": 1000},
                "equipment": [{"serial": "EQ-1", "type": "excavator", "value": 250000}],
            },
        }
    },
}


@router.post(
    "/{product_code}/{endpoint}",
    response_model=RateResponse,
    responses={202: {"model": RateAccepted, "description": "Started; poll the Location."}},
    openapi_extra={"requestBody": REQUEST_BODY},
)
async def rate(
    product_code: str,
    endpoint: str,
    request: Request,
    principal: RaterDep,
    services: ServicesDep,
    correlation_id: CorrelationDep,
) -> Response:
    """Rate a request with the product's published flow in force on the request's date.

    The date is read at the product's `effectiveDatePath` (today, UTC, when it has none
    or the request does not carry it): the newest published version effective on or
    before it rates the request (422 NO_EFFECTIVE_VERSION when none is).

    `X-Flow-Version: N` (or `draft`) runs that version instead, a draft included, to
    test it before publishing; it needs a `config:write` key. Any version but the one in
    force runs as a simulation: no event, no hash chain link, its engine calls to the
    system's simulation endpoint (`mode: simulation` in the answer).

    With an idempotency key, a repeat of the same request (within 24 h) answers the
    first one's transaction with `X-Idempotent-Replayed: true`, waiting for it if it
    is still running; the same key with another request is refused (422).
    """
    # Metric labels: the flow's names once it is found, never the path's (unbounded).
    labels = (UNKNOWN, UNKNOWN)
    version = version_of(request.url.path) or "v1"
    mode: Mode = "live"
    try:
        principal.require_product(product_code)
        key = idempotency_key(request)
        wanted = flow_version(request)
        dated = None
        if wanted is None:
            versions = await services.flows.for_rating(principal, product_code, endpoint)
            # The version in force, unless it depends on the request's date: then it is
            # picked once the body is parsed, and the newest stands for the product's limits.
            published = versions.undated()
            if published is None:
                published, dated = versions.newest, versions
        else:
            published, mode = await services.flows.chosen(
                principal, product_code, endpoint, wanted, services.steps
            )
            if mode == "live":  # a published version: live only where it is the one in force
                versions = await services.flows.for_rating(principal, product_code, endpoint)
                in_force = versions.undated()
                if in_force is None:
                    dated = versions  # decided by the request's date, once it is read
                elif in_force.flow.version != published.flow.version:
                    mode = "simulation"
        labels = (published.product_code, published.flow.endpoint)
        services.runs.admit(principal, published)  # before the body is read
        if respond_async(request):
            await services.runs.admit_async(principal, published, key)
        limit = min(published.max_payload_bytes, principal.limits.max_payload_bytes)
        body = await services.runs.receive(body_chunks(request, limit))
        PAYLOAD_BYTES.labels(published.product_code, "in").observe(body.size)
        asked = RunRequest(
            principal,
            published,
            body,
            correlation_id,
            key,
            api_version=version,
            mode=mode,
            dated=dated,
            named=wanted is not None,
        )
        return await _run(request, services, asked)
    except PlatformError as exc:
        # A run that started counts itself when it ends (its timeout included); here
        # only what never became a run: refused (4xx) or not started (5xx).
        if exc.code != ErrorCode.REQUEST_TIMEOUT:
            status = "rejected" if exc.status < 500 else "failed"
            REQUESTS.labels(*labels, status, version, mode).inc()
        raise


async def _run(request: Request, services: Services, asked: RunRequest) -> Response:
    if respond_async(request):
        run = await services.runs.start(asked)
        location = f"{prefix_of(request.url.path)}/transactions/{run.row.id}"
        accepted = RateAccepted(transaction_id=run.row.id, status=run.row.status, location=location)
        headers = {"Location": location, "Preference-Applied": "respond-async"}
        if run.replayed:
            headers["X-Idempotent-Replayed"] = "true"
        return json_response(accepted.model_dump(mode="json"), status_code=202, headers=headers)
    rated = await services.sync.rate(asked)
    replay = {"X-Idempotent-Replayed": "true"} if rated.replayed else None
    return await answer_response(rated.answer, rated.result, services.blobs, replay)
