"""Operator commands on the transaction archive (``irx archive``): list it, put archived
transactions back in the database, check it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from irx.admin import orgs_of
from models.archive import DayManifest
from models.errors import ErrorCode, PlatformError
from store.archive import Archive
from store.archive_check import ArchiveCheck, check_archive
from store.archived_rows import Restored, restore_rows
from store.db import SessionFactory


async def list_days(
    sessions: SessionFactory, archive: Archive, slug: str | None
) -> list[tuple[str, list[DayManifest]]]:
    """Each organization's archived days (their manifests), oldest first."""
    listed = []
    for org in await orgs_of(sessions, slug):
        manifests = (await archive.manifests(org.id)).values()
        listed.append((org.slug, [m for m in manifests if m is not None]))
    return listed


async def restore(
    sessions: SessionFactory,
    archive: Archive,
    slug: str,
    day: date,
    transaction_id: str | None,
) -> Restored:
    """Puts the day's archived transactions (or one of them) back in the database, as they
    were archived; those present already are left as they are."""
    (org,) = await orgs_of(sessions, slug)
    manifest = await archive.manifest(org.id, day)
    if manifest is None:
        raise PlatformError(ErrorCode.RESOURCE_NOT_FOUND, resource="Archived day", id=str(day))
    rows = await archive.read(manifest)
    if transaction_id is not None:
        rows = [row for row in rows if row.id == transaction_id]
        if not rows:
            raise PlatformError(
                ErrorCode.RESOURCE_NOT_FOUND, resource="Archived transaction", id=transaction_id
            )
    return await restore_rows(sessions, rows)


async def verify_archives(
    sessions: SessionFactory,
    archive: Archive,
    slug: str | None,
    checked: Callable[[int], None] | None = None,
) -> list[tuple[str, ArchiveCheck]]:
    return [
        (org.slug, await check_archive(archive, org.id, checked))
        for org in await orgs_of(sessions, slug)
    ]
