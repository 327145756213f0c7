"""The transaction archive in the blob store: archived days written, read back and checked.

A day is written (or rewritten: merged with late rows, trimmed by retention) as a new
data file beside the one it replaces, then its manifest; only once both read back,
checksums and rows, is the caller told it is stored, and only then is the replaced file
deleted. A crash anywhere leaves the last manifest naming a whole file that says what
it held (``models.archive`` has the layout).
"""

from __future__ import annotations

import zlib
from datetime import date, datetime

from pydantic import ValidationError

from models.archive import (
    MANIFEST_NAME,
    SCHEMA_VERSION,
    ArchivedLink,
    DayManifest,
    data_name,
    day_of,
    day_prefix,
    manifest_key,
    organization_prefix,
)
from models.base import as_utc
from models.errors import ErrorCode, PlatformError
from models.tables import TransactionRow
from store.archive_lines import compress, decode, decompress, digest, encode
from store.blobs import BlobStore


class Archive:
    """Each organization's archived days in ``blobs``."""

    def __init__(self, blobs: BlobStore) -> None:
        self.blobs = blobs

    async def days(self, organization_id: str) -> list[date]:
        """The organization's archived days, oldest first."""
        keys = await self.blobs.keys(organization_prefix(organization_id))
        return sorted(day for key in keys if (day := day_of(key)) is not None)

    async def manifest(self, organization_id: str, day: date) -> DayManifest | None:
        """The day's manifest; None when the day is not archived."""
        key = manifest_key(organization_id, day)
        try:
            raw = await self.blobs.get(key)
        except PlatformError as exc:
            if exc.code == ErrorCode.RESOURCE_NOT_FOUND:
                return None
            raise
        try:
            manifest = DayManifest.model_validate_json(raw)
        except ValidationError as exc:
            raise _corrupt(key, "the manifest is not one") from exc
        if manifest.schema_version > SCHEMA_VERSION:
            raise _corrupt(key, f"schema version {manifest.schema_version} is newer than this")
        return manifest

    async def read(self, manifest: DayManifest) -> list[TransactionRow]:
        """The day's rows, once its file matches the manifest: both checksums, and the
        transactions, links and timestamps it lists."""
        key = day_prefix(manifest.organization_id, manifest.day) + manifest.file
        try:
            packed = await self.blobs.get(key)
        except PlatformError as exc:
            if exc.code == ErrorCode.RESOURCE_NOT_FOUND:
                raise _corrupt(key, "the data file is missing") from exc
            raise
        if digest(packed) != manifest.compressed:
            raise _corrupt(key, "the compressed file's checksum differs")
        try:
            lines = decompress(packed)
        except (OSError, EOFError, zlib.error) as exc:
            raise _corrupt(key, "the file does not decompress") from exc
        if digest(lines) != manifest.lines:
            raise _corrupt(key, "the lines' checksum differs")
        rows = decode(lines)
        if [_listed(row) for row in rows] != manifest.transactions:
            raise _corrupt(key, "its rows are not the transactions the manifest lists")
        return rows

    async def store(
        self,
        organization_id: str,
        day: date,
        rows: list[TransactionRow],
        now: datetime,
        *,
        merge: bool = True,
    ) -> DayManifest:
        """Writes the day with ``rows``, merged into what it holds already (a row of the
        same id replaces the archived one) unless ``merge`` is False, and returns its
        manifest once the day reads back as written.

        Raises:
            PlatformError: ARCHIVE_CORRUPT, the day held does not read, or the day written
                does not read back.
        """
        existing = await self.manifest(organization_id, day)
        merged: dict[str, TransactionRow] = {}
        if existing is not None and merge:
            merged = {row.id: row for row in await self.read(existing)}
        merged.update((row.id, row) for row in rows)
        ordered = sorted(merged.values(), key=lambda row: (as_utc(row.started_at), row.id))
        lines = encode(ordered)
        packed = compress(lines)
        manifest = _manifest(organization_id, day, now, ordered, lines, packed)
        prefix = day_prefix(organization_id, day)
        if existing is not None and existing.compressed == manifest.compressed:
            manifest = existing  # nothing new: the day stays as it was written
        else:
            await self.blobs.put(prefix + manifest.file, packed)
            await self.blobs.put(prefix + MANIFEST_NAME, manifest.model_dump_json().encode())
        stored = await self.manifest(organization_id, day)
        if stored != manifest or stored is None or encode(await self.read(stored)) != lines:
            raise _corrupt(prefix, "the day does not read back as it was written")
        for key in await self.blobs.keys(prefix):  # files of the day's earlier writes
            if key not in (prefix + manifest.file, prefix + MANIFEST_NAME):
                await self.blobs.delete(key)
        return manifest

    async def drop(self, organization_id: str, day: date) -> None:
        """Deletes the day: its data files first, its manifest last."""
        prefix = day_prefix(organization_id, day)
        for key in await self.blobs.keys(prefix):
            if key != prefix + MANIFEST_NAME:
                await self.blobs.delete(key)
        await self.blobs.delete(prefix + MANIFEST_NAME)

    async def manifests(self, organization_id: str) -> dict[date, DayManifest | None]:
        """Each archived day's manifest, oldest day first."""
        return {
            day: await self.manifest(organization_id, day)
            for day in await self.days(organization_id)
        }

    async def links(self, organization_id: str) -> dict[int, str]:
        """Every chain link the organization's archive holds: its number and hash."""
        return links_of(await self.manifests(organization_id))


def links_of(manifests: dict[date, DayManifest | None]) -> dict[int, str]:
    """The chain links ``manifests`` list: each one's number and hash."""
    links: dict[int, str] = {}
    for manifest in manifests.values():
        for listed in manifest.transactions if manifest else []:
            if listed.chain_seq is not None and listed.chain_hash is not None:
                links[listed.chain_seq] = listed.chain_hash
    return links


def _listed(row: TransactionRow) -> ArchivedLink:
    return ArchivedLink(
        id=row.id,
        started_at=row.started_at,
        chain_seq=row.chain_seq,
        chain_hash=row.chain_hash,
    )


def _manifest(
    organization_id: str,
    day: date,
    now: datetime,
    rows: list[TransactionRow],
    lines: bytes,
    packed: bytes,
) -> DayManifest:
    compressed = digest(packed)
    seqs = [row.chain_seq for row in rows if row.chain_seq is not None]
    return DayManifest(
        organization_id=organization_id,
        day=day,
        archived_at=now,
        file=data_name(compressed.sha256),
        count=len(rows),
        compressed=compressed,
        lines=digest(lines),
        first_seq=min(seqs, default=None),
        last_seq=max(seqs, default=None),
        transactions=[_listed(row) for row in rows],
    )


def _corrupt(key: str, problem: str) -> PlatformError:
    return PlatformError(ErrorCode.ARCHIVE_CORRUPT, key=key, problem=problem)
