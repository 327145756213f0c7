"""Where the reference engine's tables come from and where they are kept.

Tables set through the engine's API (``PUT /v1/products/{product}/tables``, ``POST
/v1/tables/import``) are written to ``IRX_ENGINE_STORE_PATH`` as one JSON file
(``{product: table}``), so they survive a restart; a product's export document carries
its tables in ``product.engineTables``, so they travel with it between environments.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reference_engine.tables import ProductTable


class TableError(Exception):
    """Tables that cannot be loaded; answered 422 with ``code`` and ``details``."""

    def __init__(self, code: str, message: str, details: dict[str, Any]) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details


def read_tables(path: Path) -> dict[str, ProductTable]:
    """The tables of a JSON file ``{product: table}``."""
    loaded = orjson.loads(path.read_bytes())
    return {code: ProductTable.model_validate(table) for code, table in loaded.items()}


class TableStore:
    """The tables set through the API, kept in one file (nowhere when ``path`` is None)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.saved = read_tables(path) if path is not None and path.exists() else {}

    def save(self, tables: dict[str, ProductTable]) -> None:
        """Adds ``tables`` to the file, written whole beside it then moved over it, so a
        crash leaves the old file or the new one, never part of one.

        Raises:
            OSError: when the file cannot be written (nothing is saved then).
        """
        if self.path is None:
            return
        saved = {**self.saved, **tables}
        content = orjson.dumps(
            {code: table.model_dump(mode="json", by_alias=True) for code, table in saved.items()},
            option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS,
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        try:
            with os.fdopen(descriptor, "wb") as out:
                out.write(content)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        self.saved = saved


class _ExportedProduct(BaseModel):
    # The platform's product has more fields; the engine needs only its tables.
    model_config = ConfigDict(extra="ignore")

    engine_tables: dict[str, Any] | None = Field(None, alias="engineTables")


class _Export(BaseModel):
    model_config = ConfigDict(extra="ignore")

    product: _ExportedProduct


def tables_in_export(document: Any) -> dict[str, ProductTable]:
    """Every table of a product export's ``product.engineTables``, all valid or none.

    Raises:
        TableError: INVALID_EXPORT when ``document`` is no export; INVALID_TABLE naming
            every table that is not a rating table.
    """
    try:
        export = _Export.model_validate(document)
    except ValidationError as exc:
        raise TableError(
            "INVALID_EXPORT",
            "The body is not a product export (GET /api/v1/products/{code}/export).",
            {"problems": _problems(exc)},
        ) from exc
    tables: dict[str, ProductTable] = {}
    refused: dict[str, list[dict[str, str]]] = {}
    for name, table in (export.product.engine_tables or {}).items():
        try:
            tables[name] = ProductTable.model_validate(table)
        except ValidationError as exc:
            refused[name] = _problems(exc)
    if refused:
        raise TableError(
            "INVALID_TABLE",
            f"Not a rating table: {', '.join(refused)}; no table was loaded.",
            {"tables": refused},
        )
    return tables


def _problems(exc: ValidationError) -> list[dict[str, str]]:
    return [
        {"path": ".".join(str(p) for p in e["loc"]), "message": e["msg"]}
        for e in exc.errors(include_url=False, include_input=False)
    ]
