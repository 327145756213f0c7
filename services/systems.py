"""System writes: validate, write, audit (auth secrets never reach the audit trail)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from activities.registry import StepRegistry
from engines.url_policy import UrlPolicy
from models.errors import ErrorCode, PlatformError
from models.flow import StepSpec
from models.principal import Actor
from models.systems import System
from models.tables import SystemRow, utcnow
from services.etags import check_etag
from store import flows, systems
from store.audit import audit
from store.sealing import Keyring


def check_hosts(body: System, policy: UrlPolicy) -> None:
    """VALIDATION_FAILED when the URL names a host the egress policy refuses."""
    problems = [
        {"path": "baseUrl", "message": reason}
        for host in body.hosts()
        if (reason := policy.refusal(host)) is not None
    ]
    if problems:
        raise PlatformError(
            ErrorCode.VALIDATION_FAILED,
            "The system's URL names a host systems may not call.",
            details={"problems": problems},
        )


async def create_system(
    session: AsyncSession, actor: Actor, body: System, keyring: Keyring | None, policy: UrlPolicy
) -> SystemRow:
    """A new system of the actor's organization, its credentials sealed with ``keyring``
    (RESOURCE_CONFLICT if the code is taken, SECRETS_UNAVAILABLE if it has credentials
    and there is no keyring, VALIDATION_FAILED if ``policy`` refuses its host)."""
    check_hosts(body, policy)
    row = await systems.insert_system(session, actor.organization_id, body, keyring)
    after = body.model_dump(mode="json", exclude={"auth"})
    audit(session, actor, "CREATE", "system", row.id, row.code, after=after)
    await session.commit()
    return row


async def point_system(
    session: AsyncSession, actor: Actor, body: System, keyring: Keyring | None, policy: UrlPolicy
) -> tuple[SystemRow, bool]:
    """Creates ``body`` or, when it exists, points it at ``body``'s URL; no commit."""
    check_hosts(body, policy)
    row = await systems.find_system(session, actor.organization_id, body.code)
    if row is None:
        return await systems.insert_system(session, actor.organization_id, body, keyring), True
    if row.base_url == body.base_url:
        return row, False
    before = {"baseUrl": row.base_url}
    row.base_url = body.base_url
    session.add(row)
    audit(session, actor, "UPDATE", "system", row.id, row.code, before, {"baseUrl": body.base_url})
    return row, True


async def reseal(
    session: AsyncSession, keyring: Keyring, checked: Callable[[int], None] | None = None
) -> int:
    """Seals every organization's system credentials with the active key, audited as
    the platform's; returns how many systems changed."""
    rows = await systems.reseal_systems(session, keyring, checked)
    for row in rows:
        actor = Actor(organization_id=row.organization_id)
        audit(session, actor, "RESEAL", "system", row.id, row.code, after={"keyId": keyring.active})
    await session.commit()
    return len(rows)


async def replace_system(
    session: AsyncSession,
    actor: Actor,
    body: System,
    if_match: str | None,
    keyring: Keyring | None,
    policy: UrlPolicy,
) -> SystemRow:
    """Replaces a system whole (its credentials too: they are never read back, so send
    them again); ``if_match`` guards it; no commit."""
    row = await systems.find_system(session, actor.organization_id, body.code)
    if row is None:
        raise PlatformError(ErrorCode.RESOURCE_NOT_FOUND, resource="System", id=body.code)
    check_etag(if_match, row.revision)
    check_hosts(body, policy)
    before = systems.system_public(row).model_dump(mode="json")
    for field, value in systems.system_columns(actor.organization_id, body, keyring).items():
        setattr(row, field, value)
    row.revision += 1
    row.updated_at = utcnow()
    session.add(row)
    after = body.model_dump(mode="json", exclude={"auth"})
    audit(session, actor, "UPDATE", "system", row.id, row.code, before, after)
    return row


async def delete_system(
    session: AsyncSession, actor: Actor, code: str, if_match: str | None, steps: StepRegistry
) -> None:
    """Deletes a system no published version calls (RESOURCE_CONFLICT naming those that
    do: systems are not pinned, a published version calls the live one); no commit."""
    row = await systems.find_system(session, actor.organization_id, code)
    if row is None:
        raise PlatformError(ErrorCode.RESOURCE_NOT_FOUND, resource="System", id=code)
    check_etag(if_match, row.revision)
    users = [
        f"{product}/{flow.endpoint} v{version.version}"
        for product, flow, version in await flows.published_in(session, actor.organization_id)
        if ("system", code)
        in {(kind, name) for _, kind, name in steps.references(_specs(version.steps))}
    ]
    if users:
        raise PlatformError(
            ErrorCode.RESOURCE_CONFLICT,
            f"System '{code}' is called by published version(s): {', '.join(sorted(users))}.",
            details={"usedBy": sorted(users)},
        )
    audit(
        session,
        actor,
        "DELETE",
        "system",
        row.id,
        code,
        before=systems.system_public(row).model_dump(mode="json"),
    )
    await session.delete(row)


def _specs(steps: list[dict[str, Any]]) -> list[StepSpec]:
    return [StepSpec.model_validate(s) for s in steps]
