"""The blob store for payloads too large for Temporal history (claim check).

Local disk by default; S3 (via boto3) in production. Keys are relative paths such
as ``{transactionId}/request.json``.
"""

from __future__ import annotations

import asyncio
import io
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from pathlib import Path
from typing import IO, Any, Protocol

from models.errors import ErrorCode, PlatformError
from models.settings import BlobSettings

# Streams move in pieces of this size: large enough that a thread hop per piece costs
# nothing measurable, small enough that a 50 MB document is never in memory whole.
STREAM_CHUNK_BYTES = 1024 * 1024


class BlobWriter(Protocol):
    async def write(self, chunk: bytes | bytearray) -> None: ...


class BlobStore(Protocol):
    async def put(self, key: str, data: bytes | bytearray) -> str: ...

    def writer(self, key: str) -> AbstractAsyncContextManager[BlobWriter]:
        """Writes a blob piece by piece as it arrives (a request body): it exists under
        ``key`` only once the block exits cleanly; on an error nothing is left."""
        ...

    async def get(self, key: str) -> bytes: ...

    def stream(self, key: str) -> AsyncIterator[bytes]:
        """The blob in pieces of at most ``STREAM_CHUNK_BYTES``, never whole in memory."""
        ...

    async def delete(self, key: str) -> None: ...

    async def delete_prefix(self, prefix: str) -> int:
        """Deletes every blob whose key starts with ``prefix``; returns how many."""
        ...

    async def keys(self, prefix: str) -> list[str]:
        """The keys of every blob under ``prefix`` (a folder: it ends in "/"), sorted."""
        ...


