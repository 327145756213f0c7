"""The error catalog says what is live and what is planned, and plugins extend it safely."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from models.errors import (
    CATALOG,
    ErrorCode,
    PlatformError,
    catalog_markdown,
    register_error_code,
    spec_of,
)

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = [
    "activities",
    "api",
    "engines",
    "infra",
    "models",
    "services",
    "store",
    "workers",
    "workflows",
]


def raised_codes() -> set[str]:
    """Every ``ErrorCode.X`` product code names, outside the catalog itself."""
    names: set[str] = set()
    for package in PRODUCT:
        for path in (ROOT / package).rglob("*.py"):
            if path == ROOT / "models/errors.py":
                continue
            names |= set(re.findall(r"ErrorCode\.([A-Z_]+)", path.read_text()))
    return names


def test_live_codes_are_used_and_planned_ones_are_not() -> None:
    used = raised_codes()
    for code in ErrorCode:
        if CATALOG[code].planned:
            assert code.name not in used, f"{code} is raised: it is no longer planned"
        else:
            assert code.name in used, f"nothing raises {code}: mark it planned"


def test_docs_errors_md_is_the_catalog() -> None:
    assert (ROOT / "docs/errors.md").read_text() == catalog_markdown(), (
        "regenerate it: irx docs errors > docs/errors.md"
    )


def test_a_plugin_registers_its_own_codes() -> None:
    code = register_error_code("TEST_QUOTA_SPENT", status=429, message="Spent.", retryable=True)
    assert spec_of(code).retryable
    assert register_error_code("TEST_QUOTA_SPENT", status=429, message="Spent.", retryable=True)
    error = PlatformError(code)
    assert (error.status, error.message) == (429, "Spent.")
    with pytest.raises(ValueError, match="already registered"):
        register_error_code("TEST_QUOTA_SPENT", status=400, message="Other.")
    with pytest.raises(ValueError, match="UPPER_SNAKE_CASE"):
        register_error_code("quota", status=400, message="x")
    with pytest.raises(ValueError, match="HTTP error status"):
        register_error_code("TEST_OK", status=200, message="x")
    with pytest.raises(ValueError, match="not a registered error code"):
        PlatformError("TEST_NEVER_REGISTERED")


def test_unknown_codes_read_as_internal_error() -> None:
    assert spec_of("SOMETHING_ELSE") == CATALOG[ErrorCode.INTERNAL_ERROR]
