"""Requests kept with their transactions, so any past rating can be run again.

A request larger than the inline threshold lives in the blob store already
(``request_ref``). A small one was kept only as its workflow's input, which Temporal
drops after its namespace's retention (7 days) while plans keep transactions up to a
year: it is kept in the row too (``request_kept``), exactly as received, sealed with
the secrets keyring (``IRX_SECRET_KEYS``) when one is configured. The sealed value's
associated data names the organization and transaction, so a value copied into
another row does not open. ``irx secrets reseal`` seals them again with the active key
after a rotation (``reseal_requests``).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import col, select

from models.json_shape import parse_document
from models.rating import Doc
from models.tables import TransactionRow
from store.db import SessionFactory
from store.documents import request_document
from store.sealing import Keyring, SealError, is_sealed


def _context(organization_id: str, transaction_id: str) -> str:
    return f"transaction:{organization_id}:{transaction_id}:request"


def keep(
    keyring: Keyring | None, organization_id: str, transaction_id: str, raw: bytes | bytearray
) -> str:
    """What ``request_kept`` holds for a request received as ``raw`` (JSON, so UTF-8)."""
    text = raw.decode()
    if keyring is None:
        return text  # a JSON document never starts as a sealed value does
    return keyring.seal(text, _context(organization_id, transaction_id))


def kept_request(keyring: Keyring | None, row: TransactionRow) -> bytes | None:
    """The request ``row`` keeps inline, byte for byte as received; None when it keeps
    none (a large request is in the blob store; a row written before requests were kept).

    Raises:
        SealError: sealed, and the keyring cannot open it (no keyring, a dropped key).
    """
    value = row.request_kept
    if value is None:
        return None
    if not is_sealed(value):
        return value.encode()
    if keyring is None:
        raise SealError("the request is sealed and IRX_SECRET_KEYS is not set")
    return keyring.open(value, _context(row.organization_id, row.id)).encode()


def run_request(keyring: Keyring | None, row: TransactionRow) -> tuple[Doc, bytes | None] | None:
    """``row``'s request as a new run of it takes it (a large one by reference to its blob),
    with its bytes when kept inline (to keep again, sealed for the new transaction); None
    when it is no longer kept, or does not open."""
    if row.request_ref is not None:
        return request_document(row.request_bytes, ref=row.request_ref), None
    try:
        raw = kept_request(keyring, row)
    except SealError:
        return None
    if raw is None:
        return None
    return request_document(len(raw), value=parse_document(raw)), raw


async def reseal_requests(
    sessions: SessionFactory,
    keyring: Keyring,
    checked: Callable[[int], None] | None = None,
    batch: int = 500,
) -> int:
    """Seals every kept request with the keyring's active key (after a rotation, or one
    kept in clear before a keyring was set), a batch per database transaction; returns
    how many changed (``checked`` hears how many were looked at)."""
    changed, after = 0, ""
    while True:
        async with sessions() as session:
            rows = (
                await session.exec(
                    select(TransactionRow)
                    .where(
                        col(TransactionRow.request_kept).is_not(None),
                        col(TransactionRow.id) > after,
                    )
                    .order_by(col(TransactionRow.id))
                    .limit(batch)
                )
            ).all()
            for row in rows:
                assert row.request_kept is not None
                if keyring.sealed_by_active(row.request_kept):
                    continue
                raw = kept_request(keyring, row)
                assert raw is not None
                row.request_kept = keep(keyring, row.organization_id, row.id, raw)
                session.add(row)
                changed += 1
            await session.commit()
        if checked is not None:
            checked(len(rows))
        if len(rows) < batch:
            return changed
        after = rows[-1].id


def rerun_of(
    keyring: Keyring | None,
    original: TransactionRow,
    rerun_id: str,
    *,
    flow_version: int,
    flow_version_id: str,
    api_key_id: str | None,
    correlation_id: str,
) -> tuple[TransactionRow, Doc] | None:
    """The simulation transaction ``rerun_id`` that re-runs ``original``'s request under
    another version (an impact analysis's, a challenger's), its request kept again under
    its own id, and that request as the run takes it; None when it is no longer kept."""
    found = run_request(keyring, original)
    if found is None:
        return None
    request, raw = found
    row = TransactionRow(
        id=rerun_id,
        organization_id=original.organization_id,
        api_key_id=api_key_id,
        correlation_id=correlation_id,
        product_code=original.product_code,
        endpoint=original.endpoint,
        flow_version=flow_version,
        flow_version_id=flow_version_id,
        request_hash=original.request_hash,
        replay_of=original.id,
        mode="simulation",
        request_bytes=original.request_bytes,
        request_ref=original.request_ref,
    )
    if raw is not None:
        row.request_kept = keep(keyring, row.organization_id, row.id, raw)
    return row, request
