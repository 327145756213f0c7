"""v2's errors: RFC 9457 problem details (``application/problem+json``).

The same error as v1's envelope, said the standard way: ``type`` names the code's
entry in docs/errors.md, ``title`` its catalog message, ``detail`` this occurrence's;
the catalog code, correlation id and every key of ``details`` are extension members.
"""

from __future__ import annotations

import re
from typing import Any

from api.versions import uri_of
from models.errors import CATALOG

PROBLEM_JSON = "application/problem+json"
# Relative: the platform owns no domain; a client resolves it against the API's base.
TYPE_BASE = "/docs/errors.md"
# Members the problem itself defines: a detail of the same name never replaces one.
_MEMBERS = frozenset(
    {"type", "title", "status", "detail", "instance", "code", "correlationId", "timestamp"}
)
_PLACEHOLDER = re.compile(r"\{[^}]*\}")

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string", "format": "uri-reference", "example": "/docs/errors.md#x"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string", "format": "uri-reference"},
        "code": {"type": "string", "example": "RULE_REJECTED"},
        "correlationId": {"type": "string"},
        "transactionId": {"type": "string"},
    },
    "additionalProperties": True,
}


def title_of(code: str) -> str:
    """The catalog message, the same for every occurrence (a template's blanks as '…')."""
    return _PLACEHOLDER.sub("…", CATALOG[code].message)


def problem(
    code: str,
    message: str,
    details: dict[str, Any],
    correlation_id: str | None,
    instance: str,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"{TYPE_BASE}#{code.lower()}",
        "title": title_of(code),
        "status": CATALOG[code].status,
        "detail": message,
        "instance": uri_of(instance),
        "code": code,
    }
    if correlation_id is not None:
        body["correlationId"] = correlation_id
    # transactionId, limit, problems...: each detail is a member of its own.
    body.update((k, v) for k, v in details.items() if k not in _MEMBERS)
    return body
