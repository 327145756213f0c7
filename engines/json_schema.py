"""JSON Schema (Draft 2020-12) validation, compiled once per schema.

jsonschema-rs (Rust) validates a 1 MB document in a fraction of the time the
pure-Python ``jsonschema`` takes (see docs/steps.md). ``format`` is asserted, not
just annotated: ``"format": "date"`` refuses ``2027-02-30`` at the door of a flow,
not three steps later in a mapping.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jsonschema_rs
import orjson

MAX_REPORTED_ERRORS = 100


def _no_remote_refs(uri: str) -> Any:
    # A request schema is the platform's own config: it never reaches out to the network.
    raise ValueError(f"remote $ref {uri} is not allowed")


@lru_cache(maxsize=256)
def _validator(schema_json: bytes) -> Any:
    return jsonschema_rs.Draft202012Validator(
        orjson.loads(schema_json), retriever=_no_remote_refs, validate_formats=True
    )


def check_schema(schema: dict[str, Any]) -> None:
    """Raises ValueError, saying why, when ``schema`` is not a usable JSON Schema."""
    try:
        jsonschema_rs.meta.validate(schema)
        _validator(orjson.dumps(schema, option=orjson.OPT_SORT_KEYS))
    except jsonschema_rs.ValidationError as exc:
        raise ValueError(f"not a valid JSON Schema: {str(exc).splitlines()[0]}") from exc


def schema_errors(schema: dict[str, Any], data: Any) -> list[dict[str, str]]:
    """Every failing path of ``data`` against ``schema`` (the first 100), in document order."""
    validator = _validator(orjson.dumps(schema, option=orjson.OPT_SORT_KEYS))
    errors = []
    for err in validator.iter_errors(data):
        errors.append(
            {
                "path": "$" + "".join(_path_part(p) for p in err.instance_path),
                "message": err.message,
            }
        )
        if len(errors) == MAX_REPORTED_ERRORS:
            break
    return sorted(errors, key=lambda e: e["path"])


def _path_part(part: str | int) -> str:
    return f"[{part}]" if isinstance(part, int) else f".{part}"
