"""The ``irx`` command line."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from models.settings import get_settings

app = typer.Typer(
    help="InsurRateX: insurance rating orchestration on Temporal.", no_args_is_help=True
)
db = typer.Typer(help="The config store's database.", no_args_is_help=True)
temporal = typer.Typer(help="Temporal namespace setup for a real cluster.", no_args_is_help=True)
docs = typer.Typer(help="Documents generated from the code.", no_args_is_help=True)
app.add_typer(db, name="db")
app.add_typer(docs, name="docs")
app.add_typer(temporal, name="temporal")


@app.command()
def dev(
    api_port: Annotated[int, typer.Option(help="Port of the API.")] = 8000,
    temporal_port: Annotated[
        int, typer.Option(help="gRPC port of the Temporal dev server.")
    ] = 7233,
    ui_port: Annotated[int, typer.Option(help="Port of the Temporal Web UI.")] = 8233,
    engine_port: Annotated[int, typer.Option(help="Port of the reference engine.")] = 8100,
    data_dir: Annotated[
        Path, typer.Option(help="Where the embedded stack keeps its state.")
    ] = Path(".irx"),
) -> None:
    """Run the whole platform locally: Temporal, worker, API, reference engine, demo data."""
    from irx.devstack import DevStack

    stack = DevStack(api_port, temporal_port, ui_port, engine_port, data_dir)
    raise typer.Exit(stack.run())


@app.command()
def api() -> None:
    """Run the API (configured by IRX_* environment variables)."""
    from api.server import serve

    serve(get_settings())


@app.command()
def worker() -> None:
    """Run a rating worker (configured by IRX_* environment variables)."""
    from workers.main import run_worker

    run_worker(get_settings())


@app.command("reference-engine")
def reference_engine() -> None:
    """Run the reference rating engine (configured by IRX_ENGINE_* variables)."""
    from reference_engine.server import serve

    serve()


@app.command("seed-demo")
def seed_demo(
    engine_url: Annotated[str, typer.Option(help="Base URL of the reference engine.")] = (
        "http://127.0.0.1:8100"
    ),
    api_key: Annotated[
        str | None, typer.Option(envvar="IRX_DEMO_API_KEY", help="Use this demo key.")
    ] = None,
) -> None:
    """Create or refresh the demo organization, API key and products."""
    from activities.loader import load_step_modules
    from activities.registry import registry
    from irx import demo
    from store.db import create_engine, session_factory

    settings = get_settings()
    load_step_modules(settings.step_modules)

    async def run() -> str:
        engine = create_engine(settings.database)
        try:
            info = await demo.seed_demo(session_factory(engine), registry, engine_url, api_key)
        finally:
            await engine.dispose()
        return info.api_key

    typer.echo(f"demo API key: {asyncio.run(run())}")


@db.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Run the config store's migrations up to REVISION."""
    from store.migrate import upgrade

    upgrade(get_settings().database, revision)
    typer.echo("database is at " + revision)


@temporal.command("setup")
def temporal_setup() -> None:
    """Register the platform's search attributes on the configured namespace."""
    from irx.temporal_setup import register_search_attributes
    from workers.client import connect_client

    async def run() -> list[str]:
        return await register_search_attributes(await connect_client(get_settings().temporal))

    added = asyncio.run(run())
    typer.echo("added: " + (", ".join(added) if added else "nothing, all present"))


@docs.command("errors")
def docs_errors() -> None:
    """Print docs/errors.md, the error catalog."""
    from models.errors import catalog_markdown

    typer.echo(catalog_markdown(), nl=False)
