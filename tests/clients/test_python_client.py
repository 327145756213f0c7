"""The generated Python client (clients/python) against the real stack: a rating and the
problems v2 answers with, through the client's own httpx client and auth header."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from http import HTTPStatus

import httpx
import pytest
from insurratex_client import AuthenticatedClient
from insurratex_client.api.api_keys import create_api_key, me
from insurratex_client.api.rating import rate
from insurratex_client.models import (
    ApiKeyCreate,
    ApiKeyCreateApiVersionType0,
    ApiKeyCreated,
    ApiKeyCreateScopesItem,
    MePublic,
    Problem,
    RateBody,
    RateResponse,
)

from tests.conftest import Stack


def client_for(stack: Stack, key: str) -> AuthenticatedClient:
    # The client builds its own httpx.AsyncClient; the ASGI transport routes it to the app.
    # The default auth is `Authorization: Bearer <key>`, which the API takes as X-API-Key.
    return AuthenticatedClient(
        base_url="http://irx.test",
        token=key,
        httpx_args={"transport": httpx.ASGITransport(app=stack.app)},
    )


@pytest.fixture
async def client(stack: Stack) -> AsyncIterator[AuthenticatedClient]:
    async with client_for(stack, stack.demo.api_key) as authed:
        yield authed


async def test_rates_imce_through_the_client(
    client: AuthenticatedClient, example_request: bytes
) -> None:
    body = RateBody.from_dict(json.loads(example_request))
    response = await rate.asyncio_detailed("IMCE", "rate", client=client, body=body)

    assert response.status_code == HTTPStatus.OK, response.content
    rated = response.parsed
    assert isinstance(rated, RateResponse)
    assert (rated.product_code, rated.endpoint, rated.status.value) == ("IMCE", "rate", "completed")
    # The rate result is free-form in the document (each product has its own): a plain dict.
    result = rated.result
    assert isinstance(result, dict)
    assert result["premium"] == 12893.69
    assert result["totalDue"] == 12918.69


async def test_unknown_product_is_a_typed_problem(client: AuthenticatedClient) -> None:
    response = await rate.asyncio_detailed("NOPE", "rate", client=client, body=RateBody())

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.parsed
    assert isinstance(problem, Problem)
    assert (problem.status, problem.code) == (404, "ORCHESTRATOR_NOT_FOUND")
    assert problem.type_ == "/docs/errors.md#orchestrator_not_found"
    assert problem.detail == "No flow configured for product 'NOPE' endpoint 'rate'."
    # A problem's details are extension members: the client keeps them.
    assert (problem["productCode"], problem["endpoint"]) == ("NOPE", "rate")


async def test_key_pinned_to_v1_is_refused_through_the_client(
    stack: Stack, client: AuthenticatedClient
) -> None:
    created = await create_api_key.asyncio(
        client=client,
        body=ApiKeyCreate(
            name="pinned to v1",
            scopes=[ApiKeyCreateScopesItem.RATE],
            api_version=ApiKeyCreateApiVersionType0.V1,
        ),
    )
    assert isinstance(created, ApiKeyCreated), created
    assert created.api_version == "v1"

    async with client_for(stack, created.key) as pinned:
        refused = await me.asyncio_detailed(client=pinned)
    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert isinstance(refused.parsed, Problem)
    assert (refused.parsed.status, refused.parsed.code) == (403, "API_KEY_VERSION_DENIED")
    assert refused.parsed.type_ == "/docs/errors.md#api_key_version_denied"
    assert refused.parsed.detail == "The API key is pinned to API v1; this route is v2."

    # The demo key is not pinned: the same call answers.
    assert isinstance(await me.asyncio(client=client), MePublic)
