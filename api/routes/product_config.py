"""The routes of a named product configuration (mappings, rules): one router, built per kind.

``/api/{version}/products/{code}/{noun}s``: put (If-Match guards a replace), list (paged),
get (with its ETag), delete (If-Match guards it). Operation names and texts are the
kind's own, so each kind reads in the OpenAPI document as if written by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import GenericAlias
from typing import Any, TypeVar

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from api.deps import (
    ActorDep,
    EntityName,
    IfMatch,
    ReadableProduct,
    SessionDep,
    WritableProduct,
)
from api.listing import PagingDep, paged
from services.etags import etag
from services.product_config import ProductConfigService
from store.product_config import ItemT, PublicT, RowT

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


@dataclass(frozen=True)
class RouteDocs:
    """Each route's description in the OpenAPI document."""

    put: str
    list: str
    get: str
    delete: str


def product_config_router(
    service: ProductConfigService[RowT, ItemT, PublicT],
    base: type[BaseModel],
    item: Callable[..., ItemT],
    docs: RouteDocs,
) -> APIRouter:
    """One kind's router: ``base`` is the body a PUT sends, ``item`` the named item it makes."""
    noun, store = service.noun, service.store
    router = APIRouter(prefix=f"/products/{{code}}/{noun}s", tags=[f"{noun}s"])
    listed = GenericAlias(list, store.public)  # list[public], the public model being a parameter

    @router.put("/{name}", response_model=store.public, description=docs.put, name=f"put_{noun}")
    @_annotated(body=base)
    async def put(
        product: WritableProduct,
        name: EntityName,
        body: BaseModel,
        response: Response,
        actor: ActorDep,
        session: SessionDep,
        if_match: IfMatch = None,
    ) -> PublicT:
        named = item(name=name, **body.model_dump(by_alias=False))
        row = await service.put(session, actor, product, named, if_match)
        await session.commit()
        response.headers["ETag"] = etag(row.revision)
        return store.public_of(row)

    @router.get("", response_model=listed, description=docs.list, name=f"list_{noun}s")
    async def list_all(
        product: ReadableProduct,
        session: SessionDep,
        request: Request,
        response: Response,
        paging: PagingDep,
    ) -> list[PublicT]:
        found = [store.public_of(r) for r in await store.of_product(session, product.id)]
        return paged(request, response, found, paging)

    @router.get("/{name}", response_model=store.public, description=docs.get, name=f"get_{noun}")
    async def get(
        product: ReadableProduct, name: EntityName, response: Response, session: SessionDep
    ) -> PublicT:
        row = await service.get(session, product.id, name)
        response.headers["ETag"] = etag(row.revision)
        return store.public_of(row)

    @router.delete(
        "/{name}",
        status_code=204,
        response_class=Response,
        description=docs.delete,
        name=f"delete_{noun}",
    )
    async def delete(
        product: WritableProduct,
        name: EntityName,
        actor: ActorDep,
        session: SessionDep,
        if_match: IfMatch = None,
    ) -> None:
        await service.delete(session, actor, product, name, if_match)
        await session.commit()

    return router


def _annotated(**annotations: Any) -> Callable[[Endpoint], Endpoint]:
    """Sets annotations that depend on the kind: FastAPI reads a body's model from there."""

    def annotate(endpoint: Endpoint) -> Endpoint:
        endpoint.__annotations__.update(annotations)
        return endpoint

    return annotate
