"""``validate_request``: JSON Schema (Draft 2020-12) validation of the working data."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import orjson
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from pydantic import BaseModel, Field, field_validator

from activities.registry import StepContext, StepResult, step_type
from models.errors import ErrorCode, PlatformError

MAX_REPORTED_ERRORS = 100


class ValidateRequestConfig(BaseModel):
    """Config of ``validate_request``."""

    json_schema: dict[str, Any] = Field(
        alias="schema", description="A JSON Schema (Draft 2020-12) the working data must satisfy."
    )

    model_config = {"populate_by_name": True, "serialize_by_alias": True}

    @field_validator("json_schema")
    @classmethod
    def _schema_is_valid(cls, value: dict[str, Any]) -> dict[str, Any]:
        try:
            Draft202012Validator.check_schema(value)
        except SchemaError as exc:
            raise ValueError(f"not a valid JSON Schema: {exc.message}") from exc
        return value


@lru_cache(maxsize=256)
def _validator(schema_json: bytes) -> Draft202012Validator:
    return Draft202012Validator(orjson.loads(schema_json))


def schema_errors(schema: dict[str, Any], data: Any) -> list[dict[str, str]]:
    """Every failing path of ``data`` against ``schema``, in document order."""
    validator = _validator(orjson.dumps(schema, option=orjson.OPT_SORT_KEYS))
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    return [
        {"path": "$" + "".join(_path_part(p) for p in err.absolute_path), "message": err.message}
        for err in errors[:MAX_REPORTED_ERRORS]
    ]


def _path_part(part: str | int) -> str:
    return f"[{part}]" if isinstance(part, int) else f".{part}"


@step_type(
    "validate_request",
    config=ValidateRequestConfig,
    local=True,
    timeout_ms=5_000,
    description="JSON Schema validation of the working data; lists every failing path.",
)
async def validate_request(
    ctx: StepContext, config: ValidateRequestConfig, data: Any
) -> StepResult:
    errors = schema_errors(config.json_schema, data)
    if errors:
        raise PlatformError(
            ErrorCode.VALIDATION_FAILED,
            f"The request fails its schema at {len(errors)} path(s).",
            details={"errors": errors},
        )
    return StepResult.same()
