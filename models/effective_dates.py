"""Effective dates: which published flow version rates which dates, and a request's date.

Several versions of one endpoint may be published at once, each effective from a date
(None: since always). A date is rated by the newest (highest numbered) published version
effective on or before it, so the timeline follows from the versions alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any, Literal

from pydantic import Field

from models.base import CamelModel
from models.errors import ErrorCode, PlatformError
from models.flow import FlowVersionPublic

# (version number, effective from) of each published version.
Dated = tuple[int, date | None]


class TimelineEntry(CamelModel):
    """The dates one version rates: from ``effectiveFrom`` (None: since always) up to,
    not including, ``effectiveUntil`` (None: from then on)."""

    version: int
    effective_from: date | None
    effective_until: date | None = None


class TimelineWarning(CamelModel):
    """What a publish leaves that a caller would not expect.

    ``gap``: no version rates the dates before ``effectiveFrom`` (such requests are
    refused, NO_EFFECTIVE_VERSION). ``overlap``: ``version`` rates no date at all, as
    ``shadowedBy``, newer and effective earlier, rates from its date on.
    """

    kind: Literal["gap", "overlap"]
    message: str
    version: int | None = None
    effective_from: date | None = None
    shadowed_by: int | None = None


class FlowTimeline(CamelModel):
    """Which published version of a product endpoint's flow rates which dates."""

    product_code: str
    endpoint: str
    effective_date_path: str | None = Field(
        description="Where a request's date is read (the product's); null: today's date."
    )
    timeline: list[TimelineEntry]
    warnings: list[TimelineWarning] = []


class FlowVersionPublished(FlowVersionPublic):
    """A version just published, with the timeline of the endpoint it leaves."""

    timeline: list[TimelineEntry]
    warnings: list[TimelineWarning] = []


def in_force(published: Sequence[Dated], on: date) -> int | None:
    """The version that rates ``on``, if any."""
    numbers = [n for n, start in published if start is None or start <= on]
    return max(numbers) if numbers else None


def timeline_of(published: Sequence[Dated]) -> list[TimelineEntry]:
    """The dates each version rates, earliest first (a version may rate none)."""
    starts = sorted({start for _, start in published}, key=lambda d: (d is not None, d))
    entries: list[TimelineEntry] = []
    for start in starts:
        numbers = [n for n, s in published if s is None or (start is not None and s <= start)]
        version = max(numbers)
        if entries and entries[-1].version == version:
            continue
        if entries:
            entries[-1].effective_until = start
        entries.append(TimelineEntry(version=version, effective_from=start))
    return entries


def warnings_of(published: Sequence[Dated]) -> list[TimelineWarning]:
    """The gap before the earliest version, and the versions that rate no date."""
    if not published:
        return []
    found: list[TimelineWarning] = []
    starts = [start for _, start in published]
    if None not in starts:
        earliest = min(s for s in starts if s is not None)
        found.append(
            TimelineWarning(
                kind="gap",
                effective_from=earliest,
                message=f"No published version rates requests dated before {earliest}: "
                "they are refused (NO_EFFECTIVE_VERSION).",
            )
        )
    rating = {entry.version for entry in timeline_of(published)}
    for number, start in sorted(published):
        if number in rating:
            continue
        # Only a version with a date can be shadowed: an undated one would rate its start.
        assert start is not None
        by = in_force(published, start)
        found.append(
            TimelineWarning(
                kind="overlap",
                version=number,
                effective_from=start,
                shadowed_by=by,
                message=f"Version {number} (effective from {start}) rates no date: version "
                f"{by}, newer and effective earlier, rates from {start} on.",
            )
        )
    return found


def today() -> date:
    """The date a request without one is rated as of."""
    return datetime.now(UTC).date()


def request_date(document: Any, path: str) -> date | None:
    """The date at ``path`` (dotted object keys) in a request document: an ISO date or
    date-time (its own calendar date). None when the path is absent or null.

    Raises:
        PlatformError: VALIDATION_FAILED naming the path, for any other value.
    """
    value = document
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return (
                datetime.fromisoformat(value).date()
                if len(value) > 10
                else date.fromisoformat(value)
            )
        except ValueError:
            pass
    raise PlatformError(
        ErrorCode.VALIDATION_FAILED,
        f"{path} is not an ISO date (YYYY-MM-DD) or date-time.",
        details={"problems": [{"path": path, "message": "not an ISO date or date-time"}]},
    )
