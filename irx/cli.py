"""The ``irx`` command line."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from irx.archive_cli import archive
from irx.impact import impact
from irx.output import Output, fail, json_mode, progress, say, set_mode
from irx.store_commands import with_store
from models.settings import get_settings


class Plan(StrEnum):
    standard = "standard"
    professional = "professional"
    enterprise = "enterprise"


app = typer.Typer(
    help="InsurRateX: insurance rating orchestration on Temporal.", no_args_is_help=True
)
db = typer.Typer(help="The config store's database.", no_args_is_help=True)
temporal = typer.Typer(help="Temporal namespace setup for a real cluster.", no_args_is_help=True)
docs = typer.Typer(help="Documents generated from the code.", no_args_is_help=True)
orgs = typer.Typer(help="Organizations (tenants) and their plans.", no_args_is_help=True)
keys = typer.Typer(help="API keys of an organization.", no_args_is_help=True)
secrets = typer.Typer(help="The keys that seal system credentials at rest.", no_args_is_help=True)
audit = typer.Typer(
    help="The audit trail and the transaction log's hash chain.", no_args_is_help=True
)
app.add_typer(db, name="db")
app.add_typer(orgs, name="orgs")
app.add_typer(keys, name="keys")
app.add_typer(docs, name="docs")
app.add_typer(temporal, name="temporal")
app.add_typer(secrets, name="secrets")
app.add_typer(audit, name="audit")
app.add_typer(archive, name="archive")
events = typer.Typer(help="Rating events: the outbox the relay delivers.", no_args_is_help=True)
dlq = typer.Typer(
    help="Dead letters: events whose delivery failed every attempt.", no_args_is_help=True
)
events.add_typer(dlq, name="dlq")
app.add_typer(events, name="events")
app.command("impact")(impact)


@app.callback()
def _every_command(
    output: Annotated[
        Output,
        typer.Option(
            "--output",
            "-o",
            envvar="IRX_OUTPUT",
            help="text for people; json for scripts: one JSON document on stdout, errors "
            'as {"error": {...}} on stderr (servers log JSON lines already).',
        ),
    ] = Output.text,
) -> None:
    """Files any irx command creates (SQLite store, blobs, logs, the demo key) are its
    user's alone: they hold rating data and system secrets."""
    os.umask(0o077)
    set_mode(output)


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
    workers: Annotated[
        int,
        typer.Option(help="Worker processes; 0 runs a worker inside the API instead."),
    ] = 2,
) -> None:
    """Run the whole platform locally: Temporal, workers, API, reference engine, demo data."""
    from irx.devstack import DevStack

    stack = DevStack(api_port, temporal_port, ui_port, engine_port, data_dir, workers)
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


@app.command("reference-engine-load")
def reference_engine_load(
    export: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    engine_url: Annotated[str, typer.Option(help="Base URL of the reference engine.")] = (
        "http://127.0.0.1:8100"
    ),
) -> None:
    """Load the rating tables of a product's export document (its product.engineTables)
    into the reference engine, which keeps them (IRX_ENGINE_STORE_PATH)."""
    import httpx

    url = f"{engine_url.rstrip('/')}/v1/tables/import"
    try:
        answer = httpx.post(
            url,
            content=export.read_bytes(),
            headers={"Content-Type": "application/json"},
            timeout=30,
        )
    except httpx.HTTPError as exc:
        fail("ENGINE_UNREACHABLE", f"{url}: {exc}")
    if answer.status_code != 200:
        fail("ENGINE_REFUSED", f"{url} answered {answer.status_code}", {"body": answer.text})
    loaded = answer.json()["loaded"]
    text = f"loaded {', '.join(loaded)}" if loaded else f"{export} has no engineTables"
    say(text, {"loaded": loaded})


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

    key = asyncio.run(run())
    say(f"demo API key: {key}", {"apiKey": key})


@db.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Run the config store's migrations up to REVISION."""
    from store.migrate import upgrade

    upgrade(get_settings().database, revision)
    say("database is at " + revision, {"revision": revision})


@temporal.command("setup")
def temporal_setup() -> None:
    """Register the search attributes and the retention schedule on the configured namespace."""
    from irx.temporal_setup import register_retention_schedule, register_search_attributes
    from workers.client import connect_client

    settings = get_settings().temporal

    async def run() -> list[str]:
        client = await connect_client(settings)
        added = await register_search_attributes(client)
        await register_retention_schedule(client, settings.task_queue)
        return added

    added = asyncio.run(run())
    say(
        "search attributes added: "
        + (", ".join(added) if added else "none, all present")
        + "\nretention schedule: registered",
        {"searchAttributesAdded": added, "retentionSchedule": "registered"},
    )
    # The SDK's runtime threads may still call into Python while the interpreter shuts
    # down ("PyGILState_Release ... finalizing", exit 134, in 2 runs of 12): its work
    # done and said, the command ends here, so a setup Job's exit code is the truth.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


