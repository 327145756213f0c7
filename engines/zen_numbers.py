"""ZEN's numbers (``rust_decimal``) reproduced exactly in Python, where that is provable.

ZEN holds every number as a 96-bit decimal with a scale of 0..28. Python floats enter
through ``Decimal::from_f64`` (which rounds the binary value to about 16 digits) and
leave an expression through ``Decimal::to_f64`` (which depends on the scale), so both
are reproduced bit for bit here (rust_decimal 1.42, the version zen-engine 2.1.3 links).
Arithmetic is reproduced only where rust_decimal is exact; anything else returns None
and the caller lets ZEN compute it.

A number is an ``int`` (scale 0) or a ``decimal.Decimal`` whose exponent is the
negated scale (``Decimal("1.50")`` has scale 2).
"""

from __future__ import annotations

import math
import struct
from decimal import Context, Decimal
from typing import Any, TypeGuard

Number = int | Decimal

MAX_SCALE = 28
LIMIT = 1 << 96  # a mantissa must stay below this
_MASK96 = LIMIT - 1
_EXACT = Context(prec=120)  # wide enough that no operation below ever rounds


def from_f64(x: float) -> Number | None:
    """``Decimal::from_f64`` (with its excess-bit removal); None where ZEN refuses the float."""
    if not math.isfinite(x):
        return None
    if x.is_integer() and abs(x) < 2**53:
        return int(x)  # what the loops below give for every such float
    raw = struct.unpack("<Q", struct.pack("<d", x))[0]
    negative = raw >> 63 == 1
    biased = (raw >> 52) & 0x7FF
    bits = raw & ((1 << 52) - 1)
    exp2 = biased - 1023
    if biased == 0:
        exp2 += 1  # subnormal
    else:
        bits |= 1 << 52
    exp2 -= 52
    exp5, exp10 = -exp2, exp2
    while exp5 > 0:
        exp5 -= 1
        if bits & 1 == 0:
            exp10 += 1
            bits >>= 1
        elif (bits * 5) >> 96 == 0:
            bits *= 5
        else:
            exp10 += 1
            bits >>= 1
    while exp5 < 0:
        if bits >> 95 == 0:
            exp10 -= 1
            exp5 += 1
            bits <<= 1
        elif exp10 * 2 > -exp5:
            return None
        else:
            exp5 += 1
            bits //= 5
    while exp10 > 0:
        if (bits * 10) >> 96:
            return None
        bits *= 10
        exp10 -= 1
    while exp10 < -MAX_SCALE:
        bits, rem = divmod(bits, 10)
        exp10 += 1
        if bits == 0:
            exp10 = 0
        elif rem >= 5:
            bits = (bits + 1) & _MASK96
    while exp10 < 0 and bits >> 52:
        bits, rem = divmod(bits, 10)
        exp10 += 1
        if rem >= 5:
            bits = (bits + 1) & _MASK96
    while exp10 < 0 and bits % 10 == 0:
        bits //= 10
        exp10 += 1
    return make(-bits if negative else bits, -exp10, negative)


def is_number(value: Any) -> TypeGuard[Number]:
    """A ZEN number (a bool is not one, though Python says it is an int)."""
    return type(value) is int or type(value) is Decimal


def make(mantissa: int, scale: int, negative: bool = False) -> Number:
    """The number ``mantissa / 10**scale`` (a negative zero keeps its sign if scaled)."""
    if scale == 0:
        return mantissa
    sign = "-" if negative or mantissa < 0 else ""
    return Decimal(f"{sign}{abs(mantissa)}E-{scale}")


def parts(n: Number) -> tuple[bool, int, int]:
    """(negative, absolute mantissa, scale)."""
    if isinstance(n, int):
        return n < 0, abs(n), 0
    sign, digits, exponent = n.as_tuple()
    assert isinstance(exponent, int)
    return bool(sign), int("".join(map(str, digits))), -exponent


def fits(n: Number) -> bool:
    """Whether rust_decimal can hold ``n`` as it is (mantissa and scale)."""
    _, mantissa, scale = parts(n)
    return mantissa < LIMIT and 0 <= scale <= MAX_SCALE


