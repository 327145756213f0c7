"""Turns JSON documents into :class:`Doc` handles and back (the claim check)."""

from __future__ import annotations

from typing import Any

import orjson

from models.rating import Doc
from store.blobs import BlobStore


class Documents:
    """Keeps small documents inline and puts large ones in the blob store.

    Args:
        blobs: Where large documents go.
        inline_threshold: Largest serialized size, in bytes, kept inline.
    """

    def __init__(self, blobs: BlobStore, inline_threshold: int) -> None:
        self.blobs = blobs
        self.inline_threshold = inline_threshold

    async def save(self, key: str, value: Any, raw: bytes | None = None) -> Doc:
        """``value`` inline, or stored under ``key``; ``raw`` is its JSON when already at hand."""
        if raw is None:
            raw = orjson.dumps(value)
        if len(raw) <= self.inline_threshold:
            return Doc(inline=value, size=len(raw))
        await self.blobs.put(key, raw)
        return Doc(ref=key, size=len(raw))

    async def load(self, doc: Doc) -> Any:
        if doc.ref is None:
            return doc.inline
        return orjson.loads(await self.blobs.get(doc.ref))
