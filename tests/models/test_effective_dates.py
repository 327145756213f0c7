"""The timeline of dated versions and a request's date, without the platform around them."""

from __future__ import annotations

from datetime import date

import pytest

from models.effective_dates import in_force, request_date, timeline_of, warnings_of
from models.errors import PlatformError

JAN = date(2027, 1, 1)
JUL = date(2027, 7, 1)


def spans(published: list[tuple[int, date | None]]) -> list[tuple[int, date | None, date | None]]:
    return [(e.version, e.effective_from, e.effective_until) for e in timeline_of(published)]


def test_a_dated_change_follows_the_version_it_replaces() -> None:
    published = [(1, None), (2, JAN), (3, JUL)]
    assert spans(published) == [(1, None, JAN), (2, JAN, JUL), (3, JUL, None)]
    assert [in_force(published, d) for d in (date(2026, 12, 31), JAN, JUL)] == [1, 2, 3]
    assert warnings_of(published) == []


def test_dates_before_the_earliest_version_are_a_gap() -> None:
    (gap,) = warnings_of([(1, JAN)])
    assert (gap.kind, gap.effective_from) == ("gap", JAN)
    assert in_force([(1, JAN)], date(2026, 12, 31)) is None


def test_an_older_version_dated_after_a_newer_one_rates_nothing() -> None:
    published = [(2, None), (1, JAN)]
    assert spans(published) == [(2, None, None)]
    (overlap,) = warnings_of(published)
    assert (overlap.kind, overlap.version, overlap.shadowed_by) == ("overlap", 1, 2)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2027-01-01", JAN),
        ("2027-01-01T00:30:00+02:00", JAN),  # its own calendar date, not UTC's
        ("2027-01-01T23:59:59Z", JAN),
        (None, None),
    ],
)
def test_a_request_date_is_an_iso_date_or_date_time(value: str | None, expected: date) -> None:
    assert request_date({"quote": {"effectiveDate": value}}, "quote.effectiveDate") == expected


def test_an_absent_date_is_none_and_a_malformed_one_is_refused() -> None:
    assert request_date({"quote": {}}, "quote.effectiveDate") is None
    assert request_date({"quote": "Q-1"}, "quote.effectiveDate") is None
    for bad in ("next tuesday", 20270101, "2027-13-01"):
        with pytest.raises(PlatformError) as refused:
            request_date({"quote": {"effectiveDate": bad}}, "quote.effectiveDate")
        assert refused.value.details["problems"][0]["path"] == "quote.effectiveDate"
