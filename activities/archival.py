"""Moves transactions past the hot retention from the database to the archive.

Day by day, oldest first, per organization: a day's due transactions are written to the
archive (merged into what it holds of that day), read back and checked, and only then
deleted from the database. A crash at any point loses nothing: a day written but not
yet deleted is merged again, unchanged, by the next run, which then deletes it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

from temporalio import activity

from models.activity_names import ARCHIVE_TRANSACTIONS
from models.archive import ArchiveReport, OrganizationArchived
from models.base import as_utc
from models.plans import limits_of
from models.tables import utcnow
from store.archive import Archive
from store.archived_rows import archivable_day, remove_archived
from store.db import SessionFactory
from store.organizations import list_orgs


def hot_cutoff(now: datetime, hot_days: int) -> datetime:
    """Transactions started before this are due: whole UTC days only, so a day is archived
    in one piece once its last hour is ``hot_days`` old."""
    return datetime.combine((now - timedelta(days=hot_days)).date(), time(), UTC)


class ArchivalActivities:
    """``hot_days``: how long a transaction stays in the database; ``clock``: now (tests
    pass their own, to age a year of traffic in seconds)."""

    def __init__(
        self,
        sessions: SessionFactory,
        archive: Archive,
        hot_days: int = 30,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.sessions = sessions
        self.archive = archive
        self.hot_days = hot_days
        self.clock = clock

    @activity.defn(name=ARCHIVE_TRANSACTIONS)
    async def archive_transactions(self) -> ArchiveReport:
        """Archives every organization's due transactions, a day at a time."""
        now = self.clock()
        report = ArchiveReport()
        async with self.sessions() as session:
            orgs = await list_orgs(session)
        before = hot_cutoff(now, self.hot_days)
        for org in orgs:
            # Past its plan's retention a transaction is purged, not archived.
            since = now - timedelta(days=limits_of(org.plan).retention_days)
            if before <= since:
                continue
            moved = OrganizationArchived()
            while rows := await archivable_day(self.sessions, org.id, since, before):
                day = as_utc(rows[0].started_at).date()
                await self.archive.store(org.id, day, rows, now)
                await remove_archived(self.sessions, org.id, [row.id for row in rows])
                moved.days.append(day)
                moved.transactions += len(rows)
                activity.heartbeat(org.slug, day.isoformat())
            if moved.transactions:
                report.organizations[org.slug] = moved
        return report
