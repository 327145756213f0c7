"""The named transforms a field mapping can apply, in a registry plugins extend.

A transform takes the value, its (validated) arguments and a getter for other
paths of the source document, and returns the new value. It raises
:class:`TransformError` for a value it cannot handle; the mapping engine turns
that into MAPPING_FAILED naming the field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

Lookup = Callable[[str], Any]


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
    fn: Callable[[Any, Any, Lookup], Any]
    args_model: type[BaseModel]
    # Only transforms that supply a value run on a missing (null) one.
    accepts_null: bool = False


TRANSFORMS: dict[str, Transform] = {}


def register_transform(
    name: str, args_model: type[BaseModel] = NoArgs, accepts_null: bool = False
) -> Callable[[Callable[[Any, Any, Lookup], Any]], Callable[[Any, Any, Lookup], Any]]:
    """Register ``fn(value, args, lookup)`` as the transform ``name``.

    Args:
        name: The name mappings use.
        args_model: The pydantic model its ``args`` must satisfy (checked at save).
        accepts_null: Run it on a missing value too (it supplies one).
    """

    def decorate(fn: Callable[[Any, Any, Lookup], Any]) -> Callable[[Any, Any, Lookup], Any]:
        TRANSFORMS[name] = Transform(name, fn, args_model, accepts_null)
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


@register_transform("upper")
def _upper(value: Any, args: NoArgs, lookup: Lookup) -> str:
    return _text(value, "upper").upper()


@register_transform("lower")
def _lower(value: Any, args: NoArgs, lookup: Lookup) -> str:
    return _text(value, "lower").lower()


@register_transform("trim")
def _trim(value: Any, args: NoArgs, lookup: Lookup) -> str:
    return _text(value, "trim").strip()


@register_transform("date", DateArgs)
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


@register_transform("round", RoundArgs)
def _round(value: Any, args: RoundArgs, lookup: Lookup) -> int | float:
    step = Decimal(1).scaleb(-args.digits)
    return _plain(_number(value, "round").quantize(step, rounding=ROUND_HALF_UP))


@register_transform("multiply", FactorArgs)
def _multiply(value: Any, args: FactorArgs, lookup: Lookup) -> int | float:
    return _plain(_number(value, "multiply") * Decimal(str(args.factor)))


TRANSFORMS["scale"] = Transform("scale", _multiply, FactorArgs)


@register_transform("divide", DivideArgs)
def _divide(value: Any, args: DivideArgs, lookup: Lookup) -> int | float:
    return _plain(_number(value, "divide") / Decimal(str(args.divisor)))


@register_transform("lookup", LookupArgs)
def _lookup(value: Any, args: LookupArgs, lookup: Lookup) -> Any:
    key = str(value)
    if key in args.table:
        return args.table[key]
    if args.strict:
        raise TransformError(f"'{key}' is not in the lookup table")
    return args.default


class EnumMapArgs(LookupArgs):
    strict: bool = Field(True, description="Fail on a value missing from the map.")


@register_transform("enum_map", EnumMapArgs)
def _enum_map(value: Any, args: EnumMapArgs, lookup: Lookup) -> Any:
    return _lookup(value, args, lookup)


@register_transform("concat", accepts_null=True, args_model=ConcatArgs)
def _concat(value: Any, args: ConcatArgs, lookup: Lookup) -> str:
    parts = [value, *(lookup(path) for path in args.sources)]
    return args.separator.join(str(p) for p in parts if p not in (None, ""))


@register_transform("default", accepts_null=True, args_model=DefaultArgs)
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


@register_transform("to_number")
def _to_number(value: Any, args: NoArgs, lookup: Lookup) -> int | float:
    if isinstance(value, str):
        try:
            return _plain(Decimal(value.strip().replace(",", "")))
        except InvalidOperation as exc:
            raise TransformError(f"'{value}' is not a number") from exc
    return _plain(_number(value, "to_number"))


@register_transform("to_string")
def _to_string(value: Any, args: NoArgs, lookup: Lookup) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value if isinstance(value, str) else str(value)
