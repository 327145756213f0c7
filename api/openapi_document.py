"""The API's OpenAPI document as committed (``docs/openapi.json``): what the generated
clients are built from, Spectral lints and the breaking-change check compares."""

from __future__ import annotations

import json


def openapi_text() -> str:
    """The document in one canonical form: keys sorted, two-space indent, final newline."""
    from api.app import create_app  # the app's routes, without starting it

    return json.dumps(create_app().openapi(), indent=2, sort_keys=True) + "\n"
