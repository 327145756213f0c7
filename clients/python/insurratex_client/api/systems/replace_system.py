from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.system_public import SystemPublic
from ...models.system_write import SystemWrite
from ...types import UNSET, Response, Unset


def _get_kwargs(
    code: str,
    *,
    body: SystemWrite,
    if_match: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["if-match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/v2/systems/{code}".format(
            code=quote(str(code), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | SystemPublic | None:
    if response.status_code == 200:
        response_200 = SystemPublic.from_dict(response.json())

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
) -> Response[Problem | SystemPublic]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    code: str,
    *,
    client: AuthenticatedClient,
    body: SystemWrite,
    if_match: None | str | Unset = UNSET,
) -> Response[Problem | SystemPublic]:
    """Replace System

     Replace a system whole, credentials included (they are never read back: send them
    again); If-Match guards it. Every version calling it calls the new one at once.

    Args:
        code (str): The system's code.
        if_match (None | str | Unset): The ETag read (412 if another revision is stored now), or
            `*` for whatever is stored; replacing or deleting without it is refused (428).
        body (SystemWrite): A replacement of a system (its code is in the path).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SystemPublic]
    """

    kwargs = _get_kwargs(
        code=code,
        body=body,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    code: str,
    *,
    client: AuthenticatedClient,
    body: SystemWrite,
    if_match: None | str | Unset = UNSET,
) -> Problem | SystemPublic | None:
    """Replace System

     Replace a system whole, credentials included (they are never read back: send them
    again); If-Match guards it. Every version calling it calls the new one at once.

    Args:
        code (str): The system's code.
        if_match (None | str | Unset): The ETag read (412 if another revision is stored now), or
            `*` for whatever is stored; replacing or deleting without it is refused (428).
        body (SystemWrite): A replacement of a system (its code is in the path).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SystemPublic
    """

    return sync_detailed(
        code=code,
        client=client,
        body=body,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    code: str,
    *,
    client: AuthenticatedClient,
    body: SystemWrite,
    if_match: None | str | Unset = UNSET,
) -> Response[Problem | SystemPublic]:
    """Replace System

     Replace a system whole, credentials included (they are never read back: send them
    again); If-Match guards it. Every version calling it calls the new one at once.

    Args:
        code (str): The system's code.
        if_match (None | str | Unset): The ETag read (412 if another revision is stored now), or
            `*` for whatever is stored; replacing or deleting without it is refused (428).
        body (SystemWrite): A replacement of a system (its code is in the path).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SystemPublic]
    """

    kwargs = _get_kwargs(
        code=code,
        body=body,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    code: str,
    *,
    client: AuthenticatedClient,
    body: SystemWrite,
    if_match: None | str | Unset = UNSET,
) -> Problem | SystemPublic | None:
    """Replace System

     Replace a system whole, credentials included (they are never read back: send them
    again); If-Match guards it. Every version calling it calls the new one at once.

    Args:
        code (str): The system's code.
        if_match (None | str | Unset): The ETag read (412 if another revision is stored now), or
            `*` for whatever is stored; replacing or deleting without it is refused (428).
        body (SystemWrite): A replacement of a system (its code is in the path).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SystemPublic
    """

    return (
        await asyncio_detailed(
            code=code,
            client=client,
            body=body,
            if_match=if_match,
        )
    ).parsed
