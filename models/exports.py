"""A product's whole configuration as one document (seed section 10): export, import.

The document is canonical: keys sorted, mappings by name, rules by phase, priority and
name, flows by endpoint then effective date, each flow as its published steps.
Exporting, importing into an empty organization and exporting again gives the same
bytes. It carries no timestamp, ids or revisions (they belong to a store, not to the
configuration), and no systems: those are the environment's (URLs, credentials), named
by code and checked on import.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Literal

import orjson
from pydantic import Field

from models.base import CamelModel, NoNul
from models.flow import ENDPOINT, StepDraft
from models.mappings import Mapping
from models.products import ProductCreate
from models.rules import Rule


class FlowExport(CamelModel):
    """One published version of an endpoint's flow; an endpoint whose rate changes take
    effect on dates has one per version in force, each with its ``effectiveFrom``."""

    endpoint: str = Field(pattern=ENDPOINT)
    name: str = Field(min_length=1, max_length=255)
    batch_local_steps: bool = False
    effective_from: date | None = Field(
        None, description="The first request date it rates (null: since always)."
    )
    steps: list[StepDraft]

    @property
    def key(self) -> str:
        """How the document names it: the endpoint, and its date when it has one."""
        return (
            self.endpoint
            if self.effective_from is None
            else f"{self.endpoint}@{self.effective_from}"
        )


class ProductExport(CamelModel, NoNul):
    """``GET /api/v1/products/{code}/export``; ``docs/schemas/product-export.schema.json``."""

    model_config = {**CamelModel.model_config, "extra": "forbid"}

    export_version: Literal["1.0"] = "1.0"
    product: ProductCreate
    mappings: list[Mapping] = []
    rules: list[Rule] = []
    flows: list[FlowExport] = []


class ImportRequest(ProductExport):
    """``POST /api/v1/products/import``: an exported document and what to do with it."""

    dry_run: bool = Field(False, description="Only answer what would change.")
    overwrite: bool = Field(False, description="Replace an existing product's configuration.")


class Change(CamelModel):
    """One entity the import adds, changes (which fields) or removes."""

    entity: Literal["product", "mapping", "rule", "flow"]
    name: str
    fields: list[str] = []


class ImportDiff(CamelModel):
    added: list[Change] = []
    changed: list[Change] = []
    removed: list[Change] = []


class ImportResult(CamelModel):
    product_code: str
    dry_run: bool
    created: bool = Field(description="The product did not exist before.")
    diff: ImportDiff
    published: dict[str, int] = Field(
        default_factory=dict, description="Endpoint -> the version published for it."
    )


def canonical(document: ProductExport) -> dict[str, Any]:
    """The document in its one canonical order (serialize with sorted keys)."""
    data = document.model_dump(mode="json", by_alias=True)
    data["mappings"].sort(key=lambda m: m["name"])
    data["rules"].sort(key=lambda r: (r["phase"], r["priority"], r["name"]))
    # An endpoint's versions in the order an import publishes them: undated, then by date.
    data["flows"].sort(key=lambda f: (f["endpoint"], f["effectiveFrom"] or ""))
    return data


def export_bytes(document: ProductExport) -> bytes:
    """The canonical serialization: sorted keys, two-space indent, a final newline."""
    options = orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2
    return orjson.dumps(canonical(document), option=options) + b"\n"


def export_schema() -> str:
    """The export document's JSON Schema (``docs/schemas/product-export.schema.json``)."""
    schema = ProductExport.model_json_schema(by_alias=True)
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"
