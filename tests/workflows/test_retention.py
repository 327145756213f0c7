"""Retention: a Temporal schedule purges transactions past their plan's retention, then
archives those past the hot retention."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlmodel import col, select
from temporalio.client import Client

from irx.temporal_setup import RETENTION_CRON, register_retention_schedule
from models.retention import PurgeReport
from models.settings import Settings
from models.tables import OrganizationRow, QuarantineRow, TransactionRow
from store.archive import Archive
from store.blobs import create_blob_store
from store.db import SessionFactory, create_engine, session_factory
from store.migrate import upgrade_async
from workers.worker import rating_worker
from workflows.retention import SCHEDULE_ID, RetentionWorkflow


async def add_transaction(
    sessions: SessionFactory, settings: Settings, org: str, age_days: int, status: str
) -> str:
    transaction_id = str(uuid.uuid4())
    async with sessions() as session:
        session.add(
            TransactionRow(
                id=transaction_id,
                organization_id=org,
                correlation_id="c",
                product_code="IMCE",
                endpoint="rate",
                flow_version=1,
                flow_version_id="fv",
                status=status,
                request_hash="0" * 64,
                started_at=datetime.now(UTC) - timedelta(days=age_days),
            )
        )
        session.add(
            QuarantineRow(
                id=f"{transaction_id}:0",
                organization_id=org,
                transaction_id=transaction_id,
                product_code="IMCE",
                step="s",
                code="TRANSFORM_FAILED",
                reason="r",
                document_ref=f"{transaction_id}/quarantine/00-s",
            )
        )
        await session.commit()
    folder = settings.blobs.root / transaction_id
    (folder / "quarantine").mkdir(parents=True)
    (folder / "request.json").write_text("{}")
    (folder / "quarantine" / "00-s").write_text("<x/>")
    return transaction_id


async def test_expired_transactions_and_their_documents_are_purged(
    temporal_client: Client, settings: Settings
) -> None:
    await upgrade_async(settings.database)
    engine = create_engine(settings.database)
    sessions = session_factory(engine)
    async with sessions() as session:
        standard = OrganizationRow(slug=f"s-{uuid.uuid4().hex[:6]}", name="s", plan="standard")
        enterprise = OrganizationRow(slug=f"e-{uuid.uuid4().hex[:6]}", name="e", plan="enterprise")
        session.add_all([standard, enterprise])
        await session.commit()
    expired = await add_transaction(sessions, settings, standard.id, 40, "completed")
    recent = await add_transaction(sessions, settings, standard.id, 5, "failed")
    running = await add_transaction(sessions, settings, standard.id, 40, "running")
    kept = await add_transaction(sessions, settings, enterprise.id, 40, "completed")
    async with rating_worker(temporal_client, settings) as worker, worker:
        report: PurgeReport = await temporal_client.execute_workflow(
            RetentionWorkflow.run,
            id=f"retention-{uuid.uuid4().hex[:6]}",
            task_queue=settings.temporal.task_queue,
        )
    assert report.transactions == {standard.slug: 1}  # 30 days on standard, a year on enterprise
    assert report.documents == 2
    # Past the 30 hot days, within its year: the enterprise one moves to the archive.
    assert report.archive is not None
    archived = report.archive.organizations[enterprise.slug]
    assert archived.transactions == 1
    manifest = await Archive(create_blob_store(settings.blobs)).manifest(
        enterprise.id, archived.days[0]
    )
    assert manifest is not None
    assert [t.id for t in manifest.transactions] == [kept]
    async with sessions() as session:
        left = set((await session.exec(select(TransactionRow.id))).all())
        quarantined = set((await session.exec(select(col(QuarantineRow.transaction_id)))).all())
    await engine.dispose()
    assert left == {recent, running}  # a run still going is never purged
    assert quarantined == left | {kept}  # an archived one's stays with its documents
    assert not (settings.blobs.root / expired).exists()
    assert (settings.blobs.root / kept / "request.json").exists()


async def test_the_schedule_is_registered_daily_and_idempotently(
    temporal_client: Client,
) -> None:
    await register_retention_schedule(temporal_client, "irx-rating")
    await register_retention_schedule(temporal_client, "irx-rating")  # a second setup
    described = await temporal_client.get_schedule_handle(SCHEDULE_ID).describe()
    # The server keeps the cron expression as a calendar: 03:17 UTC, every day.
    (calendar,) = described.schedule.spec.calendars
    assert RETENTION_CRON == "17 3 * * *"
    assert (calendar.hour[0].start, calendar.minute[0].start) == (3, 17)
    assert calendar.day_of_month[0].end == 31
    action = described.schedule.action
    assert getattr(action, "workflow", None) == "RetentionWorkflow"
