"""Optimistic concurrency for config entities: an ETag per revision, checked by If-Match."""

from __future__ import annotations

from models.errors import ErrorCode, PlatformError

# ``If-Match: *`` (RFC 9110): replace whatever revision is there. The platform's own
# writers (the demo loader) say so explicitly.
ANY = "*"


def etag(revision: int) -> str:
    return f'"r{revision}"'


def check_etag(if_match: str | None, revision: int) -> None:
    """Replacing a stored entity needs ``If-Match``: PRECONDITION_REQUIRED without it,
    VERSION_CONFLICT when it names another revision than the stored one."""
    if if_match is None:
        raise PlatformError(ErrorCode.PRECONDITION_REQUIRED, details={"current": etag(revision)})
    if if_match != ANY and if_match != etag(revision):
        raise PlatformError(
            ErrorCode.VERSION_CONFLICT, details={"expected": if_match, "current": etag(revision)}
        )
