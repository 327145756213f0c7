"""Reads a request body under a byte limit, while it streams in.

A body over the limit is refused as soon as the limit is crossed, never buffered
whole first; a gzip body is limited on its decompressed size too.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator

from starlette.requests import Request

from models.errors import ErrorCode, PlatformError


def _too_large(limit: int) -> PlatformError:
    return PlatformError(ErrorCode.PAYLOAD_TOO_LARGE, details={"limitBytes": limit}, limit=limit)


async def body_chunks(request: Request, limit: int) -> AsyncIterator[bytes]:
    """The request body as it arrives, decompressed if gzip; PAYLOAD_TOO_LARGE as soon
    as it passes ``limit`` bytes."""
    encoding = request.headers.get("content-encoding", "identity").lower()
    if encoding not in ("identity", "gzip"):
        raise PlatformError(
            ErrorCode.VALIDATION_FAILED, f"Content-Encoding '{encoding}' is not supported."
        )
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    gunzip = zlib.decompressobj(wbits=31) if encoding == "gzip" else None
    size = 0
    async for chunk in request.stream():
        if gunzip is not None:
            try:
                chunk = gunzip.decompress(chunk, limit + 1 - size)
            except zlib.error as exc:
                raise PlatformError(
                    ErrorCode.VALIDATION_FAILED, "The gzip request body is corrupt."
                ) from exc
            if gunzip.unconsumed_tail:
                raise _too_large(limit)
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        if chunk:
            yield chunk
    if gunzip is not None and not gunzip.eof:
        raise PlatformError(ErrorCode.VALIDATION_FAILED, "The gzip request body is truncated.")
