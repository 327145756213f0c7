"""The Temporal codec server: the Web UI sends payloads here to see them decoded.

Temporal's protocol: ``POST /codec/decode`` and ``POST /codec/encode`` take and answer
``{"payloads": [{"metadata": {name: base64}, "data": base64}]}`` (the proto3 JSON of
``temporal.api.common.v1.Payloads``); the UI may send ``X-Namespace``. Payloads of
another namespace than the platform's come back unchanged: its keys are not theirs.

Who may call: a key with the ``ops`` scope (``X-API-Key``, or ``Authorization:
Bearer``, as an auth proxy in front of the UI's codec endpoint may send it). With
``IRX_API__CODEC_TRUST_LOOPBACK`` (``irx dev`` only) loopback callers need no key,
since the dev server's Web UI cannot send one. Pages of ``IRX_API__CODEC_CORS_ORIGINS``
may call from the browser. The routes are outside ``/api/`` (Temporal names them) and
outside the OpenAPI document: errors still answer the standard envelope, with the
CORS headers, so the UI can read them.
"""

from __future__ import annotations

import ipaddress
from typing import Literal

from fastapi import APIRouter, Request
from google.protobuf import json_format
from starlette.responses import Response
from temporalio.api.common.v1 import Payloads

from api.deps import Services, get_services
from api.guard import api_key_of
from api.responses import json_response
from models.errors import ErrorCode, PlatformError
from store.sealing import SealError
from workers.codec import EncryptionCodec, UnknownPayloadKey

router = APIRouter(prefix="/codec", tags=["codec"], include_in_schema=False)

# Temporal's gRPC messages stop at 4 MB; base64 and JSON add about a third.
MAX_BODY_BYTES = 8 * 1024 * 1024
ALLOWED_HEADERS = "Content-Type, X-Namespace, Authorization, X-API-Key"


@router.options("/{operation}")
async def preflight(operation: Literal["encode", "decode"], request: Request) -> Response:
    """CORS preflight: allowed for the configured origins only."""
    headers = _cors(request)
    if headers:
        headers |= {
            "Access-Control-Allow-Methods": "POST, OPTIONS",
            "Access-Control-Allow-Headers": ALLOWED_HEADERS,
            "Access-Control-Max-Age": "600",
        }
    return Response(status_code=204, headers=headers)


@router.post("/{operation}")
async def codec(operation: Literal["encode", "decode"], request: Request) -> Response:
    """Encodes or decodes Temporal payloads (the codec-server protocol)."""
    cors = _cors(request)
    try:
        services = get_services(request)
        await _authorize(request, services)
        payloads = await _read(request)
        if request.headers.get("x-namespace", services.settings.temporal.namespace) == (
            services.settings.temporal.namespace
        ):
            payloads = await _convert(services, operation, payloads)
    except PlatformError as exc:
        exc.headers = {**exc.headers, **cors}
        raise
    answer = {"payloads": [json_format.MessageToDict(p) for p in payloads.payloads]}
    return json_response(answer, headers=cors)


def _cors(request: Request) -> dict[str, str]:
    origin = request.headers.get("origin")
    if origin is None or origin not in get_services(request).settings.api.codec_cors_origins:
        return {}
    return {
        "Access-Control-Allow-Origin": origin,
        # The UI may be configured to send credentials (includeCredentials); no
        # cookie authenticates here, so allowing them admits nothing more.
        "Access-Control-Allow-Credentials": "true",
        "Vary": "Origin",
    }


async def _authorize(request: Request, services: Services) -> None:
    """An ``ops`` key, or a loopback caller when ``irx dev`` trusts them."""
    api = services.settings.api
    if api.codec_trust_loopback and _from_loopback(request):
        origin = request.headers.get("origin")
        if origin is None or origin in api.codec_cors_origins:
            return
    address = f"authfail:{request.client.host if request.client else 'unknown'}"
    throttled = PlatformError(
        ErrorCode.RATE_LIMIT_EXCEEDED,
        "Too many failed authentications from this address.",
        details={"limit": api.auth_failures_per_minute, "retryAfterS": 60},
        headers={"Retry-After": "60"},
        limit=api.auth_failures_per_minute,
    )
    if not (
        await services.limiter.hit(address, api.auth_failures_per_minute, consume=False)
    ).allowed:
        raise throttled
    try:
        principal = await services.auth.authenticate(api_key_of(request))
    except PlatformError:
        if not (await services.limiter.hit(address, api.auth_failures_per_minute)).allowed:
            raise throttled from None
        raise
    principal.require_scope("ops")


def _from_loopback(request: Request) -> bool:
    try:
        return request.client is not None and ipaddress.ip_address(request.client.host).is_loopback
    except ValueError:
        return False


async def _read(request: Request) -> Payloads:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _too_large()
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise _too_large()
    payloads = Payloads()
    try:
        json_format.Parse(bytes(body), payloads, ignore_unknown_fields=True)
    except json_format.ParseError as exc:
        raise PlatformError(
            ErrorCode.VALIDATION_FAILED,
            'The body is not {"payloads": [{"metadata": {...}, "data": "..."}]}.',
            details={"problems": [{"path": "", "message": str(exc)[:200]}]},
        ) from None
    return payloads


def _too_large() -> PlatformError:
    return PlatformError(
        ErrorCode.PAYLOAD_TOO_LARGE,
        details={"limitBytes": MAX_BODY_BYTES},
        limit=MAX_BODY_BYTES,
    )


async def _convert(services: Services, operation: str, payloads: Payloads) -> Payloads:
    """Through the codec of the API's own Temporal client: what it encrypts, it opens."""
    codec = services.client.data_converter.payload_codec
    if not isinstance(codec, EncryptionCodec):
        raise PlatformError(ErrorCode.PAYLOAD_KEYS_UNAVAILABLE)
    try:
        if operation == "encode":
            return Payloads(payloads=await codec.encode(payloads.payloads))
        return Payloads(payloads=await codec.decode(payloads.payloads))
    except UnknownPayloadKey as exc:
        raise PlatformError(
            ErrorCode.PAYLOAD_KEYS_UNAVAILABLE, details={"keyId": exc.key_id}
        ) from None
    except SealError as exc:
        raise PlatformError(ErrorCode.VALIDATION_FAILED, str(exc)) from None
