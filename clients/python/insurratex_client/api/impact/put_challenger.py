from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.challenger_public import ChallengerPublic
from ...models.challenger_request import ChallengerRequest
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    product_code: str,
    endpoint: str,
    *,
    body: ChallengerRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/v2/products/{product_code}/flows/{endpoint}/challenger".format(
            product_code=quote(str(product_code), safe=""),
            endpoint=quote(str(endpoint), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ChallengerPublic | Problem | None:
    if response.status_code == 200:
        response_200 = ChallengerPublic.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if 400 <= response.status_code <= 499:
        response_4xx = Problem.from_dict(response.json())

        return response_4xx

    if 500 <= response.status_code <= 599:
        response_5xx = Problem.from_dict(response.json())

        return response_5xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ChallengerPublic | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    product_code: str,
    endpoint: str,
    *,
    client: AuthenticatedClient,
    body: ChallengerRequest,
) -> Response[ChallengerPublic | Problem]:
    """Put Challenger

     Re-rate a `sample` (0.0-1.0) of the endpoint's live ratings under `version` (`draft`
    or a number), in the background, as simulations: the live answer is never delayed or
    changed. Replaces the endpoint's challenger; needs `config:write`; audited (CHALLENGE).

    Args:
        product_code (str):
        endpoint (str):
        body (ChallengerRequest): The body of ``PUT
            /api/v1/products/{code}/flows/{endpoint}/challenger``.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChallengerPublic | Problem]
    """

    kwargs = _get_kwargs(
        product_code=product_code,
        endpoint=endpoint,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    product_code: str,
    endpoint: str,
    *,
    client: AuthenticatedClient,
    body: ChallengerRequest,
) -> ChallengerPublic | Problem | None:
    """Put Challenger

     Re-rate a `sample` (0.0-1.0) of the endpoint's live ratings under `version` (`draft`
    or a number), in the background, as simulations: the live answer is never delayed or
    changed. Replaces the endpoint's challenger; needs `config:write`; audited (CHALLENGE).

    Args:
        product_code (str):
        endpoint (str):
        body (ChallengerRequest): The body of ``PUT
            /api/v1/products/{code}/flows/{endpoint}/challenger``.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChallengerPublic | Problem
    """

    return sync_detailed(
        product_code=product_code,
        endpoint=endpoint,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    product_code: str,
    endpoint: str,
    *,
    client: AuthenticatedClient,
    body: ChallengerRequest,
) -> Response[ChallengerPublic | Problem]:
    """Put Challenger

     Re-rate a `sample` (0.0-1.0) of the endpoint's live ratings under `version` (`draft`
    or a number), in the background, as simulations: the live answer is never delayed or
    changed. Replaces the endpoint's challenger; needs `config:write`; audited (CHALLENGE).

    Args:
        product_code (str):
        endpoint (str):
        body (ChallengerRequest): The body of ``PUT
            /api/v1/products/{code}/flows/{endpoint}/challenger``.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChallengerPublic | Problem]
    """

    kwargs = _get_kwargs(
        product_code=product_code,
        endpoint=endpoint,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    product_code: str,
    endpoint: str,
    *,
    client: AuthenticatedClient,
    body: ChallengerRequest,
) -> ChallengerPublic | Problem | None:
    """Put Challenger

     Re-rate a `sample` (0.0-1.0) of the endpoint's live ratings under `version` (`draft`
    or a number), in the background, as simulations: the live answer is never delayed or
    changed. Replaces the endpoint's challenger; needs `config:write`; audited (CHALLENGE).

    Args:
        product_code (str):
        endpoint (str):
        body (ChallengerRequest): The body of ``PUT
            /api/v1/products/{code}/flows/{endpoint}/challenger``.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChallengerPublic | Problem
    """

    return (
        await asyncio_detailed(
            product_code=product_code,
            endpoint=endpoint,
            client=client,
            body=body,
        )
    ).parsed
