"""``irx archive``: the transaction archive, listed, restored from and checked."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from irx.output import fail, progress, say
from irx.store_commands import with_store
from models.settings import get_settings

if TYPE_CHECKING:
    from store.archive import Archive
    from store.db import SessionFactory

T = TypeVar("T")

archive = typer.Typer(
    help="Transactions past the hot retention, archived in the blob store.",
    no_args_is_help=True,
)
ORG = Annotated[str | None, typer.Option("--org", help="One organization's slug (all if unset).")]


def _with_archive(call: Callable[[SessionFactory, Archive], Awaitable[T]]) -> T:
    """Runs one command against the configured config store and blob store."""
    from store.archive import Archive
    from store.blobs import create_blob_store

    blobs = get_settings().blobs
    return with_store(lambda sessions: call(sessions, Archive(create_blob_store(blobs))))


@archive.command("list")
def archive_list(org: ORG = None) -> None:
    """List each organization's archived days: transactions and chain links of each."""
    from irx.archives import list_days

    listed = _with_archive(lambda s, a: list_days(s, a, org))
    lines = []
    for slug, manifests in listed:
        total = sum(m.count for m in manifests)
        lines.append(f"{slug}: {len(manifests)} day(s), {total} transaction(s)")
        for m in manifests:
            links = f"  links {m.first_seq}..{m.last_seq}" if m.first_seq is not None else ""
            lines.append(f"  {m.day}  {m.count} transaction(s){links}")
    say(
        "\n".join(lines) if lines else None,
        [
            {
                "organization": slug,
                "days": [m.model_dump(mode="json", exclude={"transactions"}) for m in manifests],
            }
            for slug, manifests in listed
        ],
    )


@archive.command("restore")
def archive_restore(
    org: Annotated[str, typer.Option("--org", help="The organization's slug.")],
    day: Annotated[str, typer.Option("--day", help="The archived UTC day, YYYY-MM-DD.")],
    transaction: Annotated[
        str | None, typer.Option("--transaction", help="Only this transaction of the day.")
    ] = None,
) -> None:
    """Put a day's archived transactions (or one) back in the database, as archived, to
    inspect or re-rate them; the next archival run moves them back."""
    from irx.archives import restore

    try:
        wanted = datetime.strptime(day, "%Y-%m-%d").date()
    except ValueError:
        fail("VALIDATION_FAILED", f"--day {day!r} is not YYYY-MM-DD", exit_code=2)
    done = _with_archive(lambda s, a: restore(s, a, org, wanted, transaction))
    text = f"restored {len(done.restored)}, {len(done.present)} present already"
    if done.keys_released:
        text += f", {len(done.keys_released)} without their idempotency key (held since)"
    say(
        text,
        {
            "restored": done.restored,
            "present": done.present,
            "keysReleased": done.keys_released,
        },
    )


@archive.command("verify")
def archive_verify(org: ORG = None) -> None:
    """Check every archived day against its manifest's checksums and every archived chain
    link against the one before it; exit 1 if any does not match."""
    from irx.archives import verify_archives

    with progress("verifying the archive (transactions)") as advance:
        reports = _with_archive(lambda s, a: verify_archives(s, a, org, advance))
    lines = []
    for slug, report in reports:
        state = "intact" if report.intact else "DAMAGED"
        lines.append(
            f"{slug}: {report.days} day(s), {report.transactions} transaction(s), "
            f"{report.links} link(s) checked, {state}"
        )
        lines.extend(f"  {problem}" for problem in report.problems)
    say(
        "\n".join(lines) if lines else None,
        [
            {
                "organization": slug,
                "intact": report.intact,
                "days": report.days,
                "transactions": report.transactions,
                "links": report.links,
                "problems": report.problems,
            }
            for slug, report in reports
        ],
    )
    if not all(report.intact for _, report in reports):
        raise typer.Exit(1)
