"""What the OpenAPI document says that FastAPI cannot derive from the routes: the
API's description and tags, and the answers the guard (api/guard.py) gives every
authenticated route before its handler runs: 401 for a bad key, 429 past the rate limit,
and the rate-limit fields it adds to each answer."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

DESCRIPTION = (
    "Insurance rating orchestration: products, their flows, mappings and rules, and the "
    "rating endpoints that run them on Temporal. Every route is served under `/api/v2` "
    "and, deprecated, under `/api/v1`; each takes an API key (`X-API-Key` or "
    "`Authorization: Bearer`) but health. See docs/api.md."
)

TAGS: list[dict[str, str]] = [
    {"name": "health", "description": "Liveness, readiness and dependency health (no key)."},
    {"name": "api keys", "description": "The organization's API keys, and who the caller is."},
    {"name": "audit", "description": "Who changed what, searched and exported."},
    {"name": "transactions", "description": "Rating runs: status, documents, replays."},
    {
        "name": "quarantine",
        "description": "Documents a format step refused (malformed XML, XSD), kept for replay.",
    },
    {"name": "events", "description": "Events the sinks could not deliver."},
    {"name": "products", "description": "Products: the unit that is rated and configured."},
    {"name": "flows", "description": "A product endpoint's flow versions and publishing."},
    {"name": "mappings", "description": "A product's field mappings."},
    {"name": "rules", "description": "A product's pre- and post-rating rules."},
    {
        "name": "systems",
        "description": "The external systems steps call: rating engines, lookups, event sinks.",
    },
    {"name": "steps", "description": "The step types a flow can use."},
    {"name": "rating", "description": "Rating a product's endpoint, sync or async."},
    {
        "name": "impact",
        "description": "Rate changes with evidence: impact analyses of a candidate version on "
        "past traffic, and challenger traffic (docs/rate-changes.md).",
    },
]

# A header is optional unless `required`: v1 answers carry the X- fields, v2 the IETF
# draft's, and an answer refused before the key is known (401) carries neither.
_RATE_HEADERS: dict[str, dict[str, dict[str, Any]]] = {
    "v1": {
        "X-RateLimit-Limit": {"description": "Requests allowed per window.", "type": "integer"},
        "X-RateLimit-Remaining": {"description": "Requests left in it.", "type": "integer"},
        "X-RateLimit-Reset": {
            "description": "Seconds until the window's oldest request leaves it.",
            "type": "integer",
        },
    },
    "v2": {
        "RateLimit-Policy": {"description": "The quota and window (IETF draft).", "type": "string"},
        "RateLimit": {
            "description": "What is left of it, and when (IETF draft).",
            "type": "string",
        },
    },
}


def install_openapi(app: FastAPI) -> None:
    """Makes ``app.openapi()`` return the derived document with these additions."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                description=DESCRIPTION,
                routes=app.routes,
                tags=TAGS,
            )
            _add_guard_answers(document)
            _drop_v1_spellings(document)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _add_guard_answers(document: dict[str, Any]) -> None:
    components = document.setdefault("components", {}).setdefault("headers", {})
    for api_version, headers in _RATE_HEADERS.items():
        for name, spec in headers.items():
            components[f"{api_version}-{name}"] = {
                "description": spec["description"],
                "schema": {"type": spec["type"]},
            }
    for path, operations in document["paths"].items():
        version = path.split("/")[2] if path.startswith("/api/") else ""
        for operation in operations.values():
            if not operation.get("security") or version not in _RATE_HEADERS:
                continue  # health: no key, no limit
            responses = operation["responses"]
            # The envelope (v1) or problem (v2) every refusal of this route answers.
            refused = responses["4XX"]
            responses.setdefault("401", {**refused, "description": "No valid API key."})
            responses.setdefault(
                "429",
                {
                    **refused,
                    "description": "Past the key's rate limit; `Retry-After` says when to retry.",
                    "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                },
            )
            refs = {
                name: {"$ref": f"#/components/headers/{version}-{name}"}
                for name in _RATE_HEADERS[version]
            }
            for status, response in responses.items():
                if status[0] in "24":
                    response["headers"] = {**response.get("headers", {}), **refs}


def _drop_v1_spellings(document: dict[str, Any]) -> None:
    """v2 refuses the list parameters v1 keeps for its first clients (``page_size``...,
    deprecated in v1's operations): v2's operations do not offer them."""
    for path, operations in document["paths"].items():
        if not path.startswith("/api/v2/"):
            continue
        for operation in operations.values():
            if "parameters" in operation:
                operation["parameters"] = [
                    p
                    for p in operation["parameters"]
                    if not (p.get("in") == "query" and p.get("deprecated"))
                ]
