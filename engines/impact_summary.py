"""What a rate change does to a book: the re-rated items of an impact analysis summed up,
overall, per group and by their largest changes. Pure: the items come from the store."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Literal

from engines.paths import get_path
from models.impact import Band, Deltas, ImpactGroup, ImpactSummary, LargestChange

# Percent changes are counted in these bands: decreases in [from, to), no change at 0,
# increases in (from, to].
EDGES = (-10.0, -5.0, -1.0, 0.0, 1.0, 5.0, 10.0)
LARGEST = 20
# Premiums within this of each other are the same (they are money, to the cent).
SAME = 0.005

# What a re-rating did to one transaction (for one that was re-rated at all).
OutcomeKind = Literal["changed", "unchanged", "newly_failed", "newly_rated", "failing"]


@dataclass(frozen=True)
class Outcome:
    """One re-rated transaction: its statuses and premiums before and after, its groups."""

    transaction_id: str
    rerate_id: str | None
    status_before: str
    status_after: str | None
    premium_before: float | None
    premium_after: float | None
    groups: tuple[Any, ...] = ()

    @property
    def premiums(self) -> tuple[float, float] | None:
        """The premium before and after, when both runs rated."""
        if self.status_before != "completed" or self.status_after != "completed":
            return None
        if self.premium_before is None or self.premium_after is None:
            return None
        return self.premium_before, self.premium_after

    @property
    def changed(self) -> bool:
        both = self.premiums
        return both is not None and abs(both[1] - both[0]) >= SAME

    @property
    def delta_pct(self) -> float | None:
        """The change in percent (0 within a cent); None unless both rated, or from 0."""
        both = self.premiums
        if both is None or not both[0]:
            return None
        return (both[1] - both[0]) / abs(both[0]) * 100 if self.changed else 0.0

    @property
    def kind(self) -> OutcomeKind:
        """Changed or unchanged when both rated, else which side failed."""
        if self.premiums is not None:
            return "changed" if self.changed else "unchanged"
        if self.status_before == "completed":
            return "newly_failed"
        return "newly_rated" if self.status_after == "completed" else "failing"


def premium_at(result: Any, path: str) -> float | None:
    """The premium a result document carries at ``path``; None when it carries no number."""
    value = get_path(result, path) if isinstance(result, dict | list) else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def summarize(outcomes: Iterable[Outcome]) -> ImpactSummary:
    summary = ImpactSummary(bands=_bands())
    deltas: list[float] = []
    for outcome in outcomes:
        if outcome.status_after is None:  # never re-rated (its request is gone)
            summary.unavailable += 1
            continue
        summary.rerated += 1
        kind = outcome.kind
        if kind == "changed":
            summary.changed += 1
        elif kind == "unchanged":
            summary.unchanged += 1
        elif kind == "newly_failed":
            summary.newly_failed += 1
        elif kind == "newly_rated":
            summary.newly_rated += 1
        else:
            summary.still_failing += 1
        if (both := outcome.premiums) is not None:
            summary.premium_before += both[0]
            summary.premium_after += both[1]
            if (delta := outcome.delta_pct) is not None:
                deltas.append(delta)
    summary.premium_before = round(summary.premium_before, 2)
    summary.premium_after = round(summary.premium_after, 2)
    if deltas:
        deltas.sort()
        summary.delta_pct = Deltas(
            p50=round(_rank(deltas, 0.50), 4),
            p95=round(_rank(deltas, 0.95), 4),
            min=round(deltas[0], 4),
            max=round(deltas[-1], 4),
        )
        for delta in deltas:
            _band_of(summary.bands, delta).count += 1
    return summary


def by_group(outcomes: list[Outcome], paths: list[str]) -> list[ImpactGroup]:
    """The summary per combination of the ``paths``' values, largest groups first."""
    if not paths:
        return []
    groups: dict[tuple[Any, ...], list[Outcome]] = {}
    for outcome in outcomes:
        # An item that was never compared has no values: it groups under nulls.
        values = outcome.groups or (None,) * len(paths)
        groups.setdefault(_hashable(values), []).append(outcome)
    answer = [
        ImpactGroup(key=dict(zip(paths, key, strict=True)), **summarize(items).model_dump())
        for key, items in groups.items()
    ]
    return sorted(answer, key=lambda g: (-g.rerated, str(g.key)))


def largest(outcomes: Iterable[Outcome], count: int = LARGEST) -> list[LargestChange]:
    """The ``count`` largest premium changes in percent (then in amount)."""
    changed = [o for o in outcomes if o.changed]

    def size(o: Outcome) -> tuple[float, float]:
        before, after = o.premiums or (0.0, 0.0)
        return (abs(o.delta_pct or 0.0), abs(after - before))

    changed.sort(key=size, reverse=True)
    return [
        LargestChange(
            transaction_id=o.transaction_id,
            rerate_transaction_id=o.rerate_id,
            premium_before=o.premium_before,
            premium_after=o.premium_after,
            delta_pct=None if o.delta_pct is None else round(o.delta_pct, 4),
        )
        for o in changed[:count]
    ]


def _bands() -> list[Band]:
    bounds: list[float | None] = [None, *EDGES, None]
    bands: list[Band] = []
    for low, high in pairwise(bounds):
        if low == 0.0:  # no change is a band of its own, between decreases and increases
            bands.append(Band(from_=0.0, to=0.0))
        bands.append(Band(from_=low, to=high))
    return bands


def _band_of(bands: list[Band], delta: float) -> Band:
    for band in bands:
        low = -math.inf if band.from_ is None else band.from_
        high = math.inf if band.to is None else band.to
        if delta == 0.0:
            if low == high == 0.0:
                return band
        elif (delta < 0 and low <= delta < high) or (delta > 0 and low < delta <= high):
            return band
    raise AssertionError(f"no band holds {delta}")


def _rank(ordered: list[float], quantile: float) -> float:
    """The nearest-rank quantile of an ordered list."""
    return ordered[max(0, math.ceil(quantile * len(ordered)) - 1)]


def _hashable(values: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(v if isinstance(v, str | int | float | bool | None) else repr(v) for v in values)