@docs.command("errors")
def docs_errors() -> None:
    """Print docs/errors.md, the error catalog."""
    from models.errors import catalog_markdown

    markdown = catalog_markdown()
    if json_mode():
        say(None, {"markdown": markdown})
    else:
        typer.echo(markdown, nl=False)


@docs.command("export-schema")
def docs_export_schema() -> None:
    """Print docs/schemas/product-export.schema.json, the export document's JSON Schema."""
    from models.exports import export_schema

    typer.echo(export_schema(), nl=False)


@docs.command("openapi")
def docs_openapi() -> None:
    """Print docs/openapi.json, the API's OpenAPI document (both versions)."""
    from api.openapi_document import openapi_text

    typer.echo(openapi_text(), nl=False)


@orgs.command("create")
def orgs_create(
    slug: Annotated[str, typer.Option(help="Short unique name, e.g. acme.")],
    name: Annotated[str, typer.Option(help="Display name.")],
    plan: Annotated[Plan, typer.Option(help="The plan and its limits.")] = Plan.standard,
    requests_per_minute: Annotated[
        int | None, typer.Option(help="Overrides the plan's requests per minute.")
    ] = None,
) -> None:
    """Create an organization."""
    from irx.admin import create_org

    org = with_store(lambda s: create_org(s, slug, name, plan.value, requests_per_minute))
    say(f"organization {org.slug} ({org.plan}): {org.id}", org.model_dump(mode="json"))


@keys.command("create")
def keys_create(
    org: Annotated[str, typer.Option(help="The organization's slug.")],
    name: Annotated[str, typer.Option(help="What the key is for.")],
    scopes: Annotated[str, typer.Option(help="Comma-separated: rate,config:read,...")] = "rate",
    products: Annotated[
        str | None, typer.Option(help="Comma-separated product codes (all if unset).")
    ] = None,
    expires_in_days: Annotated[int | None, typer.Option(help="Days until it expires.")] = None,
    api_version: Annotated[
        str | None, typer.Option(help="Pin the key to one API version: v1 or v2.")
    ] = None,
) -> None:
    """Create an API key; it is printed this once and stored only as a hash."""
    from irx.admin import create_key

    created = with_store(
        lambda s: create_key(
            s,
            org,
            name,
            scopes.split(","),
            products.split(",") if products else None,
            expires_in_days,
            api_version,
        )
    )
    say(
        f"key {created.id} ({', '.join(created.scopes)}): {created.key}",
        created.model_dump(mode="json", by_alias=True),
    )


@keys.command("list")
def keys_list(org: Annotated[str, typer.Option(help="The organization's slug.")]) -> None:
    """List an organization's keys (prefixes only)."""
    from irx.admin import list_keys

    found = with_store(lambda s: list_keys(s, org))
    lines = [
        f"{k.id}  {k.prefix}…  {'revoked' if k.revoked_at else 'active'}  "
        f"{','.join(k.scopes)}  {k.name}"
        for k in found
    ]
    say(
        "\n".join(lines) if lines else None,
        [k.model_dump(mode="json", by_alias=True) for k in found],
    )


@keys.command("revoke")
def keys_revoke(
    key_id: str, org: Annotated[str, typer.Option(help="The organization's slug.")]
) -> None:
    """Revoke a key: refused by every API process from the next request on."""
    from irx.admin import revoke_key

    key = with_store(lambda s: revoke_key(s, org, key_id))
    say(f"revoked {key.id} ({key.prefix}…)", key.model_dump(mode="json", by_alias=True))


@secrets.command("new-key")
def secrets_new_key(
    key_id: Annotated[str, typer.Option("--id", help="The new key's id.")] = "k1",
) -> None:
    """Print a new key entry for IRX_SECRET_KEYS (put it first to seal with it)."""
    from store.sealing import Keyring

    entry = Keyring.new_key(key_id)
    say(entry, {"id": key_id, "entry": entry})


@secrets.command("reseal")
def secrets_reseal() -> None:
    """Seal every stored credential and every kept request with the active key (after a
    rotation, or to seal what was stored in clear before sealing existed)."""
    from irx.admin import reseal

    keys = get_settings().secret_keys
    if keys is None:
        fail("NO_SECRET_KEYS", "IRX_SECRET_KEYS is not set: there is no key to seal with.")
    with progress("resealing credentials and kept requests") as advance:
        systems, requests = with_store(lambda s: reseal(s, keys, advance))
    say(
        f"resealed the credentials of {systems} system(s) and {requests} kept request(s)",
        {"resealed": systems, "requests": requests},
    )


