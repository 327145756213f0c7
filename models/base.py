"""What every model that crosses a boundary shares: camelCase on the wire, no NUL text."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, model_validator
from pydantic.alias_generators import to_camel


class CamelModel(BaseModel):
    """camelCase in JSON (API, storage, history), snake_case in Python."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, serialize_by_alias=True
    )


def reject_nul(value: Any) -> Any:
    """Refuses NUL characters anywhere in a body: no database can store them in text."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("text must not contain NUL characters")
    elif isinstance(value, dict):
        for key, item in value.items():
            reject_nul(key)
            reject_nul(item)
    elif isinstance(value, list):
        for item in value:
            reject_nul(item)
    return value


class NoNul(BaseModel):
    """Mixed into request bodies: refuses NUL characters with a clear 400."""

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        return reject_nul(value)


def as_utc(value: datetime) -> datetime:
    """``value`` with its zone: SQLite hands timestamps back without one; they were UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


UtcDateTime = Annotated[datetime, AfterValidator(as_utc)]
"""A timestamp the API answers with its zone (naive ones read as UTC), as RFC 3339 wants."""
