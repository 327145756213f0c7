"""Reads transactions back, taking a closed run's outcome from Temporal when it was not recorded."""

from __future__ import annotations

from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.service import RPCError

from models.errors import ErrorCode, PlatformError
from models.principal import Principal
from models.rating import Doc, RatingOutcome, StepRecord
from models.tables import TransactionRow
from models.transactions import TransactionPublic, stored_result, workflow_id
from store.db import SessionFactory
from store.documents import Documents
from store.transactions import find_transaction, mark_ended, record_outcome


async def with_details(documents: Documents, steps: list[StepRecord]) -> list[StepRecord]:
    """Step records with any detail kept in the blob store read back in."""
    return [s.model_copy(update={"detail": await documents.load_detail(s.detail)}) for s in steps]


class TransactionReader:
    def __init__(self, client: Client, sessions: SessionFactory, documents: Documents) -> None:
        self.client = client
        self.sessions = sessions
        self.documents = documents

    async def get(
        self, principal: Principal, transaction_id: str
    ) -> tuple[TransactionPublic, Doc | None]:
        """One transaction of the caller's organization (another's reads as not found),
        and its result document (``api.responses.answer_response``)."""
        row = await find_transaction(self.sessions, principal.organization_id, transaction_id)
        if row is None or not principal.can_see(row.product_code):
            raise PlatformError(
                ErrorCode.RESOURCE_NOT_FOUND, resource="Transaction", id=transaction_id
            )
        if row.status == "running":
            row = await self.reconcile(row)
        found = TransactionPublic.from_row(row, None)
        found.steps = await with_details(self.documents, found.steps)
        return found, stored_result(row)

    async def reconcile(self, row: TransactionRow) -> TransactionRow:
        """A row still ``running`` whose workflow has closed takes its outcome from Temporal.

        The workflow records its own outcome; this covers a record that failed
        (database down at the time) or a run that timed out or was terminated.
        """
        handle = self.client.get_workflow_handle(workflow_id(row.id), result_type=RatingOutcome)
        try:
            status = (await handle.describe()).status
        except RPCError:
            return row  # Temporal unreachable or the run unknown: report what is stored
        if status is None or status == WorkflowExecutionStatus.RUNNING:
            return row
        if status == WorkflowExecutionStatus.COMPLETED:
            return (await record_outcome(self.sessions, row.id, await handle.result())).row
        timed_out = status == WorkflowExecutionStatus.TIMED_OUT
        ended = await mark_ended(
            self.sessions,
            row.id,
            "timed_out" if timed_out else "failed",
            ErrorCode.REQUEST_TIMEOUT if timed_out else ErrorCode.INTERNAL_ERROR,
            f"The run ended {status.name.lower()}.",
        )
        return ended or row