@audit.command("verify")
def audit_verify(
    org: Annotated[str | None, typer.Option(help="One organization's slug (all if unset).")] = None,
) -> None:
    """Walk each organization's transaction hash chain; exit 1 if any link was altered,
    removed or reordered. Links moved to the archive are crossed by its hashes."""
    from irx.admin import verify_chains
    from store.archive import Archive
    from store.blobs import create_blob_store

    archived = Archive(create_blob_store(get_settings().blobs))
    with progress("verifying transaction chains (links)") as advance:
        reports = with_store(lambda s: verify_chains(s, org, advance, archived))
    lines = []
    for slug, report in reports:
        state = "intact" if report.intact else "BROKEN"
        anchor = f" from link {report.anchor}" if report.anchor is not None else ""
        lines.append(f"{slug}: {report.links} links{anchor}, {state}")
        if report.archived:
            lines.append(f"  {report.archived} link(s) crossed in the archive")
        if report.unlinked:
            lines.append(f"  {report.unlinked} transaction(s) not linked yet")
        lines.extend(f"  {problem}" for problem in report.broken)
    say(
        "\n".join(lines) if lines else None,
        [
            {
                "organization": slug,
                "intact": report.intact,
                "links": report.links,
                "anchor": report.anchor,
                "unlinked": report.unlinked,
                "archived": report.archived,
                "broken": [str(problem) for problem in report.broken],
            }
            for slug, report in reports
        ],
    )
    if not all(report.intact for _, report in reports):
        raise typer.Exit(1)


@dlq.command("list")
def dlq_list(
    limit: Annotated[int, typer.Option(help="At most this many, newest first.")] = 100,
) -> None:
    """List the dead letters of every organization: id, transaction, sink, why, attempts."""
    from store.outbox import dead_letters

    rows = with_store(lambda s: dead_letters(s, None, limit))
    lines = [
        f"{row.id}  {row.transaction_id}  {row.sink.get('sink')}  "
        f"{row.attempts} attempts  {row.last_error}"
        for row in rows
    ]
    say("\n".join(lines) if lines else None, [row.model_dump(mode="json") for row in rows])


@dlq.command("show")
def dlq_show(event_id: Annotated[str, typer.Argument(help="The event id.")]) -> None:
    """Print one dead letter (or any outbox event) as JSON: the event, its sink, its state."""
    from store.outbox import find_event

    row = with_store(lambda s: find_event(s, event_id, None))
    if row is None:
        fail("RESOURCE_NOT_FOUND", f"no event {event_id}")
    document = row.model_dump(mode="json")
    say(json.dumps(document, indent=2, sort_keys=True), document)


@dlq.command("replay")
def dlq_replay(event_id: Annotated[str, typer.Argument(help="The event id.")]) -> None:
    """Deliver a dead letter again (same event id, fresh attempts): the next relay round."""
    from store.outbox import replay

    if not with_store(lambda s: replay(s, event_id, None)):
        fail("RESOURCE_NOT_FOUND", f"no dead letter {event_id}")
    say(f"{event_id}: pending again", {"eventId": event_id, "status": "pending"})


@dlq.command("purge")
def dlq_purge(
    event_id: Annotated[str | None, typer.Argument(help="One event id.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every dead letter.")] = False,
) -> None:
    """Delete one dead letter, or every one (--all)."""
    from store.outbox import purge

    if event_id is None and not all_:
        fail("VALIDATION_FAILED", "name an event id, or --all", exit_code=2)
    purged = with_store(lambda s: purge(s, event_id, None))
    say(f"purged {purged}", {"purged": purged})


@app.command("export")
def export_product(
    product: str,
    org: Annotated[str, typer.Option(help="The organization's slug.")],
) -> None:
    """Print PRODUCT's whole configuration as its canonical JSON document (for Git)."""
    from irx.admin import export_document

    document, versions = with_store(lambda s: export_document(s, org, product))
    sys.stdout.buffer.write(document)
    if not json_mode():  # stdout is the document; this is for the person running it
        typer.echo(f"exported {product}: {versions or 'nothing published'}", err=True)


@app.command("import")
def import_product(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    org: Annotated[str, typer.Option(help="The organization's slug.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only print the diff.")] = False,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace an existing product's configuration.")
    ] = False,
) -> None:
    """Create or replace a product from an exported document (validated whole, atomic)."""
    from irx.admin import import_document

    with progress(f"importing {file.name}") as advance:
        result = with_store(
            lambda s: import_document(s, org, file.read_bytes(), dry_run, overwrite)
        )
        advance(1)
    say(
        result.model_dump_json(by_alias=True, indent=2),
        result.model_dump(mode="json", by_alias=True),
    )
