from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.impact_run_public import ImpactRunPublic
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    impact_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v2/impact-runs/{impact_id}".format(
            impact_id=quote(str(impact_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ImpactRunPublic | Problem | None:
    if response.status_code == 200:
        response_200 = ImpactRunPublic.from_dict(response.json())

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
) -> Response[ImpactRunPublic | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    impact_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[ImpactRunPublic | Problem]:
    """Get Impact Run

     An analysis: its `status`, `progress`, and once completed its `summary`, `groups`
    (the same summary per `groupBy` value) and `largest` changes.

    Args:
        impact_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImpactRunPublic | Problem]
    """

    kwargs = _get_kwargs(
        impact_id=impact_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    impact_id: str,
    *,
    client: AuthenticatedClient,
) -> ImpactRunPublic | Problem | None:
    """Get Impact Run

     An analysis: its `status`, `progress`, and once completed its `summary`, `groups`
    (the same summary per `groupBy` value) and `largest` changes.

    Args:
        impact_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImpactRunPublic | Problem
    """

    return sync_detailed(
        impact_id=impact_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    impact_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[ImpactRunPublic | Problem]:
    """Get Impact Run

     An analysis: its `status`, `progress`, and once completed its `summary`, `groups`
    (the same summary per `groupBy` value) and `largest` changes.

    Args:
        impact_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImpactRunPublic | Problem]
    """

    kwargs = _get_kwargs(
        impact_id=impact_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    impact_id: str,
    *,
    client: AuthenticatedClient,
) -> ImpactRunPublic | Problem | None:
    """Get Impact Run

     An analysis: its `status`, `progress`, and once completed its `summary`, `groups`
    (the same summary per `groupBy` value) and `largest` changes.

    Args:
        impact_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImpactRunPublic | Problem
    """

    return (
        await asyncio_detailed(
            impact_id=impact_id,
            client=client,
        )
    ).parsed
