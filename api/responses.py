"""A JSON response rendered with orjson (fast, and no deprecated response class)."""

from __future__ import annotations

from typing import Any

import orjson
from pydantic import BaseModel
from starlette.responses import Response


def json_response(
    content: Any, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        orjson.dumps(content),
        status_code=status_code,
        headers=headers,
        media_type="application/json",
    )


def with_result(answer: BaseModel, result: bytes | None) -> dict[str, Any]:
    """``answer`` as JSON content whose ``result`` is ``result``, JSON text spliced in as is:
    a 50 MB result is neither parsed nor re-encoded on its way to the caller."""
    content: dict[str, Any] = answer.model_dump(mode="json", exclude={"result"})
    content["result"] = None if result is None else orjson.Fragment(result)
    return content
