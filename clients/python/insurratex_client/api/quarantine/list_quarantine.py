from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.quarantine_public import QuarantinePublic
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    transaction_id: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_transaction_id: None | str | Unset
    if isinstance(transaction_id, Unset):
        json_transaction_id = UNSET
    else:
        json_transaction_id = transaction_id
    params["transactionId"] = json_transaction_id

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v2/quarantine",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | list[QuarantinePublic] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = QuarantinePublic.from_dict(response_200_item_data)

            response_200.append(response_200_item)

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
) -> Response[Problem | list[QuarantinePublic]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    transaction_id: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> Response[Problem | list[QuarantinePublic]]:
    """List Quarantine

     The organization's quarantined documents, newest first (`transaction_id`, v1's
    name of `transactionId`, is not read by v2).

    Args:
        transaction_id (None | str | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[QuarantinePublic]]
    """

    kwargs = _get_kwargs(
        transaction_id=transaction_id,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    transaction_id: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> Problem | list[QuarantinePublic] | None:
    """List Quarantine

     The organization's quarantined documents, newest first (`transaction_id`, v1's
    name of `transactionId`, is not read by v2).

    Args:
        transaction_id (None | str | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[QuarantinePublic]
    """

    return sync_detailed(
        client=client,
        transaction_id=transaction_id,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    transaction_id: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> Response[Problem | list[QuarantinePublic]]:
    """List Quarantine

     The organization's quarantined documents, newest first (`transaction_id`, v1's
    name of `transactionId`, is not read by v2).

    Args:
        transaction_id (None | str | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[QuarantinePublic]]
    """

    kwargs = _get_kwargs(
        transaction_id=transaction_id,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    transaction_id: None | str | Unset = UNSET,
    limit: int | Unset = 100,
) -> Problem | list[QuarantinePublic] | None:
    """List Quarantine

     The organization's quarantined documents, newest first (`transaction_id`, v1's
    name of `transactionId`, is not read by v2).

    Args:
        transaction_id (None | str | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[QuarantinePublic]
    """

    return (
        await asyncio_detailed(
            client=client,
            transaction_id=transaction_id,
            limit=limit,
        )
    ).parsed
