"""The reference engine's rating: a small, exact rating table per product.

premium per exposure = value / 100 x class rate x state factor x deductible
factor x caller factors; the policy premium is the sum, raised to the
product's minimum premium. Decimal arithmetic, rounded half-up to cents.

IMCE and BOP have built-in tables; any other product gets one through
``PUT /v1/products/{product}/tables`` or ``IRX_ENGINE_TABLES_FILE``, so a new
product rates end to end in development without pretending to be IMCE.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel

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


class RatingRequest(_Model):
    quote_id: str
    product: str
    state: str = Field(min_length=2, max_length=2)
    effective_date: str
    deductible: int = 1000
    class_code: str | None = Field(None, description="The class of exposures that name none.")
    exposures: list[Exposure] = Field(min_length=1)
    factors: dict[str, Decimal] = Field(default_factory=dict)


def parse_request(data: Any) -> RatingRequest:
    try:
        return RatingRequest.model_validate(data)
    except ValidationError as exc:
        problems = [
            {"path": ".".join(str(p) for p in e["loc"]), "message": e["msg"]}
            for e in exc.errors(include_url=False, include_input=False)
        ]
        raise RatingRequestError("The rating request is invalid.", {"problems": problems}) from exc


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def rate(request: RatingRequest, tables: dict[str, ProductTable]) -> dict[str, Any]:
    """The premium for ``request`` from its product's table, as the JSON protocol answers it."""
    table = tables.get(request.product)
    if table is None:
        raise RatingRequestError(
            f"Unknown product '{request.product}': give it a table with "
            f"PUT /v1/products/{request.product}/tables.",
            {"known": sorted(tables)},
        )
    rates = table.class_rates
    for exposure in request.exposures:
        exposure.class_code = exposure.class_code or request.class_code
    unclassed = [e.id for e in request.exposures if e.class_code is None]
    if unclassed:
        raise RatingRequestError(
            f"Exposure(s) without a class code: {', '.join(unclassed)}.", {"exposures": unclassed}
        )
    unknown = sorted({str(e.class_code) for e in request.exposures} - set(rates))
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
    lines = []
    base = Decimal(0)
    for exposure in request.exposures:
        line_rate = rates[str(exposure.class_code)]
        premium = _money(exposure.value / 100 * line_rate * multiplier)
        base += premium
        lines.append(
            {
                "id": exposure.id,
                "classCode": exposure.class_code,
                "value": float(exposure.value),
                "rate": float(line_rate),
                "premium": float(premium),
            }
        )
    minimum = table.minimum_premium
    total = max(base, minimum)
    return {
        "quoteId": request.quote_id,
        "product": request.product,
        "currency": "USD",
        "premium": {
            "base": float(base),
            "total": float(total),
            "minimumApplied": total > base,
        },
        "lines": lines,
        "factors": {name: float(value) for name, value in factors.items()},
        "engine": {"name": "irx-reference", "version": "1"},
    }
