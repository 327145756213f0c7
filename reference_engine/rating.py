"""The reference engine's rating: a small, exact rating table per product.

premium per exposure = value / 100 x class rate x state factor x deductible
factor x caller factors; the policy premium is the sum, raised to the
product's minimum premium. Decimal arithmetic, rounded half-up to cents.
Each line is computed once per request in C (``map`` over the columns), from a
per-class constant, whenever that is provably the same Decimal as the formula.

Rated by state (an exposure names its own state or factors, or the table rates
states apart), a line takes its state's rate and factor and its own factors after
the request's; each state's lines are raised to that state's minimum, and the
policy's total is the sum of the states' totals, raised to the product's minimum.

IMCE and BOP have built-in tables; any other product gets one through
``PUT /v1/products/{product}/tables`` or ``IRX_ENGINE_TABLES_FILE``, so a new
product rates end to end in development without pretending to be IMCE.
"""

from __future__ import annotations

import collections
import operator
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import (
    ROUND_HALF_UP,
    Clamped,
    Context,
    Decimal,
    DecimalException,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
    Rounded,
    Subnormal,
    getcontext,
)
from itertools import repeat
from typing import Any, TypeVar, cast

from reference_engine.request import RatingRequestError, Request, parse_request
from reference_engine.tables import ProductTable, built_in_tables

__all__ = [
    "ProductTable",
    "Rating",
    "RatingRequestError",
    "built_in_tables",
    "parse_request",
    "rate",
    "rate_lines",
]

CENT = Decimal("0.01")
ONE = Decimal(1)
K = TypeVar("K", bound=Hashable)
# A line rated by state: its state, its class, its own factors (in the request's order)
# as texts, since equal Decimals may differ in sign (0 and -0) and so in the premium's.
LineKey = tuple[str, str, tuple[str, ...]]


@dataclass(slots=True)
class StateTotal:
    """The lines of one state, raised to its minimum."""

    state: str
    base: Decimal
    minimum: Decimal
    total: Decimal

    def as_json(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "base": float(self.base),
            "minimum": float(self.minimum),
            "total": float(self.total),
            "minimumApplied": self.total > self.base,
        }


@dataclass(slots=True)
class ByState:
    """What a rating by state adds: each line's state, rate and own factors, each state's
    totals in the order the states first appear."""

    states: list[str]
    rates: list[Decimal]
    factors: list[dict[str, Decimal] | None]
    totals: list[StateTotal]


@dataclass(slots=True)
class Rating:
    """A rated request: the answer of either protocol, lines as columns."""

    quote_id: str
    product: str
    base: Decimal
    total: Decimal
    factors: dict[str, Decimal]
    # The rate of each class code rated (in the request's state, where an XML request's
    # lines all are; a JSON answer by state takes each line's from ``by_state``).
    rates: dict[str, Decimal]
    ids: list[str]
    classes: list[str]
    values: list[Decimal]
    premiums: list[Decimal]
    texts: list[str] | None = None  # the values as the request wrote them, if it did
    by_state: ByState | None = None  # None: answered as before states were rated apart

    def as_json(self) -> dict[str, Any]:
        """The answer of the JSON protocol."""
        if self.by_state is not None:
            states = [total.as_json() for total in self.by_state.totals]
            return self._answer(self._lines_by_state(self.by_state), states)
        rates = {code: float(rate) for code, rate in self.rates.items()}
        lines = [
            {"id": i, "classCode": c, "value": v, "rate": rates[c], "premium": p}
            for i, c, v, p in zip(
                self.ids,
                self.classes,
                map(float, self.values),
                map(float, self.premiums),
                strict=True,
            )
        ]
        return self._answer(lines)

    def _answer(
        self, lines: list[dict[str, Any]], states: list[dict[str, Any]] | None = None
    ) -> dict[str, Any]:
        premium: dict[str, Any] = {
            "base": float(self.base),
            "total": float(self.total),
            "minimumApplied": self.total > self.base,
        }
        if states is not None:
            premium["states"] = states
        return {
            "quoteId": self.quote_id,
            "product": self.product,
            "currency": "USD",
            "premium": premium,
            "lines": lines,
            "factors": {name: float(value) for name, value in self.factors.items()},
            "engine": {"name": "irx-reference", "version": "1"},
        }

    def _lines_by_state(self, by_state: ByState) -> list[dict[str, Any]]:
        # Column by column (the conversions in C); a line's own factors, shared by many
        # lines as one dict, are converted once.
        lines = [
            {"id": i, "classCode": c, "state": s, "value": v, "rate": r, "premium": p}
            for i, c, s, v, r, p in zip(
                self.ids,
                self.classes,
                by_state.states,
                map(float, self.values),
                map(float, by_state.rates),
                map(float, self.premiums),
                strict=True,
            )
        ]
        converted: dict[int, dict[str, float]] = {}
        for line, own in zip(lines, by_state.factors, strict=True):
            if own:
                if (floats := converted.get(id(own))) is None:
                    floats = converted[id(own)] = {k: float(v) for k, v in own.items()}
                line["factors"] = dict(floats)
        return lines


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _digits(number: Decimal) -> int:
    return len(number.as_tuple().digits)


