"""Turns a run's JSON documents into :class:`Doc` handles and back (the claim check).

What each document is and where it is kept is ``models.documents``'s: this module makes
every ``Doc`` of a given kind under that kind's key, and reads each back as its kind says.
"""

from __future__ import annotations

import asyncio
from typing import Any

import orjson

from models.documents import DocKind, detail_key, request_key, result_key
from models.errors import ErrorCode, PlatformError
from models.json_shape import parse_document
from models.rating import Doc
from models.tables import TransactionRow
from models.transactions import stored_result
from store.blobs import BlobStore
from store.hot_documents import MISSING, HotDocuments

# A step's detail larger than this leaves the step record for the blob store.
DETAIL_INLINE_BYTES = 64 * 1024
DETAIL_REF = "detailRef"


def request_document(size: int, *, ref: str | None = None, value: Any = None) -> Doc:
    """A transaction's request as its run takes it: stored under ``ref`` (streamed in, or
    large), else ``value`` inline."""
    if ref is not None:
        return Doc(kind=DocKind.REQUEST, ref=ref, size=size)
    return Doc(kind=DocKind.REQUEST, inline=value, size=size)


class Documents:
    """Keeps small documents inline and puts large ones in the blob store.

    Args:
        blobs: Where large documents go.
        inline_threshold: Largest serialized size, in bytes, kept inline.
        hot: Where a worker holds large documents decoded for the step that reads them
            next (``store.hot_documents``; none: every document is stored, every read
            decodes).
    """

    def __init__(
        self, blobs: BlobStore, inline_threshold: int, hot: HotDocuments | None = None
    ) -> None:
        self.blobs = blobs
        self.inline_threshold = inline_threshold
        self.hot = hot

    async def save_request(
        self, transaction_id: str, value: Any, raw: bytes | bytearray | None = None
    ) -> Doc:
        """The transaction's request ``value`` inline, or stored once large; ``raw`` is the
        body it was parsed from, when at hand."""
        raw = orjson.dumps(value) if raw is None else raw
        return await self._save(DocKind.REQUEST, request_key(transaction_id), value, raw)

    async def save_result(
        self, transaction_id: str, index: int, step: str, value: Any, *, large: bool = False
    ) -> Doc:
        """The document step ``index`` (named ``step``) leaves: inline, or stored once large.

        ``large`` (the caller expects a large document) encodes it in a thread: tens of
        megabytes take longer than the event loop, which polls Temporal and serves HTTP,
        may wait.
        """
        raw = await asyncio.to_thread(orjson.dumps, value) if large else orjson.dumps(value)
        return await self._save(DocKind.RESULT, result_key(transaction_id, index, step), value, raw)

    async def _save(self, kind: DocKind, key: str, value: Any, raw: bytes | bytearray) -> Doc:
        """``value`` (``raw`` its JSON) inline, or stored under ``key``."""
        if len(raw) <= self.inline_threshold:
            return Doc(kind=kind, inline=value, size=len(raw))
        await self.blobs.put(key, raw)
        doc = Doc(kind=kind, ref=key, size=len(raw))
        self.pass_on(doc, value)
        return doc

    def pass_on(self, doc: Doc, value: Any) -> None:
        """``value``, stored as ``doc``, goes to the next step that loads ``doc`` as is."""
        if self.hot is not None and doc.ref is not None:
            self.hot.keep(doc.ref, value, doc.size)

    def can_hand_over(self, doc: Doc) -> bool:
        """Whether a step reading ``doc`` may hand its result over without storing it: a
        large document (a small one travels inline anyway) in a worker that holds them."""
        return self.hot is not None and doc.ref is not None

    def hand_over(self, run: str, index: int, step: str, value: Any, size: int) -> Doc:
        """The document step ``index`` (named ``step``) of transaction ``run`` leaves, held in
        this worker's memory for the run's next step, not stored; ``size`` is an estimate
        (it is never encoded), e.g. the input's size."""
        assert self.hot is not None
        key = result_key(run, index, step)
        self.hot.hand_over(key, run, value, size)
        return Doc(kind=DocKind.RESULT, ref=key, size=size)

    async def store(self, doc: Doc, run: str) -> None:
        """Stores ``doc`` if the run only handed it over: its next step may run anywhere."""
        if self.hot is None or doc.ref is None or not self.hot.held(doc.ref):
            return
        value = self.hot.take(doc.ref)
        await self.blobs.put(doc.ref, await asyncio.to_thread(orjson.dumps, value))
        self.hot.release(run)
        self.hot.keep(doc.ref, value, doc.size)

    def release(self, run: str) -> None:
        """Forgets what the run handed over: it has stored a later document."""
        if self.hot is not None:
            self.hot.release(run)

    async def save_detail(
        self, transaction_id: str, index: int, step: str, detail: dict[str, Any]
    ) -> dict[str, Any]:
        """Step ``index``'s detail as its record keeps it: itself, or a reference once large.

        A rule worksheet of thousands of lines would otherwise outgrow what one
        Temporal payload may carry and stall the run.
        """
        raw = orjson.dumps(detail)
        if len(raw) <= DETAIL_INLINE_BYTES:
            return detail
        key = detail_key(transaction_id, index, step)
        await self.blobs.put(key, raw)
        return {DETAIL_REF: key, "detailBytes": len(raw)}

    async def load_detail(self, detail: dict[str, Any]) -> dict[str, Any]:
        """A step record's detail, read back from the blob store if it was put there."""
        ref = detail.get(DETAIL_REF)
        if not isinstance(ref, str) or set(detail) != {DETAIL_REF, "detailBytes"}:
            return detail
        loaded: dict[str, Any] = orjson.loads(await self.blobs.get(ref))
        return loaded

    async def result_of(self, row: TransactionRow) -> Any:
        """The result document ``row`` recorded (None before it ended, or when it failed)."""
        doc = stored_result(row)
        return None if doc is None else await self.load(doc)

    async def load(self, doc: Doc) -> Any:
        """The document; one kept in the blob store is large, so it is decoded in a thread
        (unless this worker just wrote it: then it is the value itself, see ``hot``).

        A request is the client's bytes, streamed into the store unread when large
        (``services.request_body``): it is checked as it is read, and one that is not
        valid JSON fails its step with VALIDATION_FAILED. Any other kind the platform
        wrote itself.
        """
        if doc.ref is None:
            return doc.inline
        if self.hot is not None and (value := self.hot.take(doc.ref)) is not MISSING:
            return value
        try:
            raw = await self.blobs.get(doc.ref)
        except PlatformError as exc:
            if exc.code != ErrorCode.RESOURCE_NOT_FOUND:
                raise
            # Handed over in the memory of a worker since lost (or its run's data purged).
            raise PlatformError(ErrorCode.WORKING_DOCUMENT_LOST, key=doc.ref) from exc
        parse = parse_document if doc.kind is DocKind.REQUEST else orjson.loads
        return await asyncio.to_thread(parse, raw)
