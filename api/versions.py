"""API versions: which one a request is on (its path decides), and v1's deprecation.

Every route is served under each version from one handler (api/app.py includes each
router once per version); what differs is how answers are dressed: v2's errors are
RFC 9457 problems, its rate-limit fields the IETF draft's, its list queries camelCase
only; v1's answers say it is deprecated (RFC 9745), when it ends (RFC 8594) and where
its successor is.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime
from email.utils import format_datetime
from functools import cache
from typing import Literal
from urllib.parse import quote

Version = Literal["v1", "v2"]
VERSIONS: tuple[Version, ...] = ("v1", "v2")
CURRENT: Version = "v2"


def version_of(path: str) -> Version | None:
    """The version a path names (``/api/v2/...``), None outside the versioned API."""
    parts = path.split("/", 3)
    if len(parts) >= 3 and parts[1] == "api":
        for version in VERSIONS:
            if parts[2] == version:
                return version
    return None


def prefix_of(path: str) -> str:
    """``/api/v1`` or ``/api/v2``, as the request's path has it (v1 outside the API)."""
    return f"/api/{version_of(path) or 'v1'}"


def uri_of(path: str) -> str:
    """A decoded request path as a URI reference again (percent-encoded)."""
    return quote(path, safe="/:@!$&'()*+,;=-._~")


def successor_of(path: str) -> str:
    """The same route under the current version (percent-encoded: a header is ASCII)."""
    rest = path[len("/api/") + 2 :] if version_of(path) else path
    return uri_of(f"/api/{CURRENT}{rest}")


def deprecation_headers(released: date, sunset: date, path: str) -> list[tuple[bytes, bytes]]:
    """What every v1 answer carries: since when it is deprecated (the day v2 was
    released, as an RFC 9651 date), when it goes, and the same route in v2."""
    link = f'<{successor_of(path)}>; rel="successor-version"'.encode()
    return [*_dated(released, sunset), (b"link", link)]


@cache
def _dated(released: date, sunset: date) -> tuple[tuple[bytes, bytes], ...]:
    """The two dated fields, written once per process (the settings do not change)."""
    since = calendar.timegm(released.timetuple())
    ends = format_datetime(datetime(sunset.year, sunset.month, sunset.day, tzinfo=UTC), True)
    return ((b"deprecation", f"@{since}".encode()), (b"sunset", ends.encode()))
