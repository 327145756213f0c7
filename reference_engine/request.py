"""A rating request, validated: its head fields, and its exposures as columns.

Both protocols read into :class:`Request`. Exposures take a fast path (type checks
and one ``Decimal`` per value, no model per exposure) that accepts only input it is
sure the pydantic models read the same way; anything else, and every refusal, goes
through those models exactly as before, so a refusal names the same problems.
An exposure's own ``state`` or ``factors`` (multi-state rating) always take the model.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel

# Decimal text that pydantic and ``Decimal`` read alike: ASCII digits, one point,
# an exponent, no sign, no space, no underscore.
NUMBER = r"(?:[0-9]++(?:\.[0-9]*+)?+|\.[0-9]++)(?:[eE][-+]?+[0-9]{1,6}+)?+"
_NUMBER = re.compile(NUMBER)
_NUMBERS = re.compile(rf"(?:{NUMBER}\x00)*{NUMBER}")
_YEARS = re.compile(r"(?:[0-9]{1,18}\x00)*[0-9]{1,18}")
# An exposure that gives only these keys cannot be read differently by the model
# (no field names beside aliases, no ignored extras to think about).
_JSON_KEYS = frozenset(("id", "classCode", "value", "yearBuilt"))
# The one exposure the head is validated with (the model requires at least one).
_STAND_IN = {"id": "-", "value": 1}


class RatingRequestError(Exception):
    """The request cannot be rated; answered 422 (JSON) or 400 (XML) with details."""

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class _Model(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


class Exposure(_Model):
    id: str
    class_code: str | None = None
    value: Decimal = Field(gt=0)
    year_built: int | None = None
    state: str | None = Field(
        None, min_length=2, max_length=2, description="Where it is; the request's otherwise."
    )
    factors: dict[str, Decimal] | None = Field(
        None, description="Multiply this line only, after the request's factors."
    )


class RatingRequest(_Model):
    """The request as the JSON protocol states it; the reference for what is valid."""

    quote_id: str
    product: str
    state: str = Field(min_length=2, max_length=2)
    effective_date: str
    deductible: int = 1000
    class_code: str | None = Field(None, description="The class of exposures that name none.")
    exposures: list[Exposure] = Field(min_length=1)
    factors: dict[str, Decimal] = Field(default_factory=dict)


@dataclass(slots=True)
class Request:
    """A valid rating request; exposure ``i`` is ``ids[i]``, ``classes[i]``, ``values[i]``."""

    quote_id: str
    product: str
    state: str
    deductible: int
    class_code: str | None
    factors: dict[str, Decimal]
    ids: list[str]
    classes: list[str | None]
    values: list[Decimal]
    # Each value as the request wrote it (matching NUMBER), where it was text.
    texts: list[str] | None = None
    # Each exposure's own state and factors (None where it gave none); None when no
    # exposure gave any, so such a request is answered as it always was.
    states: list[str | None] | None = None
    line_factors: list[dict[str, Decimal] | None] | None = None


def _validated(data: Any) -> RatingRequest:
    try:
        return RatingRequest.model_validate(data)
    except ValidationError as exc:
        problems = [
            {"path": ".".join(str(p) for p in e["loc"]), "message": e["msg"]}
            for e in exc.errors(include_url=False, include_input=False)
        ]
        raise RatingRequestError("The rating request is invalid.", {"problems": problems}) from exc


def _from_model(model: RatingRequest) -> Request:
    exposures = model.exposures
    states = [e.state for e in exposures]
    line_factors = [e.factors for e in exposures]
    return Request(
        quote_id=model.quote_id,
        product=model.product,
        state=model.state,
        deductible=model.deductible,
        class_code=model.class_code,
        factors=model.factors,
        ids=[e.id for e in exposures],
        classes=[e.class_code for e in exposures],
        values=[e.value for e in exposures],
        states=states if any(s is not None for s in states) else None,
        line_factors=line_factors if any(f is not None for f in line_factors) else None,
    )


def _head(data: dict[str, Any]) -> RatingRequest | None:
    """The head fields validated by the model itself, or None if they are not valid."""
    try:
        return RatingRequest.model_validate({**data, "exposures": [_STAND_IN]})
    except ValidationError:
        return None


def _assemble(
    head: RatingRequest,
    ids: list[str],
    classes: list[str | None],
    values: list[Decimal],
    texts: list[str] | None = None,
) -> Request:
    return Request(
        quote_id=head.quote_id,
        product=head.product,
        state=head.state,
        deductible=head.deductible,
        class_code=head.class_code,
        factors=head.factors,
        ids=ids,
        classes=classes,
        values=values,
        texts=texts,
    )


def _json_exposures(exposures: Any) -> tuple[list[str], list[str | None], list[Decimal]] | None:
    """The exposures of a JSON request as columns, or None where the fast path is not sure."""
    if type(exposures) is not list or not exposures:
        return None
    ids: list[str] = []
    classes: list[str | None] = []
    values: list[Decimal] = []
    number = _NUMBER.fullmatch
    for exposure in exposures:
        if type(exposure) is not dict or not exposure.keys() <= _JSON_KEYS:
            return None
        id_: Any = exposure.get("id")
        class_code: Any = exposure.get("classCode")
        value: Any = exposure.get("value")
        year: Any = exposure.get("yearBuilt")
        if type(id_) is not str or not (class_code is None or type(class_code) is str):
            return None
        if year is not None and type(year) is not int:
            return None
        kind = type(value)
        if kind is float and math.isfinite(value):
            # What pydantic makes of a float (checked against it in the tests).
            ids.append(id_)
            values.append(Decimal(repr(value)))
        elif kind is int or (kind is str and number(value)):
            ids.append(id_)
            values.append(Decimal(value))
        else:
            return None
        classes.append(class_code)
    return ids, classes, values


def parse_request(data: Any) -> Request:
    """The JSON-protocol request ``data`` (parsed JSON), validated.

    Raises:
        RatingRequestError: with the model's problems, each naming its path.
    """
    if type(data) is dict:
        columns = _json_exposures(data.get("exposures"))
        if columns is not None and min(columns[2]) > 0 and (head := _head(data)) is not None:
            return _assemble(head, *columns)
    return _from_model(_validated(data))


def _all_match(pattern: re.Pattern[str], texts: list[str]) -> bool:
    """Whether every text matches ``pattern`` (one regex run over them all, in C)."""
    joined = "\x00".join(texts)
    return not texts or (
        joined.count("\x00") == len(texts) - 1 and pattern.fullmatch(joined) is not None
    )


def request_from_xml(
    head: dict[str, Any],
    ids: list[str | None],
    classes: list[str | None],
    values: list[str | None],
    years: list[str | None],
    checked: int,
) -> Request:
    """The XML-protocol request: ``head`` as the JSON protocol names its fields, and
    the exposures' texts (stripped) as columns.

    The first ``checked`` exposures are known to have an id, a class code, a value
    matching ``NUMBER`` and a valid year or none (their ``years`` entries are None).

    Raises:
        RatingRequestError: with the model's problems, each naming its path.
    """
    if (
        values
        and None not in ids[checked:]
        and None not in values[checked:]
        and _all_match(_NUMBERS, cast(list[str], values[checked:]))
        and _all_match(_YEARS, [y for y in years[checked:] if y is not None])
    ):
        texts = cast(list[str], values)
        numbers = list(map(Decimal, texts))
        if min(numbers) > 0 and (model := _head(head)) is not None:
            return _assemble(model, cast(list[str], ids), classes, numbers, texts)
    exposures = [
        {"id": i, "classCode": c, "value": v, "yearBuilt": y}
        for i, c, v, y in zip(ids, classes, values, years, strict=True)
    ]
    return _from_model(_validated({**head, "exposures": exposures}))
