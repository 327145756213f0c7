"""A worker holds documents decoded for the step that reads them next: kept or handed over."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from models.errors import ErrorCode, PlatformError
from store.blobs import DiskBlobStore
from store.documents import Documents
from store.hot_documents import MISSING, HotDocuments


def documents(tmp_path: Path, hot: HotDocuments | None = None) -> Documents:
    return Documents(DiskBlobStore(tmp_path / "blobs"), 100, hot or HotDocuments())


async def test_the_next_read_gets_the_value_written_and_the_store_has_it_too(
    tmp_path: Path,
) -> None:
    docs = documents(tmp_path)
    value = {"items": list(range(100))}
    doc = await docs.save_result("tx", 1, "map", value)
    assert (tmp_path / "blobs/tx/01-map.json").exists()  # durable before the step ends
    assert await docs.load(doc) is value  # not decoded again
    again = await docs.load(doc)  # handed over once: a retry reads the store
    assert again == value
    assert again is not value


async def test_a_document_passed_on_unchanged_is_not_decoded_twice(tmp_path: Path) -> None:
    docs = documents(tmp_path)
    doc = await docs.save_request("tx", {"items": list(range(100))})
    read = await Documents(docs.blobs, 100).load(doc)  # another process read it
    docs.pass_on(doc, read)
    assert await docs.load(doc) is read


async def test_without_hot_documents_every_read_decodes(tmp_path: Path) -> None:
    docs = Documents(DiskBlobStore(tmp_path / "blobs"), 100)
    value = {"items": list(range(100))}
    doc = await docs.save_result("tx", 1, "map", value)
    assert await docs.load(doc) is not value


def test_the_oldest_leave_first_past_the_capacity() -> None:
    hot = HotDocuments(capacity_bytes=250)
    hot.keep("a", "A", 100)
    hot.keep("b", "B", 100)
    hot.keep("c", "C", 100)
    hot.keep("huge", "H", 251)  # never kept: it would push out everything else
    assert [hot.take(k) for k in ("a", "b", "c", "huge")] == [MISSING, "B", "C", MISSING]
    assert len(hot) == 0


async def test_what_nobody_takes_leaves_after_its_time() -> None:
    hot = HotDocuments(ttl_s=0.05)
    hot.keep("result", {"premium": 1}, 100)
    await asyncio.sleep(0.2)
    assert len(hot) == 0


async def test_a_handed_over_document_is_held_for_its_run_until_it_moves_on(
    tmp_path: Path,
) -> None:
    docs = documents(tmp_path)
    first = docs.hand_over("tx", 1, "map", {"n": 1}, 500)
    assert not (tmp_path / "blobs/tx/01-map.json").exists()  # never encoded, never stored
    # Every reader gets it (a retry, a step after one that failed and continued).
    assert await docs.load(first) == await docs.load(first) == {"n": 1}
    second = docs.hand_over("tx", 2, "rules", {"n": 2}, 500)
    assert docs.hot is not None
    assert not docs.hot.held("tx/01-map.json")  # superseded
    await docs.store(second, "tx")  # the next step may run on another worker
    assert (tmp_path / "blobs/tx/02-rules.json").exists()
    assert not docs.hot.held("tx/02-rules.json")
    assert await docs.load(second) == {"n": 2}


async def test_a_handed_over_document_another_worker_looks_for_is_lost(tmp_path: Path) -> None:
    doc = documents(tmp_path).hand_over("tx", 1, "map", {"n": 1}, 500)
    with pytest.raises(PlatformError) as caught:
        await documents(tmp_path).load(doc)
    assert caught.value.code == ErrorCode.WORKING_DOCUMENT_LOST


def test_held_documents_are_not_evicted_for_room() -> None:
    hot = HotDocuments(capacity_bytes=150)
    hot.hand_over("held", "tx", "H", 1000)
    hot.keep("a", "A", 100)
    hot.keep("b", "B", 100)
    assert [hot.take(k) for k in ("held", "a", "b")] == ["H", MISSING, "B"]
