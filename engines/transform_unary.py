"""Unary forms of transforms: a function of the value alone, with exact shortcuts.

A transform is ``fn(value, args, lookup)``. One that never calls ``lookup`` may
give a unary form: from ``fn`` and its validated args, ``value -> fn(value, args,
lookup)``. The mapping engine then builds no lookup per value, and the forms here
answer the common values (a text, a table key, a number already at its
precision) without the transform's general path, falling back to ``fn`` for
anything else, so the answers and the errors are always ``fn``'s own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Lookup = Callable[[str], Any]
TransformFn = Callable[[Any, Any, Lookup], Any]
Unary = Callable[[Any], Any]
# (fn, validated args) -> a function of the value alone returning exactly fn's answer.
UnaryFactory = Callable[[TransformFn, Any], Unary]

# Integral floats strictly inside this are their own shortest repr (see round_unary).
INTEGRAL_FLOAT_LIMIT = 1e15


def reads_nothing(path: str) -> Any:
    """The lookup a unary form hands its transform, which never calls it."""
    raise AssertionError(f"a unary transform read '{path}'")


def bound(fn: TransformFn, args: Any) -> Unary:
    """The unary form of a transform that never calls ``lookup``, without shortcuts."""
    return lambda value: fn(value, args, reads_nothing)


def text_unary(method: Callable[[str], str]) -> UnaryFactory:
    """``method`` of an exact ``str``; anything else (a subclass, a wrong type) as ``fn``."""

    def unary(fn: TransformFn, args: Any) -> Unary:
        def apply(value: Any) -> Any:
            return method(value) if value.__class__ is str else fn(value, args, reads_nothing)

        return apply

    return unary


def string_unary(fn: TransformFn, args: Any) -> Unary:
    """``to_string``: an exact ``str`` is itself."""
    return lambda value: value if value.__class__ is str else fn(value, args, reads_nothing)


def table_unary(fn: TransformFn, args: Any) -> Unary:
    """``lookup``, ``enum_map``: a hit is ``args.table[str(value)]``; a miss (the
    strict failure or the default) goes to ``fn``."""
    table: dict[str, Any] = args.table
    absent = object()

    def apply(value: Any) -> Any:
        # The key is str(value), as fn's (True is "True"); an exact str is its own str().
        found = table.get(value if value.__class__ is str else str(value), absent)
        return fn(value, args, reads_nothing) if found is absent else found

    return apply


def round_limits(digits: int) -> tuple[float, int]:
    """``10**digits`` as a float (exact for digits <= 12), and the bound of the ints
    whose digits plus ``digits`` fit the default decimal context's 28."""
    return float(10**digits), 10 ** (28 - digits)


def round_unary(fn: TransformFn, args: Any) -> Unary:
    """``round``: the values already at the precision, recognised without a Decimal.

    The transform computes ``Decimal(str(v)).quantize(10**-digits)`` and returns it
    as an int when integral, else as a float. For a value already at that precision
    the quantize is exact, so the answer is the value itself:

    - an ``int`` whose digits plus ``digits`` fit the context's 28 (past that,
      quantize raises InvalidOperation, and the transform's path does so too);
    - an integral ``float`` inside 1e15: its shortest repr is the integer itself
      (no other decimal that short rounds to it), so the answer is ``int(v)``;
    - another ``float`` when ``m = v * 10**digits`` is an integer and ``m / 10**digits
      == v``: the decimal m·10^-digits rounds to ``v`` (IEEE division and
      ``float(str)`` both round correctly), so the shortest repr of ``v`` has at most
      ``digits`` decimals and ``float`` of it is ``v``. Such a ``v`` is below 2**52
      (larger floats are integral): with ``digits`` <= 12 it fits 28 digits.

    Everything else (bools, Decimals, NaN, other floats) takes the transform's path.
    """
    scale, int_limit = round_limits(args.digits)

    def apply(value: Any) -> Any:
        kind = value.__class__
        if kind is float:
            if value.is_integer():
                if -INTEGRAL_FLOAT_LIMIT < value < INTEGRAL_FLOAT_LIMIT:
                    return int(value)
            else:
                scaled = value * scale
                if scaled.is_integer() and scaled / scale == value:
                    return value
        elif kind is int and -int_limit < value < int_limit:
            return value
        return fn(value, args, reads_nothing)

    return apply
