from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.flow_version_create import FlowVersionCreate
from ...models.flow_version_public import FlowVersionPublic
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    code: str,
    endpoint: str,
    number: int,
    *,
    body: FlowVersionCreate,
    if_match: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["if-match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/v2/products/{code}/flows/{endpoint}/versions/{number}".format(
            code=quote(str(code), safe=""),
            endpoint=quote(str(endpoint), safe=""),
            number=quote(str(number), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> FlowVersionPublic | Problem | None:
    if response.status_code == 200:
        response_200 = FlowVersionPublic.from_dict(response.json())

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
) -> Response[FlowVersionPublic | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    code: str,
    endpoint: str,
    number: int,
    *,
    client: AuthenticatedClient,
    body: FlowVersionCreate,
    if_match: None | str | Unset = UNSET,
) -> Response[FlowVersionPublic | Problem]:
    """Update Draft

     Replace a draft's steps (If-Match guards it); published versions never change.

    Args:
        code (str): Product code.
        endpoint (str): Flow endpoint.
        number (int): The version.
        if_match (None | str | Unset): The ETag read (412 if another revision is stored now), or
            `*` for whatever is stored; replacing or deleting without it is refused (428).
        body (FlowVersionCreate): A new draft version of a product endpoint's flow.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FlowVersionPublic | Problem]
    """

    kwargs = _get_kwargs(
        code=code,
        endpoint=endpoint,
        number=number,
        body=body,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    code: str,
    endpoint: str,
    number: int,
    *,
    client: AuthenticatedClient,
    body: FlowVersionCreate,
    if_match: None | str | Unset = UNSET,
) -> FlowVersionPublic | Problem | None:
    """Update Draft

     Replace a draft's steps (If-Match guards it); published versions never change.

    Args:
        code (str): Product code.
        endpoint (str): Flow endpoint.
        number (int): The version.
        if_match (None | str | Unset): The ETag read (412 if another revision is stored now), or
            `*` for whatever is stored; replacing or deleting without it is refused (428).
        body (FlowVersionCreate): A new draft version of a product endpoint's flow.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FlowVersionPublic | Problem
    """

    return sync_detailed(
        code=code,
        endpoint=endpoint,
        number=number,
        client=client,
        body=body,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    code: str,
    endpoint: str,
    number: int,
    *,
    client: AuthenticatedClient,
    body: FlowVersionCreate,
    if_match: None | str | Unset = UNSET,
) -> Response[FlowVersionPublic | Problem]:
    """Update Draft

     Replace a draft's steps (If-Match guards it); published versions never change.

    Args:
        code (str): Product code.
        endpoint (str): Flow endpoint.
        number (int): The version.
        if_match (None | str | Unset): The ETag read (412 if another revision is stored now), or
            `*` for whatever is stored; replacing or deleting without it is refused (428).
        body (FlowVersionCreate): A new draft version of a product endpoint's flow.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FlowVersionPublic | Problem]
    """

    kwargs = _get_kwargs(
        code=code,
        endpoint=endpoint,
        number=number,
        body=body,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    code: str,
    endpoint: str,
    number: int,
    *,
    client: AuthenticatedClient,
    body: FlowVersionCreate,
    if_match: None | str | Unset = UNSET,
) -> FlowVersionPublic | Problem | None:
    """Update Draft

     Replace a draft's steps (If-Match guards it); published versions never change.

    Args:
        code (str): Product code.
        endpoint (str): Flow endpoint.
        number (int): The version.
        if_match (None | str | Unset): The ETag read (412 if another revision is stored now), or
            `*` for whatever is stored; replacing or deleting without it is refused (428).
        body (FlowVersionCreate): A new draft version of a product endpoint's flow.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FlowVersionPublic | Problem
    """

    return (
        await asyncio_detailed(
            code=code,
            endpoint=endpoint,
            number=number,
            client=client,
            body=body,
            if_match=if_match,
        )
    ).parsed
