"""The reference engine's rating: a small, exact rating table per product.

premium per exposure = value / 100 x class rate x state factor x deductible
factor x caller factors; the policy premium is the sum, raised to the
product's minimum premium. Decimal arithmetic, rounded half-up to cents.
Each line is computed once per request in C (``map`` over the columns), from a
per-class constant, whenever that is provably the same Decimal as the formula.

IMCE and BOP have built-in tables; any other product gets one through
``PUT /v1/products/{product}/tables`` or ``IRX_ENGINE_TABLES_FILE``, so a new
product rates end to end in development without pretending to be IMCE.
"""

from __future__ import annotations

import collections
import operator
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
from typing import Any, cast

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from reference_engine.request import RatingRequestError, Request, parse_request

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

# Rate per $100 of insured value, by product and class code.
CLASS_RATES: dict[str, dict[str, Decimal]] = {
    "IMCE": {
        "EXC": Decimal("1.10"),  # excavators
        "CRN": Decimal("1.45"),  # cranes
        "GEN": Decimal("0.85"),  # general tools
        "LDR": Decimal("0.95"),  # loaders
        "CMP": Decimal("0.75"),  # compactors
    },
    "BOP": {
        "OFF": Decimal("0.22"),  # office
        "RET": Decimal("0.35"),  # retail
        "RST": Decimal("0.60"),  # restaurant
        "WHS": Decimal("0.40"),  # warehouse
    },
}
STATE_FACTORS: dict[str, Decimal] = {
    "NY": Decimal("1.15"),
    "NJ": Decimal("1.10"),
    "CA": Decimal("1.12"),
    "TX": Decimal("0.95"),
    "FL": Decimal("1.20"),
}
DEDUCTIBLE_FACTORS: dict[int, Decimal] = {
    500: Decimal("1.05"),
    1000: Decimal("1.00"),
    2500: Decimal("0.95"),
    5000: Decimal("0.90"),
    10000: Decimal("0.85"),
}
MINIMUM_PREMIUM: dict[str, Decimal] = {"IMCE": Decimal("500.00"), "BOP": Decimal("250.00")}


class ProductTable(BaseModel):
    """One product's rating table (camelCase on the wire)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")

    class_rates: dict[str, Decimal] = Field(
        min_length=1, description="Rate per $100 of insured value, by class code."
    )
    minimum_premium: Decimal = Field(Decimal(0), ge=0)
    state_factors: dict[str, Decimal] = Field(default_factory=lambda: dict(STATE_FACTORS))
    deductible_factors: dict[int, Decimal] = Field(default_factory=lambda: dict(DEDUCTIBLE_FACTORS))


def built_in_tables() -> dict[str, ProductTable]:
    return {
        product: ProductTable(class_rates=rates, minimum_premium=MINIMUM_PREMIUM[product])
        for product, rates in CLASS_RATES.items()
    }


@dataclass(slots=True)
class Rating:
    """A rated request: the answer of either protocol, lines as columns."""

    quote_id: str
    product: str
    base: Decimal
    total: Decimal
    factors: dict[str, Decimal]
    rates: dict[str, Decimal]  # the rate of each class code rated
    ids: list[str]
    classes: list[str]
    values: list[Decimal]
    premiums: list[Decimal]
    texts: list[str] | None = None  # the values as the request wrote them, if it did

    def as_json(self) -> dict[str, Any]:
        """The answer of the JSON protocol."""
        rates = {code: float(rate) for code, rate in self.rates.items()}
        return {
            "quoteId": self.quote_id,
            "product": self.product,
            "currency": "USD",
            "premium": {
                "base": float(self.base),
                "total": float(self.total),
                "minimumApplied": self.total > self.base,
            },
            "lines": [
                {"id": i, "classCode": c, "value": v, "rate": rates[c], "premium": p}
                for i, c, v, p in zip(
                    self.ids,
                    self.classes,
                    map(float, self.values),
                    map(float, self.premiums),
                    strict=True,
                )
            ],
            "factors": {name: float(value) for name, value in self.factors.items()},
            "engine": {"name": "irx-reference", "version": "1"},
        }


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
    """The premiums as ``value x (rate x multiplier / 100)``, or None where that could differ.

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
    if any(abs(n.adjusted()) > _EXPONENT_BOUND for n in [*used.values(), multiplier]):
        return None
    room = context.prec - max(map(_digits, used.values())) - _digits(multiplier)
    if room < 1 or not _within(request.values, request.texts, room):
        return None
    per_class = {code: rate * multiplier / 100 for code, rate in used.items()}
    products = map(operator.mul, request.values, map(per_class.__getitem__, classes))
    # What _money does, with the rounding in the context (a little faster in a map).
    half_up = context.copy()
    half_up.rounding = ROUND_HALF_UP
    return list(map(half_up.quantize, products, repeat(CENT)))


def rate_lines(request: Request, tables: dict[str, ProductTable]) -> Rating:
    """The premium of every exposure of ``request`` and the policy's, from its product's table.

    Raises:
        RatingRequestError: for an unknown product, class code or deductible, or an
            exposure without a class code.
    """
    table = tables.get(request.product)
    if table is None:
        raise RatingRequestError(
            f"Unknown product '{request.product}': give it a table with "
            f"PUT /v1/products/{request.product}/tables.",
            {"known": sorted(tables)},
        )
    rates = table.class_rates
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
    unknown = sorted(cast(set[str], distinct) - set(rates))
    if unknown:
        raise RatingRequestError(
            f"Unknown class code(s) for {request.product}: {', '.join(unknown)}.",
            {"unknown": unknown, "known": sorted(rates)},
        )
    if request.deductible not in table.deductible_factors:
        raise RatingRequestError(
            f"Deductible {request.deductible} is not offered.",
            {"offered": sorted(table.deductible_factors)},
        )
    factors = {
        "state": table.state_factors.get(request.state.upper(), Decimal("1.00")),
        "deductible": table.deductible_factors[request.deductible],
        **request.factors,
    }
    multiplier = Decimal(1)
    for factor in factors.values():
        multiplier *= factor
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


def rate(request: Request, tables: dict[str, ProductTable]) -> dict[str, Any]:
    """The premium for ``request`` from its product's table, as the JSON protocol answers it."""
    return rate_lines(request, tables).as_json()
