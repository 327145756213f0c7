from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.challenger_results import ChallengerResults
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    product_code: str,
    endpoint: str,
    *,
    limit: int | Unset = 100,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v2/products/{product_code}/flows/{endpoint}/challenger/results".format(
            product_code=quote(str(product_code), safe=""),
            endpoint=quote(str(endpoint), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ChallengerResults | Problem | None:
    if response.status_code == 200:
        response_200 = ChallengerResults.from_dict(response.json())

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
) -> Response[ChallengerResults | Problem]:
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
    limit: int | Unset = 100,
) -> Response[ChallengerResults | Problem]:
    """Challenger Results

     The latest comparisons of live ratings with their challenger's, newest first, and
    the summary of the latest 1000 (as an impact analysis sums up).

    Args:
        product_code (str):
        endpoint (str):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChallengerResults | Problem]
    """

    kwargs = _get_kwargs(
        product_code=product_code,
        endpoint=endpoint,
        limit=limit,
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
    limit: int | Unset = 100,
) -> ChallengerResults | Problem | None:
    """Challenger Results

     The latest comparisons of live ratings with their challenger's, newest first, and
    the summary of the latest 1000 (as an impact analysis sums up).

    Args:
        product_code (str):
        endpoint (str):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChallengerResults | Problem
    """

    return sync_detailed(
        product_code=product_code,
        endpoint=endpoint,
        client=client,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    product_code: str,
    endpoint: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 100,
) -> Response[ChallengerResults | Problem]:
    """Challenger Results

     The latest comparisons of live ratings with their challenger's, newest first, and
    the summary of the latest 1000 (as an impact analysis sums up).

    Args:
        product_code (str):
        endpoint (str):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChallengerResults | Problem]
    """

    kwargs = _get_kwargs(
        product_code=product_code,
        endpoint=endpoint,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    product_code: str,
    endpoint: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 100,
) -> ChallengerResults | Problem | None:
    """Challenger Results

     The latest comparisons of live ratings with their challenger's, newest first, and
    the summary of the latest 1000 (as an impact analysis sums up).

    Args:
        product_code (str):
        endpoint (str):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChallengerResults | Problem
    """

    return (
        await asyncio_detailed(
            product_code=product_code,
            endpoint=endpoint,
            client=client,
            limit=limit,
        )
    ).parsed
