"""Removing a key from a working document without copying it whole."""

from __future__ import annotations

from typing import Any

from engines.paths import without_path


def test_a_dropped_key_is_gone_and_untouched_branches_are_shared() -> None:
    schedule = [{"serial": "EQ-1"}]
    doc: dict[str, Any] = {
        "equipment": schedule,
        "engine": {"request": {"State": "NY", "Exposures": [1]}},
    }
    kept = without_path(doc, "engine.request.Exposures")
    assert kept == {"equipment": schedule, "engine": {"request": {"State": "NY"}}}
    assert kept["equipment"] is schedule  # not copied
    assert doc["engine"]["request"]["Exposures"] == [1]  # the original is left as it was
    assert without_path(kept, "equipment") == {"engine": {"request": {"State": "NY"}}}


def test_dropping_what_is_not_there_is_the_document_itself() -> None:
    doc = {"a": {"b": 1}, "list": [{"c": 1}]}
    for path in ("x", "a.x", "a.b.c", "list.c"):
        assert without_path(doc, path) is doc
    assert without_path([1, 2], "a") == [1, 2]
