"""The engine's tables: kept across restarts, loaded from a product's export document."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
from typer.testing import CliRunner

from irx.cli import app as cli
from reference_engine.app import create_app
from reference_engine.settings import EngineSettings
from tests.conftest import serve_app

AUTO = {
    "classRates": {"PPA": "2.5"},
    "stateClassRates": {"TX": {"PPA": "2.1"}},
    "stateMinimums": {"TX": 400},
    "minimumPremium": 300,
}
RATE_AUTO = {
    "quoteId": "Q",
    "product": "AUTO",
    "state": "TX",
    "effectiveDate": "2026-12-01",
    "exposures": [{"id": "V-1", "classCode": "PPA", "value": 40000}],
}


def client(**settings: Any) -> httpx.AsyncClient:
    app = create_app(EngineSettings(**settings))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://engine")


def export_document(tables: dict[str, Any] | None) -> dict[str, Any]:
    """A product export as the platform writes it (GET /api/v1/products/{code}/export)."""
    return {
        "exportVersion": "1.0",
        "product": {
            "code": "AUTO-NY",
            "name": "Auto",
            "description": "",
            "maxPayloadBytes": 10485760,
            "timeoutMs": 30000,
            "requestSchema": None,
            "sourceSystem": None,
            "targetSystem": None,
            "engineTables": tables,
        },
        "mappings": [],
        "rules": [],
        "flows": [],
    }


async def test_tables_put_through_the_api_survive_a_restart(tmp_path: Path) -> None:
    store = tmp_path / "state" / "engine-tables.json"
    async with client(store_path=store) as first:
        assert (await first.put("/v1/products/AUTO/tables", json=AUTO)).status_code == 200
        rated = (await first.post("/v1/rate", json=RATE_AUTO)).json()
        table = (await first.get("/v1/products/AUTO/tables")).json()
    # Only what the API set is kept, whole, and no temporary file is left beside it.
    assert list(json.loads(store.read_text())) == ["AUTO"]
    assert [p.name for p in store.parent.iterdir()] == ["engine-tables.json"]

    async with client(store_path=store) as second:
        assert (await second.get("/v1/products/AUTO/tables")).json() == table
        assert (await second.post("/v1/rate", json=RATE_AUTO)).json() == rated
        # 40000 / 100 x 2.1 x 0.95 (TX) = 798.00: over TX's minimum of 400.
        assert rated["premium"]["total"] == 798.0
        assert (await second.get("/v1/products/IMCE/tables")).status_code == 200
    async with client() as without:
        assert (await without.get("/v1/products/AUTO/tables")).status_code == 404


async def test_the_store_is_loaded_after_the_tables_file(tmp_path: Path) -> None:
    tables_file, store = tmp_path / "tables.json", tmp_path / "store.json"
    tables_file.write_text(json.dumps({"AUTO": {"classRates": {"PPA": 9}}}))
    async with client(store_path=store) as engine:
        await engine.put("/v1/products/AUTO/tables", json=AUTO)
    async with client(store_path=store, tables_file=tables_file) as engine:
        table = (await engine.get("/v1/products/AUTO/tables")).json()
        assert table["classRates"] == {"PPA": "2.5"}


async def test_an_unwritable_store_refuses_the_table(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    async with client(store_path=blocker / "store.json") as engine:
        refused = await engine.put("/v1/products/AUTO/tables", json=AUTO)
        assert (refused.status_code, refused.json()["error"]["code"]) == (500, "STORE_FAILED")
        assert (await engine.get("/v1/products/AUTO/tables")).status_code == 404


async def test_an_export_documents_tables_are_loaded_all_or_none(tmp_path: Path) -> None:
    store = tmp_path / "store.json"
    tables = {"AUTO": AUTO, "AUTO-FLEET": {"classRates": {"CV": 3.1}}}
    async with client(store_path=store) as engine:
        loaded = await engine.post("/v1/tables/import", json=export_document(tables))
        assert loaded.json() == {"loaded": ["AUTO", "AUTO-FLEET"]}
        assert (await engine.post("/v1/rate", json=RATE_AUTO)).json()["premium"]["total"] == 798

        broken = {"BROKEN": {"classRates": {}}, "OTHER": {"classRates": {"X": 1}}}
        refused = await engine.post("/v1/tables/import", json=export_document(broken))
        assert refused.status_code == 422
        error = refused.json()["error"]
        assert error["code"] == "INVALID_TABLE"
        assert list(error["details"]["tables"]) == ["BROKEN"]
        assert "BROKEN" in error["message"]
        assert (await engine.get("/v1/products/OTHER/tables")).status_code == 404

        none = await engine.post("/v1/tables/import", json=export_document(None))
        assert none.json() == {"loaded": []}
        not_export = await engine.post("/v1/tables/import", json={"classRates": {}})
        assert not_export.json()["error"]["code"] == "INVALID_EXPORT"
        malformed = await engine.post("/v1/tables/import", content=b"{")
        assert malformed.status_code == 400
    async with client(store_path=store) as restarted:
        assert (await restarted.get("/v1/products/AUTO-FLEET/tables")).status_code == 200


async def test_irx_reference_engine_load_posts_an_export_to_the_engine(tmp_path: Path) -> None:
    document = tmp_path / "auto.json"
    document.write_text(json.dumps(export_document({"AUTO": AUTO})))
    runner = CliRunner()
    async with serve_app(create_app(EngineSettings())) as url:
        args = ["reference-engine-load", str(document), "--engine-url", url]
        loaded = await asyncio.to_thread(runner.invoke, cli, args)
        assert loaded.exit_code == 0, loaded.output
        assert loaded.output == "loaded AUTO\n"
        async with httpx.AsyncClient(base_url=url) as http:
            assert (await http.get("/v1/products/AUTO/tables")).status_code == 200

        document.write_text(json.dumps(export_document({"AUTO": {"classRates": {}}})))
        refused = await asyncio.to_thread(runner.invoke, cli, args)
        assert refused.exit_code == 1
        assert "INVALID_TABLE" in refused.output
