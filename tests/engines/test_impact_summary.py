"""An impact analysis's items summed up: counts, premiums, change percentiles, bands,
groups and the largest changes."""

from __future__ import annotations

from engines.impact_summary import Outcome, by_group, largest, premium_at, summarize


def outcome(
    before: float | None,
    after: float | None,
    *,
    status_before: str = "completed",
    status_after: str | None = "completed",
    groups: tuple[object, ...] = ("NY",),
    tid: str = "t",
) -> Outcome:
    return Outcome(tid, f"re-{tid}", status_before, status_after, before, after, groups)


def test_the_summary_counts_each_kind_of_outcome_once() -> None:
    items = [
        outcome(100.0, 110.0, tid="up"),
        outcome(100.0, 100.004, tid="same"),  # within a cent
        outcome(200.0, 180.0, tid="down"),
        outcome(100.0, None, status_after="failed", tid="newly-failed"),
        outcome(None, 50.0, status_before="failed", tid="newly-rated"),
        outcome(None, None, status_before="failed", status_after="failed", tid="failing"),
        outcome(100.0, None, status_after=None, groups=(), tid="gone"),
    ]
    summary = summarize(items)
    assert (summary.rerated, summary.unavailable) == (6, 1)
    assert (summary.changed, summary.unchanged) == (2, 1)
    assert (summary.newly_failed, summary.newly_rated, summary.still_failing) == (1, 1, 1)
    assert (summary.premium_before, summary.premium_after) == (400.0, 390.0)
    assert (summary.delta_pct.min, summary.delta_pct.max) == (-10.0, 10.0)
    assert summary.delta_pct.p50 == 0.0
    counts = {(b.from_, b.to): b.count for b in summary.bands}
    assert counts[(-10.0, -5.0)] == 1  # -10 % is in [-10, -5)
    assert counts[(0.0, 0.0)] == 1
    assert counts[(5.0, 10.0)] == 1  # +10 % is in (5, 10]
    assert sum(counts.values()) == 3


def test_groups_and_largest_changes() -> None:
    items = [
        outcome(100.0, 120.0, groups=("NY",), tid="a"),
        outcome(100.0, 100.0, groups=("CA",), tid="b"),
        outcome(100.0, 105.0, groups=("NY",), tid="c"),
        outcome(100.0, None, status_after=None, groups=(), tid="never-compared"),
    ]
    groups = {tuple(g.key.values()): g for g in by_group(items, ["state"])}
    assert (groups[("NY",)].changed, groups[("CA",)].unchanged) == (2, 1)
    assert groups[(None,)].unavailable == 1  # no values: grouped under nulls
    assert [c.transaction_id for c in largest(items)] == ["a", "c"]
    assert by_group(items, []) == []


def test_a_premium_is_a_number_at_its_path() -> None:
    assert premium_at({"premium": 12.5}, "premium") == 12.5
    assert premium_at({"totals": {"premium": 3}}, "totals.premium") == 3.0
    assert premium_at({"premium": True}, "premium") is None
    assert premium_at({"premium": "12"}, "premium") is None
    assert premium_at(None, "premium") is None
