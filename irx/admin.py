"""Operator commands: organizations, their API keys, sealed credentials
(``irx orgs``, ``irx keys``, ``irx secrets``).

They go through the same services as the admin API: validated, audited, plan
limits enforced.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from pydantic import SecretStr, ValidationError

from activities.loader import load_step_modules
from activities.registry import registry
from models.api_keys import ApiKeyCreate, ApiKeyCreated, ApiKeyPublic
from models.errors import ErrorCode, PlatformError
from models.exports import ImportRequest, ImportResult, export_bytes
from models.plans import limits_of
from models.principal import Actor
from models.settings import get_settings
from models.tables import OrganizationRow
from services import api_keys as key_service
from services import systems as system_service
from services.exports import export_product, exported_versions, import_product
from store import api_keys, flows, organizations, products, transaction_chain
from store.archive import Archive
from store.audit import audit
from store.db import SessionFactory
from store.kept_requests import reseal_requests
from store.sealing import Keyring
from store.transaction_chain import ChainReport


async def create_org(
    sessions: SessionFactory, slug: str, name: str, plan: str, requests_per_minute: int | None
) -> OrganizationRow:
    async with sessions() as session:
        org = OrganizationRow(
            slug=slug, name=name, plan=plan, requests_per_minute=requests_per_minute
        )
        await organizations.insert_org(session, org)
        after = {"slug": slug, "name": name, "plan": plan, "requestsPerMinute": requests_per_minute}
        audit(
            session,
            Actor(organization_id=org.id),
            "CREATE",
            "organization",
            org.id,
            slug,
            after=after,
        )
        await session.commit()
        return org


async def create_key(
    sessions: SessionFactory,
    slug: str,
    name: str,
    scopes: list[str],
    products: list[str] | None,
    expires_in_days: int | None,
    api_version: str | None,
) -> ApiKeyCreated:
    expires = datetime.now(UTC) + timedelta(days=expires_in_days) if expires_in_days else None
    body = ApiKeyCreate.model_validate(
        {
            "name": name,
            "scopes": scopes,
            "allowedProducts": products,
            "expiresAt": expires,
            "apiVersion": api_version,
        }
    )
    async with sessions() as session:
        org = await organizations.get_org(session, slug)
        actor = Actor(
            organization_id=org.id,
            plan=org.plan,
            limits=limits_of(org.plan, org.requests_per_minute),
        )
        return await key_service.create_key(session, actor, body)


async def list_keys(sessions: SessionFactory, slug: str) -> list[ApiKeyPublic]:
    async with sessions() as session:
        org = await organizations.get_org(session, slug)
        return [api_keys.key_of(r) for r in await api_keys.list_keys(session, org.id)]


async def revoke_key(sessions: SessionFactory, slug: str, key_id: str) -> ApiKeyPublic:
    async with sessions() as session:
        org = await organizations.get_org(session, slug)
        row = await key_service.revoke_key(session, Actor(organization_id=org.id), key_id)
        return api_keys.key_of(row)


async def reseal(
    sessions: SessionFactory, secret_keys: SecretStr, checked: Callable[[int], None] | None = None
) -> tuple[int, int]:
    """Seals every system credential, then every kept request, with the active key; how
    many of each changed."""
    keyring = Keyring.parse(secret_keys.get_secret_value())
    async with sessions() as session:
        systems = await system_service.reseal(session, keyring, checked)
    return systems, await reseal_requests(sessions, keyring, checked)


async def orgs_of(sessions: SessionFactory, slug: str | None) -> list[OrganizationRow]:
    """One organization by its slug, or every one."""
    async with sessions() as session:
        if slug:
            return [await organizations.get_org(session, slug)]
        return await organizations.list_orgs(session)


async def verify_chains(
    sessions: SessionFactory,
    slug: str | None,
    walked: Callable[[int], None] | None = None,
    archive: Archive | None = None,
) -> list[tuple[str, ChainReport]]:
    """Each organization's (or one's) transaction chain, verified (``walked`` hears the
    links checked), with the links its ``archive`` holds."""
    reports = []
    for org in await orgs_of(sessions, slug):
        archived = await archive.links(org.id) if archive is not None else None
        report = await transaction_chain.verify(sessions, org.id, walked=walked, archived=archived)
        reports.append((org.slug, report))
    return reports


async def export_document(sessions: SessionFactory, slug: str, code: str) -> tuple[bytes, str]:
    """The canonical document, and which published version of each endpoint it holds."""
    async with sessions() as session:
        org = await organizations.get_org(session, slug)
        product = await products.get_product(session, org.id, code)
        published = await flows.published_in(session, org.id, product.id)
        document = await export_product(session, product, published=published)
        return export_bytes(document), exported_versions(published)


async def import_document(
    sessions: SessionFactory, slug: str, raw: bytes, dry_run: bool, overwrite: bool
) -> ImportResult:
    """Imports as the platform itself (audited with no key), in one transaction."""
    try:
        document = ImportRequest.model_validate_json(raw)
    except ValidationError as exc:
        problems = [
            {"path": ".".join(str(p) for p in e["loc"]), "message": e["msg"]}
            for e in exc.errors(include_url=False, include_input=False)
        ]
        raise PlatformError(
            ErrorCode.VALIDATION_FAILED,
            "The document is not a product export.",
            details={"problems": problems},
        ) from exc
    document = document.model_copy(update={"dry_run": dry_run, "overwrite": overwrite})
    load_step_modules(get_settings().step_modules)
    async with sessions() as session:
        org = await organizations.get_org(session, slug)
        limits = limits_of(org.plan, org.requests_per_minute)
        actor = Actor(organization_id=org.id, plan=org.plan, limits=limits)
        # The API processes' caches see the new versions within IRX_CONFIG_CACHE_TTL_S.
        result = await import_product(session, actor, document, registry, published=None)
        if not dry_run:
            await session.commit()
        return result
