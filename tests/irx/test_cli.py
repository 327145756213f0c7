"""The ``irx`` commands that set a database up, as an operator runs them."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jsonschema_rs
import pytest
from sqlmodel import col, select
from temporalio.testing import WorkflowEnvironment
from typer.testing import CliRunner

from irx.cli import app
from models.settings import get_settings
from models.systems import System
from models.tables import AuditRow, OrganizationRow, SystemRow, TransactionRow
from store import outbox, systems
from store.db import create_engine, session_factory
from store.kept_requests import keep, kept_request
from store.organizations import get_org
from store.sealing import Keyring
from store.transactions import insert_transaction
from tests.store.test_transaction_chain import transaction

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    """``irx`` against a fresh SQLite store of this test's own."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'irx.db'}")
    get_settings.cache_clear()
    umask = os.umask(0o022)  # irx sets its own; give the rest of the session its own back
    try:
        yield CliRunner()
    finally:
        os.umask(umask)
        get_settings.cache_clear()


def test_db_upgrade_then_seed_demo(runner: CliRunner, tmp_path: Path) -> None:
    upgraded = runner.invoke(app, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    assert "database is at head" in upgraded.output
    assert (tmp_path / "irx.db").stat().st_mode & 0o077 == 0  # the owner's alone
    seeded = runner.invoke(app, ["seed-demo", "--api-key", "irx_cli-test-key"])
    assert seeded.exit_code == 0, seeded.output
    assert "demo API key: irx_cli-test-key" in seeded.output
    again = runner.invoke(app, ["seed-demo", "--api-key", "irx_cli-test-key"])
    assert again.exit_code == 0, again.output


def test_an_operator_creates_a_tenant_and_its_keys(runner: CliRunner) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    org = ["--org", "acme"]
    made = runner.invoke(app, ["orgs", "create", "--slug", "acme", "--name", "Acme"])
    assert made.exit_code == 0, made.output
    assert "organization acme (standard)" in made.output
    twice = runner.invoke(app, ["orgs", "create", "--slug", "acme", "--name", "Acme"])
    assert twice.exit_code == 1
    assert "RESOURCE_CONFLICT" in twice.output
    created = runner.invoke(
        app,
        ["keys", "create", *org, "--name", "partner", "--scopes", "rate,config:read"],
    )
    assert created.exit_code == 0, created.output
    key_id, _, key = created.output.strip().partition(": ")
    key_id = key_id.split()[1]
    assert key.startswith("irx_")
    listed = runner.invoke(app, ["keys", "list", *org])
    assert key_id in listed.output
    assert key not in listed.output  # shown once, never again
    assert "active" in listed.output
    for _ in range(4):  # the standard plan allows five keys
        assert runner.invoke(app, ["keys", "create", *org, "--name", "k"]).exit_code == 0
    over = runner.invoke(app, ["keys", "create", *org, "--name", "k"])
    assert over.exit_code == 1
    assert "PLAN_LIMIT_EXCEEDED" in over.output
    revoked = runner.invoke(app, ["keys", "revoke", key_id, *org])
    assert revoked.exit_code == 0, revoked.output
    assert "revoked" in runner.invoke(app, ["keys", "list", *org]).output
    actions = asyncio.run(_audited())
    assert actions[:2] == [("CREATE", "organization"), ("CREATE", "api_key")]
    assert actions[-1] == ("REVOKE", "api_key")


def test_an_operator_rotates_the_key_that_seals_credentials(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A credential stored in clear (before sealing existed) and one sealed with the old
    key both end up sealed with the new one, and every system still opens; so do the
    requests transactions keep."""
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    old = runner.invoke(app, ["secrets", "new-key", "--id", "old"]).output.strip()
    new = runner.invoke(app, ["secrets", "new-key", "--id", "new"]).output.strip()
    assert old.startswith("old:")
    assert new.startswith("new:")
    asyncio.run(_store_two_systems(Keyring.parse(old)))
    monkeypatch.setenv("IRX_SECRET_KEYS", f"{new},{old}")
    get_settings.cache_clear()
    resealed = runner.invoke(app, ["secrets", "reseal"])
    assert resealed.exit_code == 0, resealed.output
    assert "resealed the credentials of 2 system(s) and 2 kept request(s)" in resealed.output
    again = runner.invoke(app, ["secrets", "reseal"]).output
    assert "0 system(s) and 0 kept request(s)" in again
    tokens = asyncio.run(_tokens(Keyring.parse(new)))  # the old key is no longer needed
    assert tokens == {"legacy": "clear-token", "sealed": "sealed-token"}
    assert asyncio.run(_requests(Keyring.parse(new))) == {b'{"clear": 1}', b'{"sealed": 2}'}


async def _audited() -> list[tuple[str, str]]:
    """The (action, entity type) of every audit entry, oldest first."""
    engine = create_engine(get_settings().database)
    async with session_factory(engine)() as session:
        rows = (await session.exec(select(AuditRow).order_by(col(AuditRow.id)))).all()
    await engine.dispose()
    return [(row.action, row.entity_type) for row in rows]


async def _store_two_systems(keyring: Keyring) -> None:
    engine = create_engine(get_settings().database)
    async with session_factory(engine)() as session:
        org = OrganizationRow(slug="acme", name="Acme")
        session.add(org)
        await session.flush()
        for code, token in (("legacy", "clear-token"), ("sealed", "sealed-token")):
            system = System(
                code=code,
                name=code,
                kind="rating_engine",
                base_url="http://engine.example",
                auth={"mode": "bearer", "token": token},
            )
            row = await systems.insert_system(session, org.id, system, keyring)
            if code == "legacy":  # as rows were written before credentials were sealed
                row.auth = {"mode": "bearer", "token": token}
        for raw, sealer in ((b'{"clear": 1}', None), (b'{"sealed": 2}', keyring)):
            transaction = TransactionRow(
                id=str(uuid.uuid4()),
                organization_id=org.id,
                correlation_id="c",
                product_code="P",
                endpoint="rate",
                flow_version=1,
                flow_version_id="v",
                request_hash="h",
            )
            transaction.request_kept = keep(sealer, org.id, transaction.id, raw)
            session.add(transaction)
        await session.commit()
    await engine.dispose()


async def _requests(keyring: Keyring) -> set[bytes]:
    engine = create_engine(get_settings().database)
    async with session_factory(engine)() as session:
        rows = (await session.exec(select(TransactionRow))).all()
    await engine.dispose()
    assert all((row.request_kept or "").startswith("irx1:new:") for row in rows)
    return {kept_request(keyring, row) or b"" for row in rows}


async def _tokens(keyring: Keyring) -> dict[str, str]:
    engine = create_engine(get_settings().database)
    async with session_factory(engine)() as session:
        rows = (await session.exec(select(SystemRow))).all()
        assert all(row.auth["token"].startswith("irx1:new:") for row in rows)
        opened = {row.code: systems.system_of(row, keyring).auth.token for row in rows}
    await engine.dispose()
    return {code: token.get_secret_value() for code, token in opened.items() if token}


def test_an_operator_verifies_the_transaction_chain(runner: CliRunner) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["orgs", "create", "--slug", "acme", "--name", "A"]).exit_code == 0
    asyncio.run(_three_transactions_then(tamper=False))
    intact = runner.invoke(app, ["audit", "verify"])
    assert intact.exit_code == 0, intact.output
    assert "acme: 3 links from link 1, intact" in intact.output
    asyncio.run(_three_transactions_then(tamper=True))
    broken = runner.invoke(app, ["audit", "verify", "--org", "acme"])
    assert broken.exit_code == 1
    assert "acme: 6 links from link 1, BROKEN" in broken.output
    assert "link 2 (" in broken.output


async def _three_transactions_then(tamper: bool) -> None:
    engine = create_engine(get_settings().database)
    sessions = session_factory(engine)
    async with sessions() as session:
        org = await get_org(session, "acme")
    for _ in range(3):
        row = transaction(org.id)
        await insert_transaction(sessions, row)  # linked as it is written
    if tamper:
        async with sessions() as session:
            second = (
                await session.exec(select(TransactionRow).where(TransactionRow.chain_seq == 2))
            ).one()
            second.product_code = "BOP"
            session.add(second)
            await session.commit()
    await engine.dispose()


def test_export_and_import_for_a_git_workflow(runner: CliRunner, tmp_path: Path) -> None:
    """irx export > file; edit; irx import --dry-run; irx import; export again."""
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["seed-demo"]).exit_code == 0
    exported = runner.invoke(app, ["export", "IMCE", "--org", "demo"])
    assert exported.exit_code == 0, exported.output
    document = json.loads(exported.stdout_bytes)
    schema = json.loads((ROOT / "docs/schemas/product-export.schema.json").read_text())
    assert jsonschema_rs.validator_for(schema).is_valid(document)
    document["product"]["code"] = "IMCE-COPY"
    edited = tmp_path / "imce-copy.json"
    edited.write_text(json.dumps(document))
    dry = runner.invoke(app, ["import", str(edited), "--org", "demo", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert json.loads(dry.output)["created"] is True
    assert runner.invoke(app, ["export", "IMCE-COPY", "--org", "demo"]).exit_code == 1
    done = runner.invoke(app, ["import", str(edited), "--org", "demo"])
    assert done.exit_code == 0, done.output
    copy = runner.invoke(app, ["export", "IMCE-COPY", "--org", "demo"])
    assert json.loads(copy.stdout_bytes) == document
    twice = runner.invoke(app, ["import", str(edited), "--org", "demo"])
    assert json.loads(twice.output)["diff"]["added"] == []  # nothing changed
    edited.write_text('{"product": {}}')
    bad = runner.invoke(app, ["import", str(edited), "--org", "demo"])
    assert bad.exit_code == 1
    assert "VALIDATION_FAILED" in bad.output


def test_the_export_schema_in_docs_is_current() -> None:
    from models.exports import export_schema

    assert (ROOT / "docs/schemas/product-export.schema.json").read_text() == export_schema()


def test_the_committed_openapi_document_is_the_apps() -> None:
    """docs/openapi.json is what clients are generated from and CI lints: regenerate it
    with `irx docs openapi > docs/openapi.json` when the API changes."""
    from api.openapi_document import openapi_text

    assert (ROOT / "docs/openapi.json").read_text() == openapi_text(), (
        "docs/openapi.json is stale: irx docs openapi > docs/openapi.json"
    )


def test_temporal_setup_exits_zero_every_time(temporal_env: WorkflowEnvironment) -> None:
    """``irx temporal setup`` runs as a migration Job: its exit code must be the truth.
    It aborted (134) in 2 runs of 12 after finishing, in the interpreter's shutdown."""
    env = {
        **os.environ,
        "IRX_TEMPORAL__ADDRESS": temporal_env.client.service_client.config.target_host,
    }
    for _ in range(10):
        done = subprocess.run(
            [sys.executable, "-m", "irx", "temporal", "setup"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert "retention schedule: registered" in done.stdout


def test_an_operator_lists_shows_replays_and_purges_dead_letters(runner: CliRunner) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["orgs", "create", "--slug", "acme", "--name", "A"]).exit_code == 0
    first, second = asyncio.run(_two_dead_letters())
    listed = runner.invoke(app, ["events", "dlq", "list"])
    assert listed.exit_code == 0, listed.output
    assert first in listed.output
    assert "webhook  1 attempts  EVENT_SINK_UNAVAILABLE: down" in listed.output
    shown = runner.invoke(app, ["events", "dlq", "show", first])
    assert json.loads(shown.output)["event"] == {"eventId": first, "type": "rating.completed"}
    replayed = runner.invoke(app, ["events", "dlq", "replay", first])
    assert replayed.output == f"{first}: pending again\n"
    assert runner.invoke(app, ["events", "dlq", "replay", first]).exit_code == 1  # not dead now
    assert first not in runner.invoke(app, ["events", "dlq", "list"]).output
    assert runner.invoke(app, ["events", "dlq", "purge"]).exit_code == 2  # names nothing
    assert runner.invoke(app, ["events", "dlq", "purge", "--all"]).output == "purged 1\n"
    assert second not in runner.invoke(app, ["events", "dlq", "list"]).output


async def _two_dead_letters() -> tuple[str, str]:
    engine = create_engine(get_settings().database)
    sessions = session_factory(engine)
    async with sessions() as session:
        org = await get_org(session, "acme")
        owed = [
            {
                "event": {"eventId": event_id, "type": "rating.completed"},
                "sink": {"sink": "webhook"},
            }
            for event_id in ("event-1", "event-2")
        ]
        ids = await outbox.add_events(session, org.id, "tx-1", owed)
        await session.commit()
    for event_id in ids:
        await outbox.claim(sessions, event_id, 60)
        await outbox.settle(
            sessions, event_id, "EVENT_SINK_UNAVAILABLE: down", max_attempts=1, retry_base_s=1
        )
    await engine.dispose()
    return ids[0], ids[1]


def test_every_command_speaks_json_for_scripts(runner: CliRunner) -> None:
    """`--output json` (or IRX_OUTPUT=json): one JSON document on stdout, and a failure
    as {"error": {...}} on stderr with the same exit code."""

    def run(*args: str) -> object:
        result = runner.invoke(app, ["--output", "json", *args])
        assert result.exit_code == 0, (args, result.output, result.stderr)
        return json.loads(result.stdout)

    assert run("db", "upgrade") == {"revision": "head"}
    org = run("orgs", "create", "--slug", "acme", "--name", "Acme")
    assert isinstance(org, dict)
    assert (org["slug"], org["plan"]) == ("acme", "standard")
    created = run("keys", "create", "--org", "acme", "--name", "ci", "--api-version", "v2")
    assert isinstance(created, dict)
    assert created["key"].startswith("irx_")
    assert created["apiVersion"] == "v2"
    listed = run("keys", "list", "--org", "acme")
    assert isinstance(listed, list)
    assert [k["id"] for k in listed] == [created["id"]]
    assert "key" not in listed[0]  # shown once, never again
    assert run("audit", "verify") == [
        {
            "organization": "acme",
            "intact": True,
            "links": 0,
            "anchor": None,
            "unlinked": 0,
            "archived": 0,
            "broken": [],
        }
    ]
    assert run("events", "dlq", "list") == []
    entry = run("secrets", "new-key", "--id", "k9")
    assert isinstance(entry, dict)
    assert entry["entry"].startswith("k9:")
    markdown = run("docs", "errors")
    assert isinstance(markdown, dict)
    assert markdown["markdown"].startswith("#")

    twice = runner.invoke(
        app, ["--output", "json", "orgs", "create", "--slug", "acme", "--name", "Acme"]
    )
    assert twice.exit_code == 1
    assert twice.stdout == ""
    assert json.loads(twice.stderr)["error"]["code"] == "RESOURCE_CONFLICT"
    gone = runner.invoke(app, ["events", "dlq", "show", "nope"], env={"IRX_OUTPUT": "json"})
    assert gone.exit_code == 1
    assert json.loads(gone.stderr)["error"] == {
        "code": "RESOURCE_NOT_FOUND",
        "message": "no event nope",
        "details": {},
    }


def test_an_operator_lists_restores_and_verifies_the_archive(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IRX_BLOBS__ROOT", str(tmp_path / "blobs"))
    get_settings.cache_clear()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    made = runner.invoke(
        app, ["orgs", "create", "--slug", "acme", "--name", "A", "--plan", "enterprise"]
    )
    assert made.exit_code == 0, made.output
    day, ids = asyncio.run(_archived_day())
    listed = runner.invoke(app, ["archive", "list", "--org", "acme"])
    assert listed.exit_code == 0, listed.output
    assert f"  {day}  3 transaction(s)  links 1..3" in listed.output
    verified = runner.invoke(app, ["archive", "verify"])
    assert verified.exit_code == 0, verified.output
    assert "acme: 1 day(s), 3 transaction(s), 3 link(s) checked, intact" in verified.output
    chain = runner.invoke(app, ["audit", "verify"])
    assert "acme: 1 links from link 4, intact" in chain.output  # checked against link 3

    one = ["archive", "restore", "--org", "acme", "--day", day, "--transaction", ids[1]]
    assert runner.invoke(app, one).output == "restored 1, 0 present already\n"
    chain = runner.invoke(app, ["audit", "verify"])
    assert chain.exit_code == 0, chain.output
    assert "acme: 2 links from link 2, intact" in chain.output
    assert "  1 link(s) crossed in the archive" in chain.output  # link 3, between 2 and 4
    whole = runner.invoke(
        app, ["--output", "json", "archive", "restore", "--org", "acme", "--day", day]
    )
    assert json.loads(whole.stdout) == {
        "restored": [ids[0], ids[2]],
        "present": [ids[1]],
        "keysReleased": [],
    }
    assert "acme: 4 links from link 1, intact" in runner.invoke(app, ["audit", "verify"]).output
    assert asyncio.run(_restored(ids)) == 3

    bad = runner.invoke(app, ["archive", "restore", "--org", "acme", "--day", "yesterday"])
    assert bad.exit_code == 2
    missing = runner.invoke(app, ["archive", "restore", "--org", "acme", "--day", "2001-01-01"])
    assert missing.exit_code == 1
    assert "RESOURCE_NOT_FOUND" in missing.output


async def _archived_day() -> tuple[str, list[str]]:
    """Three ratings of 40 days ago archived (and one of today left), as the schedule
    does; the day and their ids."""
    from temporalio.testing import ActivityEnvironment

    from activities.archival import ArchivalActivities
    from store.archive import Archive
    from store.blobs import create_blob_store

    settings = get_settings()
    engine = create_engine(settings.database)
    sessions = session_factory(engine)
    async with sessions() as session:
        org = await get_org(session, "acme")
    started = datetime.now(UTC).replace(hour=12) - timedelta(days=40)
    ids = []
    for minute in range(3):
        row = transaction(org.id)
        row.started_at = started + timedelta(minutes=minute)
        row.status = "completed"
        await insert_transaction(sessions, row)
        ids.append(row.id)
    await insert_transaction(sessions, transaction(org.id))
    archival = ArchivalActivities(sessions, Archive(create_blob_store(settings.blobs)))
    report = await ActivityEnvironment().run(archival.archive_transactions)
    await engine.dispose()
    assert report.organizations["acme"].transactions == 3
    return started.date().isoformat(), ids


async def _restored(ids: list[str]) -> int:
    engine = create_engine(get_settings().database)
    async with session_factory(engine)() as session:
        found = await session.exec(select(TransactionRow).where(col(TransactionRow.id).in_(ids)))
        count = len(found.all())
    await engine.dispose()
    return count
