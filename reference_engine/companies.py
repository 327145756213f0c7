"""A D&B-style company lookup table for the ``enrich`` step."""

from __future__ import annotations

from typing import Any

COMPANIES: list[dict[str, Any]] = [
    {
        "duns": "080000001",
        "name": "Acme Excavation LLC",
        "industry": "Heavy construction",
        "sicCode": "1623",
        "yearsInBusiness": 22,
        "employeeCount": 140,
        "annualRevenue": 38_000_000,
        "creditRating": "4A2",
    },
    {
        "duns": "080000002",
        "name": "Hudson Crane & Rigging Inc",
        "industry": "Crane services",
        "sicCode": "7353",
        "yearsInBusiness": 35,
        "employeeCount": 85,
        "annualRevenue": 21_500_000,
        "creditRating": "3A1",
    },
    {
        "duns": "080000003",
        "name": "Empire Paving Co",
        "industry": "Paving",
        "sicCode": "1611",
        "yearsInBusiness": 9,
        "employeeCount": 42,
        "annualRevenue": 7_200_000,
        "creditRating": "2A3",
    },
    {
        "duns": "080000004",
        "name": "Garden State Builders",
        "industry": "General contractor",
        "sicCode": "1542",
        "yearsInBusiness": 15,
        "employeeCount": 60,
        "annualRevenue": 12_800_000,
        "creditRating": "3A2",
    },
    {
        "duns": "080000005",
        "name": "Lone Star Earthworks",
        "industry": "Site preparation",
        "sicCode": "1794",
        "yearsInBusiness": 4,
        "employeeCount": 18,
        "annualRevenue": 2_100_000,
        "creditRating": "1A4",
    },
    {
        "duns": "080000006",
        "name": "Pacific Tool Rental",
        "industry": "Equipment rental",
        "sicCode": "7359",
        "yearsInBusiness": 27,
        "employeeCount": 210,
        "annualRevenue": 54_000_000,
        "creditRating": "5A1",
    },
    {
        "duns": "080000007",
        "name": "Main Street Books",
        "industry": "Retail",
        "sicCode": "5942",
        "yearsInBusiness": 12,
        "employeeCount": 8,
        "annualRevenue": 900_000,
        "creditRating": "1A2",
    },
    {
        "duns": "080000008",
        "name": "Harbor Cafe",
        "industry": "Restaurant",
        "sicCode": "5812",
        "yearsInBusiness": 6,
        "employeeCount": 14,
        "annualRevenue": 1_300_000,
        "creditRating": "1A3",
    },
]

_BY_DUNS = {c["duns"]: c for c in COMPANIES}
_BY_NAME = {c["name"].casefold(): c for c in COMPANIES}


def find_company(duns: str | None = None, name: str | None = None) -> dict[str, Any] | None:
    """The company with that DUNS number, or else that name (case-insensitive)."""
    if duns and duns in _BY_DUNS:
        return _BY_DUNS[duns]
    if name:
        return _BY_NAME.get(name.strip().casefold())
    return None
