"""Takes in a rating request's body: in memory while small, streamed into the blob store
once large, hashed and checked for NUL on the way either way.

A 50 MB treaty is never whole in the API's memory: past ``STREAM_BODY_BYTES`` every
piece goes on to the blob store as it arrives, under the key its transaction will use.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

from models.documents import request_key
from models.errors import ErrorCode, PlatformError
from models.rating import Doc
from store.blobs import BlobStore
from store.documents import request_document

# Bodies past this are streamed into the blob store; at or above the largest inline
# threshold allowed, so a streamed body is always a blob-store document.
STREAM_BODY_BYTES = 1024 * 1024
# JSON text for NUL, which no database stores in text (the escape is 6 bytes long, so
# 5 bytes of each piece are kept to find one split across two pieces).
NUL_ESCAPE = b"\\u0000"


@dataclass
class RequestBody:
    """A request body as received, with the transaction it will start."""

    transaction_id: str
    size: int
    sha256: str
    data: bytearray | None = None  # in memory: small
    ref: str | None = None  # streamed into the blob store under this key

    @property
    def doc(self) -> Doc | None:
        """The stored document when the body was streamed (not yet parsed: the run reads
        and checks it as its first step loads it)."""
        return None if self.ref is None else request_document(self.size, ref=self.ref)


class _Scan:
    """What is learned of a body on its way through: its SHA-256, and no NUL."""

    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self.size = 0
        self.tail = b""

    def update(self, chunk: bytes) -> None:
        keep = len(NUL_ESCAPE) - 1
        if NUL_ESCAPE in chunk or NUL_ESCAPE in self.tail + chunk[:keep]:
            raise PlatformError(
                ErrorCode.VALIDATION_FAILED, "The request contains a NUL character (\\u0000)."
            )
        self.tail = (self.tail + chunk[-keep:])[-keep:]
        self.digest.update(chunk)
        self.size += len(chunk)


async def receive(
    chunks: AsyncIterator[bytes], blobs: BlobStore, transaction_id: str
) -> RequestBody:
    """Reads ``chunks`` into memory, or into the blob store once past ``STREAM_BODY_BYTES``;
    nothing is left in the store when reading fails (too large, corrupt, disconnected)."""
    scan = _Scan()
    head = bytearray()
    async for chunk in chunks:
        scan.update(chunk)
        head += chunk
        if scan.size > STREAM_BODY_BYTES:
            key = request_key(transaction_id)
            async with blobs.writer(key) as out:
                await out.write(head)
                del head[:]  # the first megabyte is not kept twice
                async for rest in chunks:
                    scan.update(rest)
                    await out.write(rest)
            return RequestBody(transaction_id, scan.size, scan.digest.hexdigest(), ref=key)
    return RequestBody(transaction_id, scan.size, scan.digest.hexdigest(), data=head)