# Beyond this magnitude (as a power of ten) no line takes the per-class shortcut, so no
# intermediate result of the formula can come near the context's exponent limits.
_EXPONENT_BOUND = 100_000
_SIGNALS = [Clamped, DivisionByZero, Inexact, InvalidOperation, Overflow, Rounded, Subnormal]


def _within(values: list[Decimal], texts: list[str] | None, room: int) -> bool:
    """Whether no value has more than ``room`` digits or a magnitude out of bounds."""
    if texts is not None:
        # A text has at least as many characters as its coefficient has digits, and
        # the values are positive: the least and greatest bound every magnitude.
        return (
            max(map(len, texts)) <= room
            and min(values).adjusted() >= -_EXPONENT_BOUND
            and max(values).adjusted() <= _EXPONENT_BOUND
        )
    bound = Context(prec=room, Emax=_EXPONENT_BOUND, Emin=-_EXPONENT_BOUND, traps=_SIGNALS)
    try:
        # A value of more than ``room`` digits, or out of bounds, signals here.
        collections.deque(map(bound.plus, values), maxlen=0)
    except DecimalException:
        return False
    return True


def _fast_premiums(
    request: Request, classes: list[str], used: dict[str, Decimal], multiplier: Decimal
) -> list[Decimal] | None:
    """The premiums as ``value x (rate x multiplier / 100)``, or None where that could differ."""
    constants = {code: (rate, multiplier) for code, rate in used.items()}
    return _fast_keyed(request.values, request.texts, classes, constants)


def _fast_keyed(
    values: list[Decimal],
    texts: list[str] | None,
    keys: Sequence[K],
    constants: Mapping[K, tuple[Decimal, Decimal]],
) -> list[Decimal] | None:
    """The premiums as ``value x (rate x multiplier / 100)``, the rate and multiplier
    those of each line's key, or None where that could differ from the formula.

    The formula, ``value / 100 x rate x multiplier``, runs in the 28-digit context.
    When the coefficients of value, rate and multiplier have at most 28 digits
    together, every step of it is exact (a product's coefficient has at most the
    digits of both factors' coefficients, dividing by 100 adds none), and so is
    ``value x k`` with ``k = rate x multiplier / 100`` (exact by the same count):
    both are the exact product, so they round to the same cent, sign of zero included.
    Magnitudes are bounded too, so no step underflows or overflows.
    """
    context = getcontext()  # the thread's, which the formula uses too
    if context.Emax < 4 * _EXPONENT_BOUND or context.Emin > -4 * _EXPONENT_BOUND:
        return None
    pairs = constants.values()
    if any(abs(n.adjusted()) > _EXPONENT_BOUND for pair in pairs for n in pair):
        return None
    room = context.prec - max(_digits(rate) + _digits(multiplier) for rate, multiplier in pairs)
    if room < 1 or not _within(values, texts, room):
        return None
    per_key = {key: rate * multiplier / 100 for key, (rate, multiplier) in constants.items()}
    products = map(operator.mul, values, map(per_key.__getitem__, keys))
    # What _money does, with the rounding in the context (a little faster in a map).
    half_up = context.copy()
    half_up.rounding = ROUND_HALF_UP
    return list(map(half_up.quantize, products, repeat(CENT)))


def rate_lines(request: Request, tables: dict[str, ProductTable]) -> Rating:
    """The premium of every exposure of ``request`` and the policy's, from its product's table.

    Raises:
        RatingRequestError: for an unknown product, class code (in a state) or
            deductible, or an exposure without a class code.
    """
    table = tables.get(request.product)
    if table is None:
        raise RatingRequestError(
            f"Unknown product '{request.product}': give it a table with "
            f"PUT /v1/products/{request.product}/tables.",
            {"known": sorted(tables)},
        )
    classes = request.classes
    distinct = set(classes)
    if None in distinct or "" in distinct:
        classes = [code or request.class_code for code in classes]
        distinct = set(classes)
    if None in distinct:
        unclassed = [i for i, code in zip(request.ids, classes, strict=True) if code is None]
        raise RatingRequestError(
            f"Exposure(s) without a class code: {', '.join(unclassed)}.", {"exposures": unclassed}
        )
    codes = cast(list[str], classes)  # None is not among them
    if request.states is not None or request.line_factors is not None or table.by_state:
        return _rate_by_state(request, table, codes)
    rates = table.class_rates
    unknown = sorted(cast(set[str], distinct) - set(rates))
    if unknown:
        raise RatingRequestError(
            f"Unknown class code(s) for {request.product}: {', '.join(unknown)}.",
            {"unknown": unknown, "known": sorted(rates)},
        )
    factors = _factors(request, table, request.state.upper())
    multiplier = _product(factors.values())
    values = request.values
    used = {code: rates[code] for code in sorted(cast(set[str], distinct))}
    premiums = _fast_premiums(request, codes, used, multiplier)
    if premiums is None:
        premiums = [
            _money(value / 100 * rates[code] * multiplier)
            for value, code in zip(values, codes, strict=True)
        ]
    base = sum(premiums, Decimal(0))  # in line order, as the formula always added them
    return Rating(
        quote_id=request.quote_id,
        product=request.product,
        base=base,
        total=max(base, table.minimum_premium),
        factors=factors,
        rates=used,
        ids=request.ids,
        classes=codes,
        values=values,
        premiums=premiums,
        texts=request.texts,
    )