def parse_literal(text: str) -> Number | None:
    """A ZEN number literal of digits with an optional fraction (``1.50`` keeps scale 2)."""
    whole, dot, fraction = text.partition(".")
    if len(text) > 28 and (int(whole + fraction) >= LIMIT or len(fraction) > MAX_SCALE):
        return None  # (28 digits always fit)
    return Decimal(text) if dot else int(text)


def _powi10(scale: int) -> float:
    # f64::powi is LLVM's __powidf2: square-and-multiply, rounding at each step.
    result, base, exponent = 1.0, 10.0, scale
    while True:
        if exponent & 1:
            result *= base
        exponent >>= 1
        if exponent == 0:
            return result
        base *= base


def _round_half_away(x: float) -> float:
    whole = float(math.trunc(x))
    if abs(x - whole) >= 0.5:
        whole += math.copysign(1.0, x)
    return whole


def to_f64(n: Number) -> float:
    """``Decimal::to_f64``: what an expression's number becomes in Python."""
    if isinstance(n, int):
        return float(n)
    negative, mantissa, scale = parts(n)
    precision = 10**scale
    integral, fraction = divmod(mantissa, precision)
    fraction_f = float(fraction) / float(precision)
    integral_f = float(integral)
    if fraction_f == 0.0:
        return -integral_f if negative else integral_f
    round_to = _powi10(scale)
    rounded = _round_half_away((integral_f + fraction_f) * round_to) / round_to
    return -rounded if negative else rounded


def is_zero(n: Number) -> bool:
    return n == 0


def add(a: Number, b: Number, subtract: bool = False) -> Number | None:
    """``a + b`` (or ``a - b``) where rust_decimal gives it exactly, else None."""
    if isinstance(a, int) and isinstance(b, int):
        whole = a - b if subtract else a + b
        return whole if abs(whole) < LIMIT else None
    # rust_decimal returns the other operand untouched when one is zero (keeping its
    # scale), which Decimal's rules do not; a zero with a scale is left to ZEN.
    if (isinstance(a, Decimal) and is_zero(a)) or (isinstance(b, Decimal) and is_zero(b)):
        return None
    scale = max(parts(a)[2], parts(b)[2])
    result = _EXACT.subtract(a, b) if subtract else _EXACT.add(a, b)
    if is_zero(result) or parts(result)[2] != scale:
        return None
    # Both operands aligned to the result's scale must fit, or rust_decimal rounds.
    for n in (a, b, result):
        if abs(parts(n)[1]) * 10 ** (scale - parts(n)[2]) >= LIMIT:
            return None
    return result


def multiply(a: Number, b: Number) -> Number | None:
    """``a * b`` where rust_decimal gives it exactly, else None."""
    if is_zero(a) or is_zero(b):
        return 0  # rust_decimal answers a zero product with a plain 0 (scale 0)
    if isinstance(a, int) and isinstance(b, int):
        product = a * b
        return product if abs(product) < LIMIT else None
    result = _EXACT.multiply(a, b)
    return result if fits(result) else None


def negate(n: Number) -> Number | None:
    if isinstance(n, int):
        return -n
    return None if is_zero(n) else n.copy_negate()


def round_dp(n: Number, dp: int) -> Number | None:
    """``round_dp_with_strategy(dp, MidpointAwayFromZero)``; None for a scaled zero."""
    negative, mantissa, scale = parts(n)
    if scale <= dp:
        return n
    step = 10 ** (scale - dp)
    quotient, remainder = divmod(mantissa, step)
    if 2 * remainder >= step:
        quotient += 1
    if quotient == 0 and dp > 0:
        return None
    return make(-quotient if negative else quotient, dp)


def decision_value(n: Number) -> int | float:
    """A number as a decision's result carries it: normalized, an int when whole."""
    if isinstance(n, Decimal) and n == n.to_integral_value():
        n = int(n)
    if isinstance(n, int) and -(2**63) <= n < 2**64:
        return n
    return float(n)  # correctly rounded from the decimal, as Rust parses its text
