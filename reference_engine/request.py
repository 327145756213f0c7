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
from itertools import repeat
from typing import Any, NamedTuple, cast

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
_JSON_KEYS = frozenset(("id", "classCode", "value", "yearBuilt", "state", "factors"))
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
    states: list[str | None] | None = None,
    line_factors: list[dict[str, Decimal] | None] | None = None,
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
        states=states,
        line_factors=line_factors,
    )


def _decimal(value: Any) -> Decimal | None:
    """``value`` as pydantic reads it into a Decimal, where the fast path is sure."""
    kind = type(value)
    if kind is float and math.isfinite(value):
        return Decimal(repr(value))  # what pydantic makes of a float (tested)
    if kind is int or (kind is str and _NUMBER.fullmatch(value)):
        return Decimal(value)
    return None


class _Columns(NamedTuple):
    ids: list[str]
    classes: list[str | None]
    values: list[Decimal]
    states: list[str | None] | None
    factors: list[dict[str, Decimal] | None] | None


def _column(exposures: list[dict[str, Any]], key: str) -> list[Any]:
    return list(map(dict.get, exposures, repeat(key)))


def _json_exposures(exposures: Any) -> _Columns | None:
    """The exposures of a JSON request as columns, or None where the fast path is not sure.

    Column by column, each check and conversion a ``map`` or a set of types (in C): a
    schedule of 75,000 exposures is read in a fraction of a per-exposure loop's time."""
    if type(exposures) is not list or not exposures:
        return None
    if set(map(type, exposures)) != {dict} or not all(map(_JSON_KEYS.issuperset, exposures)):
        return None
    ids = _column(exposures, "id")
    classes = _column(exposures, "classCode")
    states = _column(exposures, "state")
    if set(map(type, ids)) != {str} or not set(map(type, classes)) <= _TEXT_OR_NONE:
        return None
    if not set(map(type, _column(exposures, "yearBuilt"))) <= _INT_OR_NONE:
        return None
    if not set(map(type, states)) <= _TEXT_OR_NONE or {len(s) for s in states if s is not None} - {
        2
    }:
        return None
    try:
        values = _decimals(_column(exposures, "value"))
        factors = _factor_sets(_column(exposures, "factors"))
    except _Unsure:
        return None
    return _Columns(
        ids,
        classes,
        values,
        states if any(s is not None for s in states) else None,
        factors if factors is not None and any(f is not None for f in factors) else None,
    )


class _Unsure(Exception):
    """The fast path cannot be sure to read a value as the model does."""


_TEXT_OR_NONE = {str, type(None)}
_INT_OR_NONE = {int, type(None)}


def _decimals(raw: list[Any]) -> list[Decimal]:
    """The values as pydantic reads them into Decimals (_Unsure where not sure)."""
    kinds = set(map(type, raw))
    if kinds == {float} and all(map(math.isfinite, raw)):
        return list(map(Decimal, map(repr, raw)))  # what pydantic makes of a float (tested)
    if kinds == {int}:
        return list(map(Decimal, raw))
    values = []
    for value in raw:
        if (number := _decimal(value)) is None:
            raise _Unsure
        values.append(number)
    return values


def _factor_sets(raw: list[Any]) -> list[dict[str, Decimal] | None] | None:
    """Each exposure's factors read (None for none; None for the whole if none has any;
    _Unsure where not sure). Exposures mostly share a few factor sets: each is read
    once, known by its repr (which tells 1 from 1.0, True and "1", -0.0 from 0.0)."""
    if set(map(type, raw)) == {type(None)}:
        return None
    seen: dict[str, dict[str, Decimal]] = {}
    read_all: list[dict[str, Decimal] | None] = []
    for factors in raw:
        if factors is None:
            read_all.append(None)
            continue
        if type(factors) is not dict:
            raise _Unsure
        key = repr(factors)
        if (read := seen.get(key)) is None:
            read = {}
            for name, number in factors.items():
                if (factor := _decimal(number)) is None or type(name) is not str:
                    raise _Unsure
                read[name] = factor
            seen[key] = read
        read_all.append(read)
    return read_all


def parse_request(data: Any) -> Request:
    """The JSON-protocol request ``data`` (parsed JSON), validated.

    Raises:
        RatingRequestError: with the model's problems, each naming its path.
    """
    if type(data) is dict:
        columns = _json_exposures(data.get("exposures"))
        if columns is not None and min(columns.values) > 0 and (head := _head(data)) is not None:
            return _assemble(
                head,
                columns.ids,
                columns.classes,
                columns.values,
                states=columns.states,
                line_factors=columns.factors,
            )
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
