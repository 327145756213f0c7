"""What a run's documents are and where the blob store keeps each: the one owner of
document kinds and of their keys.

Every document of a transaction is kept under the transaction's prefix, which retention
deletes with it (``{t}`` the transaction, ``{i}`` the step's index, ``{s}`` its name):

- ``request``: the client's body, checked as it is first read; ``{t}/request.json``.
- ``result``: a step's document, written by the platform; ``{t}/{i:02d}-{s}.json``.
- ``detail``: a step's detail too large for its record; ``{t}/{i:02d}-{s}.detail.json``.
- ``quarantined``: a document a step refused, as it came; ``{t}/quarantine/{i:02d}-{s}``.

Keys are recorded (in Temporal histories, in transaction and quarantine rows) and read
back by later releases: the layout never changes. The archive of transactions past the
hot retention keeps its own keys (``archive/...``, ``models.archive``).
"""

from __future__ import annotations

from enum import StrEnum


class DocKind(StrEnum):
    """What a stored document is, which says how it is read back."""

    REQUEST = "request"
    RESULT = "result"
    DETAIL = "detail"
    QUARANTINED = "quarantined"


REQUEST_NAME = "request.json"


def transaction_prefix(transaction_id: str) -> str:
    """The prefix of every document the transaction keeps."""
    return f"{transaction_id}/"


def request_key(transaction_id: str) -> str:
    """Where a transaction's request is kept (streamed in, or stored once large)."""
    return f"{transaction_prefix(transaction_id)}{REQUEST_NAME}"


def result_key(transaction_id: str, index: int, step: str) -> str:
    """Where the document step ``index`` (named ``step``) leaves is kept."""
    return f"{_step(transaction_id, index, step)}.json"


def detail_key(transaction_id: str, index: int, step: str) -> str:
    """Where a step's detail is kept once too large for its record."""
    return f"{_step(transaction_id, index, step)}.detail.json"


def quarantine_key(transaction_id: str, index: int, step: str) -> str:
    """Where the document step ``index`` refused is kept, as it came."""
    return f"{transaction_prefix(transaction_id)}quarantine/{index:02d}-{step}"


def recorded_kind(key: str) -> DocKind:
    """The kind of the document at ``key`` when only its key was recorded: a run's document
    in history from before documents carried their kind, a transaction's result reference.
    Either is the request or a step's document."""
    return DocKind.REQUEST if key.endswith("/" + REQUEST_NAME) else DocKind.RESULT


def _step(transaction_id: str, index: int, step: str) -> str:
    return f"{transaction_prefix(transaction_id)}{index:02d}-{step}"
