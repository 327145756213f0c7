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
from pathlib import Path
from typing import Any, Protocol

from models.errors import ErrorCode, PlatformError
from models.settings import BlobSettings


class BlobStore(Protocol):
    async def put(self, key: str, data: bytes | bytearray) -> str: ...

    async def get(self, key: str) -> bytes: ...

    async def delete(self, key: str) -> None: ...

    async def delete_prefix(self, prefix: str) -> int:
        """Deletes every blob whose key starts with ``prefix``; returns how many."""
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

    async def get(self, key: str) -> bytes:
        try:
            return await asyncio.to_thread(self._path(key).read_bytes)
        except FileNotFoundError as exc:
            raise PlatformError(ErrorCode.RESOURCE_NOT_FOUND, resource="Payload", id=key) from exc

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

    async def get(self, key: str) -> bytes:
        try:
            obj = await asyncio.to_thread(
                self.client.get_object, Bucket=self.bucket, Key=self.prefix + key
            )
            return await asyncio.to_thread(obj["Body"].read)
        except self.client.exceptions.NoSuchKey as exc:
            raise PlatformError(ErrorCode.RESOURCE_NOT_FOUND, resource="Payload", id=key) from exc
        except Exception as exc:
            raise PlatformError(ErrorCode.BLOB_STORE_UNAVAILABLE, str(exc)) from exc

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
