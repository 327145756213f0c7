"""Optimistic concurrency for config entities: an ETag per revision, checked by If-Match."""

from __future__ import annotations

from models.errors import ErrorCode, PlatformError


def etag(revision: int) -> str:
    return f'"r{revision}"'


def check_etag(if_match: str | None, revision: int) -> None:
    """VERSION_CONFLICT when ``If-Match`` names another revision than the stored one."""
    if if_match is not None and if_match != etag(revision):
        raise PlatformError(
            ErrorCode.VERSION_CONFLICT, details={"expected": if_match, "current": etag(revision)}
        )
