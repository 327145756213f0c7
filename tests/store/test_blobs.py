"""The blob store on local disk and on S3 (moto's S3 server, over real HTTP)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from models.errors import ErrorCode, PlatformError
from models.settings import BlobSettings
from models.tables import TransactionRow
from store.archive import Archive
from store.blobs import (
    MULTIPART_BYTES,
    STREAM_CHUNK_BYTES,
    BlobStore,
    DiskBlobStore,
    S3BlobStore,
    create_blob_store,
)
from store.documents import Documents
from tests.conftest import free_port


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A new bucket of the S3 server, with the credentials boto3 needs for it."""
    for name, value in (
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
        ("AWS_DEFAULT_REGION", "us-east-1"),
    ):
        monkeypatch.setenv(name, value)
    bucket = f"irx-{uuid.uuid4().hex[:8]}"
    boto3.client("s3", endpoint_url=s3_endpoint).create_bucket(Bucket=bucket)
    return bucket


@pytest.fixture(params=["disk", "s3"])
def blobs(request: pytest.FixtureRequest, tmp_path: Path) -> BlobStore:
    if request.param == "disk":
        return DiskBlobStore(tmp_path)
    endpoint, bucket = request.getfixturevalue("s3_endpoint"), request.getfixturevalue("s3_bucket")
    return create_blob_store(BlobSettings(backend="s3", s3_bucket=bucket, s3_endpoint_url=endpoint))


async def test_a_transaction_s_documents_are_deleted_together(blobs: BlobStore) -> None:
    for key in ("tx-1/request.json", "tx-1/quarantine/00-x", "tx-10/request.json"):
        await blobs.put(key, b"{}")
    assert await blobs.delete_prefix("tx-1/") == 2
    assert await blobs.get("tx-10/request.json") == b"{}"  # a sibling with a longer id stays
    assert await blobs.delete_prefix("tx-1/") == 0


async def test_keys_under_a_folder(blobs: BlobStore) -> None:
    for key in ("archive/o/2025-01-01/manifest.json", "archive/o/2025-01-02/x.gz", "tx/a"):
        await blobs.put(key, b"{}")
    assert await blobs.keys("archive/o/") == [
        "archive/o/2025-01-01/manifest.json",
        "archive/o/2025-01-02/x.gz",
    ]
    assert await blobs.keys("archive/other/") == []


async def test_an_archived_day_reads_back_as_written(blobs: BlobStore) -> None:
    archive = Archive(blobs)
    day = datetime(2025, 1, 1, tzinfo=UTC)
    rows = [
        TransactionRow(
            id=f"tx-{n}",
            organization_id="o",
            correlation_id="c",
            product_code="IMCE",
            endpoint="rate",
            flow_version=1,
            flow_version_id="fv",
            request_hash="0" * 64,
            request_kept='{"a": 1}',
            result={"premium": 1.5},
            chain_seq=n,
            chain_hash=f"{n:064d}",
            started_at=day + timedelta(hours=n, microseconds=n),
        )
        for n in (1, 2)
    ]
    await archive.store("o", day.date(), rows[:1], day)
    manifest = await archive.store("o", day.date(), rows[1:], day)  # merged
    assert (manifest.count, manifest.first_seq, manifest.last_seq) == (2, 1, 2)
    assert await archive.days("o") == [day.date()]
    back = await archive.read(manifest)
    assert [r.model_dump() for r in back] == [r.model_dump() for r in rows]
    assert len(await blobs.keys("archive/o/")) == 2  # the first write's file is gone
    await archive.drop("o", day.date())
    assert await archive.days("o") == []


async def test_put_get_delete(blobs: BlobStore) -> None:
    data = b"x" * 300_000
    await blobs.put("tx-1/request.json", data)
    assert await blobs.get("tx-1/request.json") == data
    await blobs.delete("tx-1/request.json")
    with pytest.raises(PlatformError) as caught:
        await blobs.get("tx-1/request.json")
    assert caught.value.code == ErrorCode.RESOURCE_NOT_FOUND


async def test_documents_stay_inline_until_the_threshold(blobs: BlobStore) -> None:
    documents = Documents(blobs, inline_threshold=100)
    small = await documents.save_result("tx", 0, "small", {"a": 1})
    assert (small.inline, small.ref) == ({"a": 1}, None)
    big_value = {"items": list(range(100))}
    big = await documents.save_result("tx", 1, "big", big_value)
    assert big.inline is None
    assert big.ref == "tx/01-big.json"
    assert await documents.load(big) == big_value


@pytest.mark.parametrize("how", ["put", "written piece by piece"])
async def test_s3_uploads_large_documents_in_parts_encrypted_at_rest(
    s3_endpoint: str, s3_bucket: str, how: str
) -> None:
    s3 = boto3.client("s3", endpoint_url=s3_endpoint)
    blobs = create_blob_store(
        BlobSettings(backend="s3", s3_bucket=s3_bucket, s3_endpoint_url=s3_endpoint)
    )
    data = os.urandom(2 * MULTIPART_BYTES + 17)  # three parts, the last a short one
    if how == "put":
        await blobs.put("tx-big/request.json", data)
    else:
        async with blobs.writer("tx-big/request.json") as out:
            for at in range(0, len(data), 65536):  # as a request body arrives
                await out.write(data[at : at + 65536])
    assert await blobs.get("tx-big/request.json") == data
    head = s3.head_object(Bucket=s3_bucket, Key="payloads/tx-big/request.json")
    assert head["ETag"].strip('"').endswith("-3")  # S3's mark of a 3-part upload
    assert head["ServerSideEncryption"] == "AES256"
    assert head["ContentLength"] == len(data)


async def test_a_blob_written_piece_by_piece_reads_back_in_pieces(blobs: BlobStore) -> None:
    data = os.urandom(STREAM_CHUNK_BYTES * 2 + 99)
    async with blobs.writer("tx-w/request.json") as out:
        for at in range(0, len(data), 65536):  # as a request body arrives
            await out.write(data[at : at + 65536])
    pieces = [piece async for piece in blobs.stream("tx-w/request.json")]
    assert b"".join(pieces) == data
    assert max(len(p) for p in pieces) <= STREAM_CHUNK_BYTES


async def test_a_write_that_fails_leaves_nothing(blobs: BlobStore) -> None:
    async def cut_short() -> None:
        async with blobs.writer("tx-f/request.json") as out:
            await out.write(os.urandom(MULTIPART_BYTES + 1))  # a part is already sent to S3
            raise PlatformError(ErrorCode.PAYLOAD_TOO_LARGE, limit=1)

    with pytest.raises(PlatformError):
        await cut_short()
    with pytest.raises(PlatformError) as caught:
        await blobs.get("tx-f/request.json")
    assert caught.value.code == ErrorCode.RESOURCE_NOT_FOUND
    with pytest.raises(PlatformError) as caught:
        async for _ in blobs.stream("tx-f/request.json"):
            pass
    assert caught.value.code == ErrorCode.RESOURCE_NOT_FOUND
    if isinstance(blobs, DiskBlobStore):
        assert not any(blobs.root.rglob("*request.json*"))  # no temp file either
    else:
        assert isinstance(blobs, S3BlobStore)
        uploads = blobs.client.list_multipart_uploads(Bucket=blobs.bucket)
        assert not uploads.get("Uploads")  # the sent part was aborted, not kept (and billed)


async def test_disk_keys_cannot_escape_the_root(tmp_path: Path) -> None:
    with pytest.raises(PlatformError):
        await DiskBlobStore(tmp_path / "root").put("../outside", b"x")