def _factors(request: Request, table: ProductTable, state: str) -> dict[str, Decimal]:
    """The factors every line in ``state`` takes (the caller's may replace the table's)."""
    if request.deductible not in table.deductible_factors:
        raise RatingRequestError(
            f"Deductible {request.deductible} is not offered.",
            {"offered": sorted(table.deductible_factors)},
        )
    return {
        "state": table.state_factors.get(state, Decimal("1.00")),
        "deductible": table.deductible_factors[request.deductible],
        **request.factors,
    }


def _product(factors: Iterable[Decimal]) -> Decimal:
    """The factors multiplied in order, from one, as the formula always multiplied them."""
    multiplier = ONE
    for factor in factors:
        multiplier *= factor
    return multiplier


def _rate_by_state(request: Request, table: ProductTable, codes: list[str]) -> Rating:
    """``rate_lines`` for lines that may lie in different states or carry their own factors."""
    home = request.state.upper()
    count = len(codes)
    states = (
        [home if state is None else state.upper() for state in request.states]
        if request.states is not None
        else [home] * count
    )
    own = request.line_factors if request.line_factors is not None else [None] * count
    found = {pair: table.rate_of(*pair) for pair in dict.fromkeys(zip(states, codes, strict=True))}
    missing = sorted(pair for pair, rate in found.items() if rate is None)
    if missing:
        named = ", ".join(f"{code} in {state}" for state, code in missing)
        raise RatingRequestError(
            f"No rate for class code(s) of {request.product}: {named}.",
            {"missing": [{"state": state, "classCode": code} for state, code in missing]},
        )
    rates = cast(dict[tuple[str, str], Decimal], found)  # None is not among them
    factors = _factors(request, table, home)
    # A line's multiplier: its state's factors as the formula multiplies them, then its own.
    per_state = {
        state: _product(_factors(request, table, state).values()) for state in dict.fromkeys(states)
    }
    # A line's own factors by their texts (-0 is not 0); the fast reading shares one dict
    # among the lines that gave the same factors, so each is written out once.
    texts: dict[int, tuple[str, ...]] = {}
    keys: list[LineKey] = []
    for state, code, f in zip(states, codes, own, strict=True):
        if not f:
            keys.append((state, code, ()))
            continue
        if (text := texts.get(id(f))) is None:
            text = texts[id(f)] = tuple(map(str, f.values()))
        keys.append((state, code, text))
    constants = {
        key: (rates[state, code], _product([per_state[state], *map(Decimal, mine)]))
        for key in dict.fromkeys(keys)
        for state, code, mine in [key]
    }
    premiums = _fast_keyed(request.values, request.texts, keys, constants)
    if premiums is None:
        premiums = [
            _money(value / 100 * rate * multiplier)
            for value, (rate, multiplier) in zip(
                request.values, map(constants.__getitem__, keys), strict=True
            )
        ]
    lines: dict[str, Decimal] = {}
    for state, premium in zip(states, premiums, strict=True):
        lines[state] = lines.get(state, Decimal(0)) + premium
    totals = [
        StateTotal(state, base, minimum, max(base, minimum))
        for state, base in lines.items()
        for minimum in [table.state_minimums.get(state, Decimal(0))]
    ]
    base = sum(premiums, Decimal(0))
    class_rates: dict[str, Decimal] = {}
    for (_, code), rate in rates.items():
        class_rates.setdefault(code, rate)
    return Rating(
        quote_id=request.quote_id,
        product=request.product,
        base=base,
        total=max(sum((t.total for t in totals), Decimal(0)), table.minimum_premium),
        factors=factors,
        rates=class_rates,
        ids=request.ids,
        classes=codes,
        values=request.values,
        premiums=premiums,
        texts=request.texts,
        by_state=ByState(
            states=states,
            rates=[constants[key][0] for key in keys],
            factors=list(own),
            totals=totals,
        ),
    )


def rate(request: Request, tables: dict[str, ProductTable]) -> dict[str, Any]:
    """The premium for ``request`` from its product's table, as the JSON protocol answers it."""
    return rate_lines(request, tables).as_json()