class DiskBlobStore:
    """Blobs as files under one root; writes are atomic (temp file + rename)."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root):
            raise PlatformError(ErrorCode.VALIDATION_FAILED, f"Blob key {key!r} is not allowed.")
        return path

    def _write(self, path: Path, data: bytes | bytearray) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
        tmp.write_bytes(data)
        os.replace(tmp, path)

    async def put(self, key: str, data: bytes | bytearray) -> str:
        await asyncio.to_thread(self._write, self._path(key), data)
        return key

    @asynccontextmanager
    async def writer(self, key: str) -> AsyncIterator[BlobWriter]:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
        file = await asyncio.to_thread(tmp.open, "wb")
        try:
            out = _BufferedWriter(lambda piece: asyncio.to_thread(file.write, piece))
            yield out
            await out.drain()
            await asyncio.to_thread(file.close)
            os.replace(tmp, path)
        finally:
            file.close()
            tmp.unlink(missing_ok=True)  # still there only when the write did not finish

    async def get(self, key: str) -> bytes:
        try:
            return await asyncio.to_thread(self._path(key).read_bytes)
        except FileNotFoundError as exc:
            raise PlatformError(ErrorCode.RESOURCE_NOT_FOUND, resource="Payload", id=key) from exc

    async def stream(self, key: str) -> AsyncIterator[bytes]:
        try:
            file: IO[bytes] = await asyncio.to_thread(self._path(key).open, "rb")
        except FileNotFoundError as exc:
            raise PlatformError(ErrorCode.RESOURCE_NOT_FOUND, resource="Payload", id=key) from exc
        try:
            while piece := await asyncio.to_thread(file.read, STREAM_CHUNK_BYTES):
                yield piece
        finally:
            file.close()

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, True)

    async def delete_prefix(self, prefix: str) -> int:
        def remove() -> int:
            # Keys are paths: a prefix ending in "/" is a folder of the store.
            folder = self._path(prefix.rstrip("/"))
            if not folder.is_dir():
                return 0
            count = sum(1 for p in folder.rglob("*") if p.is_file())
            shutil.rmtree(folder)
            return count

        return await asyncio.to_thread(remove)

    async def keys(self, prefix: str) -> list[str]:
        def walk() -> list[str]:
            folder = self._path(prefix.rstrip("/"))
            if not folder.is_dir():
                return []
            return sorted(
                p.relative_to(self.root).as_posix()
                for p in folder.rglob("*")
                if p.is_file() and not p.name.startswith(".")  # not a write under way
            )

        return await asyncio.to_thread(walk)


class _BufferedWriter:
    """Gathers small pieces (a request body arrives in 64 KiB ones) into ``size``-byte
    ones for ``flush``: one thread hop or one upload per piece, not per network read."""

    def __init__(
        self, flush: Callable[[bytes], Awaitable[Any]], size: int = STREAM_CHUNK_BYTES
    ) -> None:
        self.flush = flush
        self.size = size
        self.pending = bytearray()

    async def write(self, chunk: bytes | bytearray) -> None:
        self.pending += chunk
        if len(self.pending) >= self.size:
            await self.drain()

    async def drain(self) -> None:
        if self.pending:
            piece, self.pending = bytes(self.pending), bytearray()
            await self.flush(piece)


# Documents above this go up in parts of this size, several at once (S3 multipart):
# a 50 MB treaty uploads in 7 parts rather than one long request.
MULTIPART_BYTES = 8 * 1024 * 1024


class S3BlobStore:
    """Blobs in one S3 bucket under a prefix, encrypted at rest by S3 (``sse``: AES256,
    or aws:kms with ``kms_key_id``); boto3 calls run in a thread."""

    def __init__(
        self,
        client: Any,
        bucket: str,
        prefix: str = "",
        sse: str = "AES256",
        kms_key_id: str | None = None,
    ) -> None:
        from boto3.s3.transfer import TransferConfig

        self.client = client
        self.bucket = bucket
        self.prefix = prefix
        self.extra: dict[str, str] = {"ServerSideEncryption": sse}
        if kms_key_id:
            self.extra["SSEKMSKeyId"] = kms_key_id
        self.transfer = TransferConfig(
            multipart_threshold=MULTIPART_BYTES, multipart_chunksize=MULTIPART_BYTES
        )

    async def put(self, key: str, data: bytes | bytearray) -> str:
        try:
            await asyncio.to_thread(
                self.client.upload_fileobj,
                io.BytesIO(data),
                self.bucket,
                self.prefix + key,
                ExtraArgs=self.extra,
                Config=self.transfer,
            )
        except Exception as exc:
            raise PlatformError(ErrorCode.BLOB_STORE_UNAVAILABLE, str(exc)) from exc
        return key

    @asynccontextmanager
    async def writer(self, key: str) -> AsyncIterator[BlobWriter]:
        upload = _MultipartUpload(self, self.prefix + key)
        out = _BufferedWriter(upload.part, MULTIPART_BYTES)
        try:
            yield out
            await upload.finish(bytes(out.pending))
        except BaseException:
            await upload.abort()
            raise

    async def get(self, key: str) -> bytes:
        body = await self._body(key)
        try:
            return await asyncio.to_thread(body.read)
        except Exception as exc:
            raise PlatformError(ErrorCode.BLOB_STORE_UNAVAILABLE, str(exc)) from exc

    async def stream(self, key: str) -> AsyncIterator[bytes]:
        body = await self._body(key)
        try:
            while piece := await asyncio.to_thread(body.read, STREAM_CHUNK_BYTES):
                yield piece
        except Exception as exc:
            raise PlatformError(ErrorCode.BLOB_STORE_UNAVAILABLE, str(exc)) from exc
        finally:
            body.close()

    async def _body(self, key: str) -> Any:
        """The object's body, not yet read (botocore's StreamingBody)."""
        try:
            obj = await asyncio.to_thread(
                self.client.get_object, Bucket=self.bucket, Key=self.prefix + key
            )
        except self.client.exceptions.NoSuchKey as exc:
            raise PlatformError(ErrorCode.RESOURCE_NOT_FOUND, resource="Payload", id=key) from exc
        except Exception as exc:
            raise PlatformError(ErrorCode.BLOB_STORE_UNAVAILABLE, str(exc)) from exc
        return obj["Body"]

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(
            self.client.delete_object, Bucket=self.bucket, Key=self.prefix + key
        )

    async def delete_prefix(self, prefix: str) -> int:
        def remove() -> int:
            count = 0
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=self.prefix + prefix
            )
            for page in pages:
                keys = [{"Key": o["Key"]} for o in page.get("Contents", [])]
                if keys:  # at most 1000 a page, as delete_objects takes
                    self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": keys})
                    count += len(keys)
            return count

        try:
            return await asyncio.to_thread(remove)
        except Exception as exc:
            raise PlatformError(ErrorCode.BLOB_STORE_UNAVAILABLE, str(exc)) from exc

    async def keys(self, prefix: str) -> list[str]:
        def walk() -> list[str]:
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=self.prefix + prefix
            )
            start = len(self.prefix)
            return sorted(o["Key"][start:] for page in pages for o in page.get("Contents", []))

        try:
            return await asyncio.to_thread(walk)
        except Exception as exc:
            raise PlatformError(ErrorCode.BLOB_STORE_UNAVAILABLE, str(exc)) from exc


class _MultipartUpload:
    """One object uploaded part by part as it is written; a body that stays under one
    part goes up in a single request instead."""

    def __init__(self, store: S3BlobStore, key: str) -> None:
        self.store = store
        self.key = key
        self.upload_id: str | None = None
        self.parts: list[dict[str, Any]] = []

    async def _call(self, method: str, **kwargs: Any) -> Any:
        call = getattr(self.store.client, method)
        try:
            return await asyncio.to_thread(call, Bucket=self.store.bucket, Key=self.key, **kwargs)
        except Exception as exc:
            raise PlatformError(ErrorCode.BLOB_STORE_UNAVAILABLE, str(exc)) from exc

    async def part(self, piece: bytes) -> None:
        if self.upload_id is None:
            created = await self._call("create_multipart_upload", **self.store.extra)
            self.upload_id = created["UploadId"]
        number = len(self.parts) + 1
        done = await self._call(
            "upload_part", UploadId=self.upload_id, PartNumber=number, Body=piece
        )
        self.parts.append({"PartNumber": number, "ETag": done["ETag"]})

    async def finish(self, rest: bytes) -> None:
        if self.upload_id is None:
            await self._call("put_object", Body=rest, **self.store.extra)
            return
        if rest:
            await self.part(rest)
        await self._call(
            "complete_multipart_upload",
            UploadId=self.upload_id,
            MultipartUpload={"Parts": self.parts},
        )

    async def abort(self) -> None:
        """Drops the parts already sent (S3 would otherwise keep and bill them)."""
        # Should this fail too, the bucket's lifecycle rule for incomplete uploads cleans up.
        if self.upload_id is not None:
            with suppress(PlatformError):
                await self._call("abort_multipart_upload", UploadId=self.upload_id)


def create_blob_store(settings: BlobSettings) -> BlobStore:
    """The blob store the settings name."""
    if settings.backend == "s3":
        import boto3

        if not settings.s3_bucket:
            raise ValueError("IRX_BLOBS__S3_BUCKET is required for the s3 backend")
        client = boto3.client(
            "s3", endpoint_url=settings.s3_endpoint_url, region_name=settings.s3_region
        )
        return S3BlobStore(
            client,
            settings.s3_bucket,
            settings.s3_prefix,
            settings.s3_sse,
            settings.s3_kms_key_id,
        )
    return DiskBlobStore(settings.root)
