from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.flow_timeline import FlowTimeline
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    code: str,
    endpoint: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v2/products/{code}/flows/{endpoint}/timeline".format(
            code=quote(str(code), safe=""),
            endpoint=quote(str(endpoint), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> FlowTimeline | Problem | None:
    if response.status_code == 200:
        response_200 = FlowTimeline.from_dict(response.json())

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
) -> Response[FlowTimeline | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    code: str,
    endpoint: str,
    *,
    client: AuthenticatedClient,
) -> Response[FlowTimeline | Problem]:
    """Get Flow Timeline

     Which published version rates which request dates, with any gap or overlap.

    Args:
        code (str): Product code.
        endpoint (str): Flow endpoint.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FlowTimeline | Problem]
    """

    kwargs = _get_kwargs(
        code=code,
        endpoint=endpoint,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    code: str,
    endpoint: str,
    *,
    client: AuthenticatedClient,
) -> FlowTimeline | Problem | None:
    """Get Flow Timeline

     Which published version rates which request dates, with any gap or overlap.

    Args:
        code (str): Product code.
        endpoint (str): Flow endpoint.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FlowTimeline | Problem
    """

    return sync_detailed(
        code=code,
        endpoint=endpoint,
        client=client,
    ).parsed


async def asyncio_detailed(
    code: str,
    endpoint: str,
    *,
    client: AuthenticatedClient,
) -> Response[FlowTimeline | Problem]:
    """Get Flow Timeline

     Which published version rates which request dates, with any gap or overlap.

    Args:
        code (str): Product code.
        endpoint (str): Flow endpoint.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FlowTimeline | Problem]
    """

    kwargs = _get_kwargs(
        code=code,
        endpoint=endpoint,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    code: str,
    endpoint: str,
    *,
    client: AuthenticatedClient,
) -> FlowTimeline | Problem | None:
    """Get Flow Timeline

     Which published version rates which request dates, with any gap or overlap.

    Args:
        code (str): Product code.
        endpoint (str): Flow endpoint.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FlowTimeline | Problem
    """

    return (
        await asyncio_detailed(
            code=code,
            endpoint=endpoint,
            client=client,
        )
    ).parsed
