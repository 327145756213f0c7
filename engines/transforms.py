"""The named transforms a field mapping can apply, in a registry plugins extend.

A transform takes the value, its (validated) arguments and a getter for other
paths of the source document, and returns the new value. It raises
:class:`TransformError` for a value it cannot handle; the mapping engine turns
that into MAPPING_FAILED naming the field.

A transform that reads no other path may also give a ``unary`` form
(:mod:`engines.transform_unary`): a function of the value alone returning exactly
what the transform returns, which the mapping engine calls instead. The
built-ins' unary forms take exact shortcuts for the common values (a text, a
table key, a number already at its precision), falling back to the transform.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from engines import transform_unary
from engines.transform_unary import (
    TransformFn,
    Unary,
    UnaryFactory,
    bound,
    round_unary,
    string_unary,
    table_unary,
    text_unary,
)

Lookup = transform_unary.Lookup  # what plugins type their transforms' lookup with


class TransformError(Exception):
    """A value the transform cannot handle."""


class NoArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DateArgs(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    from_: str = Field("iso", alias="from", description="strptime format of the input, or iso.")
    to: str = Field("iso", description="strftime format of the output, or iso.")


class RoundArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")
    digits: int = Field(2, ge=0, le=12)


class FactorArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")
    factor: float


class DivideArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")
    divisor: float

    @field_validator("divisor")
    @classmethod
    def _not_zero(cls, value: float) -> float:
        if value == 0:
            raise ValueError("division by zero")
        return value


class LookupArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")
    table: dict[str, Any]
    default: Any = None
    strict: bool = Field(False, description="Fail on a value missing from the table.")


class ConcatArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sources: list[str] = Field(description="Further source paths joined after the value.")
    separator: str = " "


class DefaultArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: Any


class CoalesceArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sources: list[str] = Field(description="Paths tried in order when the value is null.")


@dataclass(frozen=True)
class Transform:
    name: str
    fn: TransformFn
    args_model: type[BaseModel]
    # Only transforms that supply a value run on a missing (null) one.
    accepts_null: bool = False
    # For a transform that never calls ``lookup``: the engine then builds none per value.
    unary: UnaryFactory | None = None

    def unary_for(self, args: Any) -> Unary | None:
        """``value -> fn(value, args, lookup)`` when the transform has a unary form."""
        return None if self.unary is None else self.unary(self.fn, args)


TRANSFORMS: dict[str, Transform] = {}


def register_transform(
    name: str,
    args_model: type[BaseModel] = NoArgs,
    accepts_null: bool = False,
    unary: UnaryFactory | None = None,
) -> Callable[[TransformFn], TransformFn]:
    """Register ``fn(value, args, lookup)`` as the transform ``name``.

    Args:
        name: The name mappings use.
        args_model: The pydantic model its ``args`` must satisfy (checked at save).
        accepts_null: Run it on a missing value too (it supplies one).
        unary: Optional, only for an ``fn`` that never calls ``lookup``: given ``fn``
            and the validated args, a function of the value alone that returns
            exactly what ``fn`` returns (raising the same errors).
    """

    def decorate(fn: TransformFn) -> TransformFn:
        TRANSFORMS[name] = Transform(name, fn, args_model, accepts_null, unary)
        return fn

    return decorate


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise TransformError(f"{name} needs text, got {type(value).__name__}")
    return value


def _number(value: Any, name: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TransformError(f"{name} needs a number, got {type(value).__name__}")
    return Decimal(str(value))


def _plain(number: Decimal) -> int | float:
    return int(number) if number == number.to_integral_value() else float(number)


@register_transform("upper", unary=text_unary(str.upper))
def _upper(value: Any, args: NoArgs, lookup: Lookup) -> str:
    return _text(value, "upper").upper()


@register_transform("lower", unary=text_unary(str.lower))
def _lower(value: Any, args: NoArgs, lookup: Lookup) -> str:
    return _text(value, "lower").lower()


@register_transform("trim", unary=text_unary(str.strip))
def _trim(value: Any, args: NoArgs, lookup: Lookup) -> str:
    return _text(value, "trim").strip()


@register_transform("date", DateArgs, unary=bound)
def _date(value: Any, args: DateArgs, lookup: Lookup) -> str:
    text = _text(value, "date")
    try:
        parsed = (
            datetime.fromisoformat(text)
            if args.from_ == "iso"
            else datetime.strptime(text, args.from_)
        )
    except ValueError as exc:
        raise TransformError(f"'{text}' is not a date in format {args.from_}") from exc
    if args.to == "iso":
        return (
            parsed.date().isoformat()
            if parsed.time() == datetime.min.time()
            else parsed.isoformat()
        )
    return parsed.strftime(args.to)


@register_transform("round", RoundArgs, unary=round_unary)
def _round(value: Any, args: RoundArgs, lookup: Lookup) -> int | float:
    step = Decimal(1).scaleb(-args.digits)
    return _plain(_number(value, "round").quantize(step, rounding=ROUND_HALF_UP))


@register_transform("multiply", FactorArgs, unary=bound)
def _multiply(value: Any, args: FactorArgs, lookup: Lookup) -> int | float:
    return _plain(_number(value, "multiply") * Decimal(str(args.factor)))


TRANSFORMS["scale"] = Transform("scale", _multiply, FactorArgs, unary=bound)


@register_transform("divide", DivideArgs, unary=bound)
def _divide(value: Any, args: DivideArgs, lookup: Lookup) -> int | float:
    return _plain(_number(value, "divide") / Decimal(str(args.divisor)))


@register_transform("lookup", LookupArgs, unary=table_unary)
def _lookup(value: Any, args: LookupArgs, lookup: Lookup) -> Any:
    key = str(value)
    if key in args.table:
        return args.table[key]
    if args.strict:
        raise TransformError(f"'{key}' is not in the lookup table")
    return args.default


class EnumMapArgs(LookupArgs):
    strict: bool = Field(True, description="Fail on a value missing from the map.")


@register_transform("enum_map", EnumMapArgs, unary=table_unary)
def _enum_map(value: Any, args: EnumMapArgs, lookup: Lookup) -> Any:
    return _lookup(value, args, lookup)


@register_transform("concat", accepts_null=True, args_model=ConcatArgs)
def concat(value: Any, args: ConcatArgs, lookup: Lookup) -> str:
    """The value and the ``sources`` read, as text, joined (nulls and "" left out)."""
    texts = [] if value is None or value == "" else [str(value)]
    for path in args.sources:
        part = lookup(path)
        if part is not None and part != "":
            texts.append(str(part))
    return args.separator.join(texts)


@register_transform("default", DefaultArgs, accepts_null=True, unary=bound)
def _default(value: Any, args: DefaultArgs, lookup: Lookup) -> Any:
    return args.value if value is None else value


@register_transform("coalesce", accepts_null=True, args_model=CoalesceArgs)
def _coalesce(value: Any, args: CoalesceArgs, lookup: Lookup) -> Any:
    if value is not None:
        return value
    for path in args.sources:
        if (found := lookup(path)) is not None:
            return found
    return None


@register_transform("to_number", unary=bound)
def _to_number(value: Any, args: NoArgs, lookup: Lookup) -> int | float:
    if isinstance(value, str):
        try:
            return _plain(Decimal(value.strip().replace(",", "")))
        except InvalidOperation as exc:
            raise TransformError(f"'{value}' is not a number") from exc
    return _plain(_number(value, "to_number"))


@register_transform("to_string", unary=string_unary)
def _to_string(value: Any, args: NoArgs, lookup: Lookup) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value if isinstance(value, str) else str(value)


class OperandArgs(BaseModel):
    """The other operand: a constant ``value`` or the number at another ``source`` path."""

    model_config = ConfigDict(extra="forbid")
    value: float | None = None
    source: str | None = None

    @model_validator(mode="after")
    def _one(self) -> OperandArgs:
        if (self.value is None) == (self.source is None):
            raise ValueError("give exactly one of value and source")
        return self

    def operand(self, lookup: Lookup, name: str) -> Decimal:
        if self.source is None:
            return Decimal(str(self.value))
        found = lookup(self.source)
        if found is None:
            raise TransformError(f"{name} found nothing at '{self.source}'")
        return _number(found, name)


@register_transform("add", OperandArgs)
def _add(value: Any, args: OperandArgs, lookup: Lookup) -> int | float:
    return _plain(_number(value, "add") + args.operand(lookup, "add"))


@register_transform("subtract", OperandArgs)
def _subtract(value: Any, args: OperandArgs, lookup: Lookup) -> int | float:
    return _plain(_number(value, "subtract") - args.operand(lookup, "subtract"))


class AsOfArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")
    as_of: str = Field(description="Path of the date counted to (an ISO date), or 'today'.")


def _day(value: Any, name: str) -> date:
    """An ISO date or date-time; a bare year (2019) reads as its first of January."""
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 9999:
        return date(value, 1, 1)
    text = _text(value, name)
    try:
        return datetime.fromisoformat(text).date()
    except ValueError as exc:
        raise TransformError(f"'{text}' is not an ISO date") from exc


def _as_of(args: AsOfArgs, lookup: Lookup, name: str) -> date:
    if args.as_of == "today":
        return datetime.now(UTC).date()
    found = lookup(args.as_of)
    if found is None:
        raise TransformError(f"{name} found no date at '{args.as_of}'")
    return _day(found, name)


@register_transform("years_since", AsOfArgs)
def _years_since(value: Any, args: AsOfArgs, lookup: Lookup) -> int:
    """Whole years from the value (a date, or a year: a vehicle's model year) to ``as_of``."""
    start, end = _day(value, "years_since"), _as_of(args, lookup, "years_since")
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


@register_transform("days_since", AsOfArgs)
def _days_since(value: Any, args: AsOfArgs, lookup: Lookup) -> int:
    return (_as_of(args, lookup, "days_since") - _day(value, "days_since")).days


class DateAddArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")
    days: int = Field(0, ge=-366_000, le=366_000)
    months: int = Field(0, ge=-12_000, le=12_000)
    years: int = Field(0, ge=-1_000, le=1_000)


@register_transform("date_add", DateAddArgs, unary=bound)
def _date_add(value: Any, args: DateAddArgs, lookup: Lookup) -> str:
    """The date moved by years, months (the day clamped to the month's end), then days."""
    start = _day(value, "date_add")
    months = start.month - 1 + args.months + 12 * args.years
    year, month = start.year + months // 12, months % 12 + 1
    if not 1 <= year <= 9999:
        raise TransformError("date_add leaves the calendar")
    last = calendar.monthrange(year, month)[1]
    try:
        return (date(year, month, min(start.day, last)) + timedelta(days=args.days)).isoformat()
    except OverflowError as exc:
        raise TransformError("date_add leaves the calendar") from exc
