"""A run's documents: each kind under its key, and read back as its kind says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from models.documents import (
    DocKind,
    detail_key,
    quarantine_key,
    request_key,
    result_key,
    transaction_prefix,
)
from models.errors import ErrorCode, PlatformError
from models.json_shape import MAX_DEPTH
from models.rating import Doc
from store.blobs import DiskBlobStore
from store.documents import DETAIL_INLINE_BYTES, Documents, request_document


def documents(tmp_path: Path) -> Documents:
    return Documents(DiskBlobStore(tmp_path / "blobs"), 100)


def nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = {"k": value}
    return value


def test_the_key_layout_is_the_one_earlier_releases_wrote() -> None:
    # Recorded in histories, rows and stores already: these keys never change.
    assert transaction_prefix("tx") == "tx/"
    assert request_key("tx") == "tx/request.json"
    assert result_key("tx", 3, "map request") == "tx/03-map request.json"
    assert detail_key("tx", 3, "rules") == "tx/03-rules.detail.json"
    assert quarantine_key("tx", 4, "to XML") == "tx/quarantine/04-to XML"
    keys = [request_key("tx"), result_key("tx", 0, "s"), quarantine_key("tx", 0, "s")]
    assert all(key.startswith(transaction_prefix("tx")) for key in keys)


async def test_each_kind_is_stored_under_its_key(tmp_path: Path) -> None:
    docs = documents(tmp_path)
    big = {"items": list(range(100))}
    request = await docs.save_request("tx", big, orjson.dumps(big))
    result = await docs.save_result("tx", 1, "map", big)
    assert (request.kind, request.ref) == (DocKind.REQUEST, "tx/request.json")
    assert (result.kind, result.ref) == (DocKind.RESULT, "tx/01-map.json")
    detail = {"worksheet": ["line"] * DETAIL_INLINE_BYTES}
    kept = await docs.save_detail("tx", 2, "rules", detail)
    assert kept["detailRef"] == "tx/02-rules.detail.json"
    assert await docs.load_detail(kept) == detail


async def test_a_request_is_checked_as_it_is_read_and_a_result_is_not(tmp_path: Path) -> None:
    docs = documents(tmp_path)
    deep = nested(MAX_DEPTH + 1)  # a step may leave what no client may send
    result = await docs.save_result("tx", 1, "map", deep)
    assert await docs.load(result) == deep
    raw = orjson.dumps(deep)
    await docs.blobs.put(request_key("tx"), raw)  # streamed in, unread
    with pytest.raises(PlatformError) as caught:
        await docs.load(request_document(len(raw), ref=request_key("tx")))
    assert caught.value.code == ErrorCode.VALIDATION_FAILED


@pytest.mark.parametrize(
    ("recorded", "kind"),
    [
        ({"ref": "tx/request.json", "size": 200}, DocKind.REQUEST),
        ({"ref": "tx/01-map.json", "size": 200}, DocKind.RESULT),
        ({"ref": "tx/03-request.json", "size": 200}, DocKind.RESULT),  # a step named so
        ({"inline": {"a": 1}, "size": 7}, DocKind.RESULT),
        ({"ref": "tx/01-map.json", "kind": "request"}, DocKind.REQUEST),
    ],
)
def test_a_document_recorded_without_its_kind_takes_the_kind_of_its_key(
    recorded: dict[str, Any], kind: DocKind
) -> None:
    # Histories of runs started before documents carried their kind hold such payloads.
    assert Doc.model_validate(recorded).kind is kind
    assert Doc.model_validate_json(orjson.dumps(recorded)).kind is kind


def test_a_document_carries_its_kind_through_history() -> None:
    doc = request_document(5000, ref=request_key("tx"))
    payload = doc.model_dump(mode="json")
    assert payload == {"inline": None, "ref": "tx/request.json", "size": 5000, "kind": "request"}
    assert Doc.model_validate(payload) == doc
