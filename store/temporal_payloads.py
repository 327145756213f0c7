"""Temporal's external storage over the platform's blob store: the history's safety net.

Rating documents never travel through history whole: steps pass them by reference
(``store.documents``), so the workflow never holds a large document in memory and a
replay never re-reads one. This driver catches everything else that grows (a batch's
step records, a large failure detail): any payload above the threshold goes to the
blob store and history keeps a claim, instead of a run stalling on Temporal's 2 MB
payload limit. Stored payloads are already encrypted when a payload key is
configured (the codec runs before storage).

Keys are ``temporal/{day}/{sha256}``: content-addressed within a day, and grouped by day
so that retention can drop whole days once Temporal's own retention has dropped the
histories that name them (``RetentionActivities``, an S3 lifecycle rule).
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime

from temporalio.api.common.v1 import Payload
from temporalio.converter import (
    ExternalStorage,
    StorageDriver,
    StorageDriverClaim,
    StorageDriverRetrieveContext,
    StorageDriverStoreContext,
)

from store.blobs import BlobStore

DRIVER = "irx.blobs"
PREFIX = "temporal/"
# Above Temporal's own warnings, well under its 2 MB payload limit: a workflow task
# may complete several results at once within its 4 MB message.
THRESHOLD_BYTES = 256 * 1024


class BlobStorageDriver(StorageDriver):
    """Payloads as blobs of the platform's store (disk, or S3 in production)."""

    def __init__(self, blobs: BlobStore) -> None:
        self.blobs = blobs

    def name(self) -> str:
        return DRIVER

    def type(self) -> str:
        return DRIVER

    async def store(
        self, context: StorageDriverStoreContext, payloads: Sequence[Payload]
    ) -> list[StorageDriverClaim]:
        day = datetime.now(UTC).date().isoformat()

        async def one(payload: Payload) -> StorageDriverClaim:
            raw = payload.SerializeToString()
            digest = hashlib.sha256(raw).hexdigest()
            key = f"{PREFIX}{day}/{digest}"
            await self.blobs.put(key, raw)
            return StorageDriverClaim(claim_data={"key": key, "sha256": digest})

        return list(await asyncio.gather(*(one(p) for p in payloads)))

    async def retrieve(
        self, context: StorageDriverRetrieveContext, claims: Sequence[StorageDriverClaim]
    ) -> list[Payload]:
        async def one(claim: StorageDriverClaim) -> Payload:
            key = claim.claim_data["key"]
            raw = await self.blobs.get(key)
            if hashlib.sha256(raw).hexdigest() != claim.claim_data["sha256"]:
                raise ValueError(f"the stored payload {key} does not match its claim")
            payload = Payload()
            payload.ParseFromString(raw)
            return payload

        return list(await asyncio.gather(*(one(c) for c in claims)))


def external_storage(blobs: BlobStore) -> ExternalStorage:
    return ExternalStorage(
        drivers=[BlobStorageDriver(blobs)], payload_size_threshold=THRESHOLD_BYTES
    )
