"""JSON responses rendered with orjson (fast, and no deprecated response class), rating
answers whose large result streams from the blob store, and stored documents streamed
as they are."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import orjson
from pydantic import BaseModel
from starlette.responses import Response, StreamingResponse

from models.rating import Doc
from store.blobs import BlobStore


def json_response(
    content: Any, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        orjson.dumps(content),
        status_code=status_code,
        headers=headers,
        media_type="application/json",
    )


async def answer_response(
    answer: BaseModel,
    result: Doc | None,
    blobs: BlobStore,
    headers: dict[str, str] | None = None,
) -> Response:
    """``answer`` as JSON whose ``result`` is the run's result document.

    A result in the blob store goes out as the JSON text stored there, piece by piece:
    a 50 MB result is neither parsed, nor re-encoded, nor whole in memory on its way.
    """
    content: dict[str, Any] = answer.model_dump(mode="json", exclude={"result"})
    if result is None or result.ref is None:
        content["result"] = None if result is None else result.inline
        return json_response(content, headers=headers)
    head = orjson.dumps(content)[:-1] + (b',"result":' if content else b'"result":')
    pieces = blobs.stream(result.ref)
    # The first piece is read before the status is sent: a result that cannot be read
    # answers an error, not a 200 cut short.
    first = await anext(pieces, b"null")
    return StreamingResponse(
        _joined(head + first, pieces, b"}"), headers=headers, media_type="application/json"
    )


async def blob_response(
    blobs: BlobStore, ref: str, media_type: str, headers: dict[str, str] | None = None
) -> Response:
    """A document of the blob store sent as it is stored, piece by piece; as for a result,
    the first piece is read before the status is sent."""
    pieces = blobs.stream(ref)
    first = await anext(pieces, b"")
    return StreamingResponse(_joined(first, pieces), headers=headers, media_type=media_type)


async def _joined(
    first: bytes, rest: AsyncIterator[bytes], tail: bytes = b""
) -> AsyncIterator[bytes]:
    yield first
    async for piece in rest:
        yield piece
    if tail:
        yield tail
