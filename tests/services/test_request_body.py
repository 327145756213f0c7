"""A rating request's body on its way in: in memory while small, streamed once large."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from models.errors import ErrorCode, PlatformError
from services.request_body import STREAM_BODY_BYTES, receive
from store.blobs import DiskBlobStore


async def pieces(data: bytes, size: int = 65536) -> AsyncIterator[bytes]:
    for at in range(0, len(data), size):
        yield data[at : at + size]


def files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


async def test_a_small_body_stays_in_memory(tmp_path: Path) -> None:
    blobs = DiskBlobStore(tmp_path)
    data = b'{"a": 1}'
    body = await receive(pieces(data, 3), blobs, "tx-small")
    assert (body.data, body.ref, body.doc, body.size) == (bytearray(data), None, None, len(data))
    assert body.sha256 == hashlib.sha256(data).hexdigest()
    assert not files(tmp_path)


async def test_a_large_body_goes_to_the_blob_store_as_it_arrives(tmp_path: Path) -> None:
    blobs = DiskBlobStore(tmp_path)
    data = b'{"pad": "' + b"x" * (3 * STREAM_BODY_BYTES) + b'"}'
    body = await receive(pieces(data), blobs, "tx-large")
    assert (body.data, body.ref, body.size) == (None, "tx-large/request.json", len(data))
    assert body.doc is not None
    assert body.doc.ref == body.ref
    assert body.sha256 == hashlib.sha256(data).hexdigest()
    assert await blobs.get("tx-large/request.json") == data


@pytest.mark.parametrize("at", [10, STREAM_BODY_BYTES - 3, 2 * STREAM_BODY_BYTES])
async def test_a_nul_is_refused_even_split_between_pieces(tmp_path: Path, at: int) -> None:
    blobs = DiskBlobStore(tmp_path)
    data = b'{"pad": "' + b"x" * at + b"\\u0000" + b"x" * (3 * STREAM_BODY_BYTES) + b'"}'
    # Pieces of 7 bytes around the escape split it whatever its offset.
    chunked = pieces(data[: at + 5]), pieces(data[at + 5 : at + 12], 4), pieces(data[at + 12 :])

    async def joined() -> AsyncIterator[bytes]:
        for part in chunked:
            async for piece in part:
                yield piece

    with pytest.raises(PlatformError) as caught:
        await receive(joined(), blobs, "tx-nul")
    assert caught.value.code == ErrorCode.VALIDATION_FAILED
    assert not files(tmp_path)  # nothing half-written is left


async def test_a_body_that_fails_midway_leaves_nothing(tmp_path: Path) -> None:
    blobs = DiskBlobStore(tmp_path)

    async def cut_short() -> AsyncIterator[bytes]:
        async for piece in pieces(b"x" * (2 * STREAM_BODY_BYTES)):
            yield piece
        raise PlatformError(ErrorCode.PAYLOAD_TOO_LARGE, limit=1)

    with pytest.raises(PlatformError):
        await receive(cut_short(), blobs, "tx-cut")
    assert not files(tmp_path)
