"""A day of transactions as the archive keeps it: JSON lines, gzip-compressed.

A line is a row's every column, under its column's name, in the table's column order:
timestamps in ISO 8601 with their full precision (and their zone exactly as the
database handed them: SQLite's come without one), JSON columns as they were read, the
sealed request as its sealed text. Decoding a line gives back a row equal to the one
encoded, column for column, so a restored transaction is the one archived.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import DateTime

from models.archive import Digest
from models.tables import TransactionRow

COLUMNS = tuple(column.name for column in TransactionRow.__table__.columns)  # type: ignore[attr-defined]
TIMESTAMPS = frozenset(
    column.name
    for column in TransactionRow.__table__.columns  # type: ignore[attr-defined]
    if isinstance(column.type, DateTime)
)


def encode(rows: Iterable[TransactionRow]) -> bytes:
    """The rows as JSON lines (uncompressed)."""
    out = bytearray()
    for row in rows:
        values: dict[str, Any] = {}
        for name in COLUMNS:
            value = getattr(row, name)
            values[name] = value.isoformat() if isinstance(value, datetime) else value
        out += orjson.dumps(values)
        out += b"\n"
    return bytes(out)


def decode(lines: bytes) -> list[TransactionRow]:
    """The rows that :func:`encode` wrote (columns a later release added take defaults)."""
    rows = []
    for line in lines.splitlines():
        values = orjson.loads(line)
        known = {name: values[name] for name in COLUMNS if name in values}
        for name in TIMESTAMPS & known.keys():
            if known[name] is not None:
                known[name] = datetime.fromisoformat(known[name])
        rows.append(TransactionRow(**known))
    return rows


def compress(lines: bytes) -> bytes:
    # No timestamp in the header: the same lines always compress to the same bytes,
    # so a day rewritten with nothing new keeps its file and its name.
    return gzip.compress(lines, compresslevel=6, mtime=0)


def decompress(packed: bytes) -> bytes:
    """The lines; raises on a truncated or altered file (gzip's own CRC-32 and length)."""
    return gzip.decompress(packed)


def digest(data: bytes) -> Digest:
    return Digest(sha256=hashlib.sha256(data).hexdigest(), bytes=len(data))
