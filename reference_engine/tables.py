"""The reference engine's rating tables: the built-in IMCE and BOP, and the shape of any.

A table rates a class at one rate everywhere (``classRates``) or at its own rate in a
state (``stateClassRates``, which wins there), and may hold a minimum premium per state
(``stateMinimums``) beside the policy's (``minimumPremium``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic.alias_generators import to_camel

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

# Requests' states are looked up in capitals, so a table's must be written so.
State = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Amount = Annotated[Decimal, Field(ge=0)]


class ProductTable(BaseModel):
    """One product's rating table (camelCase on the wire)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")

    class_rates: dict[str, Decimal] = Field(
        default_factory=dict, description="Rate per $100 of insured value, by class code."
    )
    minimum_premium: Amount = Decimal(0)
    state_factors: dict[str, Decimal] = Field(default_factory=lambda: dict(STATE_FACTORS))
    deductible_factors: dict[int, Decimal] = Field(default_factory=lambda: dict(DEDUCTIBLE_FACTORS))
    state_class_rates: dict[State, dict[str, Decimal]] = Field(
        default_factory=dict,
        description="A class's rate in one state, by state then class code: wins over classRates.",
    )
    state_minimums: dict[State, Amount] = Field(
        default_factory=dict, description="The least premium of the lines in a state."
    )

    @model_validator(mode="after")
    def _rates_something(self) -> ProductTable:
        if not self.class_rates and not any(self.state_class_rates.values()):
            raise ValueError("the table rates no class: give classRates or stateClassRates")
        return self

    @property
    def by_state(self) -> bool:
        """Whether the table rates states apart (its answers then name each line's state)."""
        return bool(self.state_class_rates or self.state_minimums)

    def rate_of(self, state: str, class_code: str) -> Decimal | None:
        """The class's rate in ``state``: its state's own, else its one rate, else None."""
        rate = self.state_class_rates.get(state, {}).get(class_code)
        return rate if rate is not None else self.class_rates.get(class_code)


def built_in_tables() -> dict[str, ProductTable]:
    return {
        product: ProductTable(class_rates=rates, minimum_premium=MINIMUM_PREMIUM[product])
        for product, rates in CLASS_RATES.items()
    }
