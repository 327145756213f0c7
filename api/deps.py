"""Dependencies shared by the routes: services, sessions, the caller."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Path, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from redis.asyncio import Redis
from sqlmodel.ext.asyncio.session import AsyncSession
from temporalio.client import Client

from activities.registry import StepRegistry
from engines.url_policy import UrlPolicy
from infra.circuit_breaker import Breakers
from models.errors import ErrorCode, PlatformError
from models.flow import ENDPOINT
from models.principal import Actor, Principal
from models.products import PRODUCT_CODE
from models.settings import Settings
from models.tables import ProductRow
from services.auth import Authenticator
from services.challengers import ChallengerTraffic
from services.impact import ImpactAnalyses
from services.published_flows import PublishedFlows
from services.rate_limits import RateLimiter
from services.replays import Replays
from services.rerates import Rerates
from services.runs import RunStarter
from services.sync_runs import SyncRuns
from services.transactions import TransactionReader
from store.blobs import BlobStore
from store.db import SessionFactory
from store.products import get_product
from store.sealing import Keyring


@dataclass
class Services:
    """The long-lived clients the lifespan builds once."""

    settings: Settings
    sessions: SessionFactory
    client: Client
    runs: RunStarter
    sync: SyncRuns
    flows: PublishedFlows
    blobs: BlobStore
    transactions: TransactionReader
    replays: Replays
    rerates: Rerates
    impact: ImpactAnalyses
    challengers: ChallengerTraffic
    auth: Authenticator
    limiter: RateLimiter
    steps: StepRegistry
    breakers: Breakers
    redis: Redis | None
    keyring: Keyring | None
    url_policy: UrlPolicy


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_session(services: ServicesDep) -> AsyncIterator[AsyncSession]:
    async with services.sessions() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]


# Declared for the OpenAPI document's security schemes; api/guard.py reads the key
# (from either header) before anything else runs.
KeyHeader = Annotated[
    str | None, Depends(APIKeyHeader(name="X-API-Key", auto_error=False, scheme_name="ApiKey"))
]
Bearer = Annotated[
    HTTPAuthorizationCredentials | None,
    Depends(HTTPBearer(auto_error=False, scheme_name="Bearer")),
]


async def get_principal(request: Request, _key: KeyHeader, _bearer: Bearer) -> Principal:
    """The caller, as the guard admitted it (authenticated, within its limits)."""
    principal: Principal | None = getattr(request.state, "principal", None)
    if principal is None:  # the guard runs on every /api/ route but health
        raise PlatformError(ErrorCode.API_KEY_INVALID)
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def scoped(scope: str) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that admits only callers whose key has ``scope``."""

    async def check(principal: PrincipalDep) -> Principal:
        principal.require_scope(scope)
        return principal

    return check


RaterDep = Annotated[Principal, Depends(scoped("rate"))]
AdminDep = Annotated[Principal, Depends(scoped("admin"))]
ConfigReaderDep = Annotated[Principal, Depends(scoped("config:read"))]
ConfigWriterDep = Annotated[Principal, Depends(scoped("config:write"))]


def correlation_id(request: Request) -> str:
    value: str = request.state.correlation_id
    return value


CorrelationDep = Annotated[str, Depends(correlation_id)]


def actor_of(request: Request, principal: Principal, cid: str) -> Actor:
    """The caller, as the audit trail records a write of theirs."""
    return Actor(
        organization_id=principal.organization_id,
        api_key_id=principal.api_key_id,
        plan=principal.plan,
        limits=principal.limits,
        correlation_id=cid,
        ip_address=request.client.host if request.client else None,
        user_agent=request.headers.get("user-agent"),
    )


def config_writer(request: Request, principal: ConfigWriterDep, cid: CorrelationDep) -> Actor:
    return actor_of(request, principal, cid)


def admin(request: Request, principal: AdminDep, cid: CorrelationDep) -> Actor:
    return actor_of(request, principal, cid)


ActorDep = Annotated[Actor, Depends(config_writer)]
AdminActorDep = Annotated[Actor, Depends(admin)]

# Path parameters, checked before they reach a query (a NUL byte or a 10 KB
# "code" is a client's mistake: 400, never a database error).
ProductCode = Annotated[str, Path(pattern=PRODUCT_CODE, description="Product code.")]
EndpointPath = Annotated[str, Path(pattern=ENDPOINT, description="Flow endpoint.")]
EntityName = Annotated[str, Path(min_length=1, max_length=255, pattern=r"^[^\x00-\x1f]+$")]
TransactionId = Annotated[str, Path(pattern=r"^[A-Za-z0-9-]{1,36}$")]
IfMatch = Annotated[
    str | None,
    Header(
        pattern=r'^("r[0-9]{1,9}"|\*)$',
        description="The ETag read (412 if another revision is stored now), or `*` for "
        "whatever is stored; replacing or deleting without it is refused (428).",
    ),
]


async def _visible_product(session: AsyncSession, principal: Principal, code: str) -> ProductRow:
    # A key limited to some products reads the others as missing, as another tenant's.
    if not principal.can_see(code):
        raise PlatformError(ErrorCode.RESOURCE_NOT_FOUND, resource="Product", id=code)
    return await get_product(session, principal.organization_id, code)


async def readable_product(
    code: ProductCode, principal: ConfigReaderDep, session: SessionDep
) -> ProductRow:
    """The caller's product named in the path."""
    return await _visible_product(session, principal, code)


async def writable_product(
    code: ProductCode, principal: ConfigWriterDep, session: SessionDep
) -> ProductRow:
    """The caller's product named in the path, for a config write."""
    return await _visible_product(session, principal, code)


ReadableProduct = Annotated[ProductRow, Depends(readable_product)]
WritableProduct = Annotated[ProductRow, Depends(writable_product)]
