from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.rerate_request import RerateRequest
from ...models.rerate_result import RerateResult
from ...types import UNSET, Response, Unset


def _get_kwargs(
    transaction_id: str,
    *,
    body: None | RerateRequest | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v2/transactions/{transaction_id}/rerate".format(
            transaction_id=quote(str(transaction_id), safe=""),
        ),
    }

    if isinstance(body, RerateRequest):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | RerateResult | None:
    if response.status_code == 200:
        response_200 = RerateResult.from_dict(response.json())

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
) -> Response[Problem | RerateResult]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    transaction_id: str,
    *,
    client: AuthenticatedClient,
    body: None | RerateRequest | Unset = UNSET,
) -> Response[Problem | RerateResult]:
    """Rerate Transaction

     Re-rate a transaction: its kept request, run again on the version it ran (its pinned
    rules, mappings and schema) as a simulation (no event, no hash chain link), waited for
    like a synchronous rating; `identical` compares the two results field by field.
    With `{"version": "draft" | n}`: under that version instead, what it would have
    answered (`differences` are the change).

    Needs `rate` and `config:write`; the re-rating is a transaction of its own
    (`transactionId`, its `replayOf` the original). Audited (RERATE).

    Args:
        transaction_id (str):
        body (None | RerateRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RerateResult]
    """

    kwargs = _get_kwargs(
        transaction_id=transaction_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    transaction_id: str,
    *,
    client: AuthenticatedClient,
    body: None | RerateRequest | Unset = UNSET,
) -> Problem | RerateResult | None:
    """Rerate Transaction

     Re-rate a transaction: its kept request, run again on the version it ran (its pinned
    rules, mappings and schema) as a simulation (no event, no hash chain link), waited for
    like a synchronous rating; `identical` compares the two results field by field.
    With `{"version": "draft" | n}`: under that version instead, what it would have
    answered (`differences` are the change).

    Needs `rate` and `config:write`; the re-rating is a transaction of its own
    (`transactionId`, its `replayOf` the original). Audited (RERATE).

    Args:
        transaction_id (str):
        body (None | RerateRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RerateResult
    """

    return sync_detailed(
        transaction_id=transaction_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    transaction_id: str,
    *,
    client: AuthenticatedClient,
    body: None | RerateRequest | Unset = UNSET,
) -> Response[Problem | RerateResult]:
    """Rerate Transaction

     Re-rate a transaction: its kept request, run again on the version it ran (its pinned
    rules, mappings and schema) as a simulation (no event, no hash chain link), waited for
    like a synchronous rating; `identical` compares the two results field by field.
    With `{"version": "draft" | n}`: under that version instead, what it would have
    answered (`differences` are the change).

    Needs `rate` and `config:write`; the re-rating is a transaction of its own
    (`transactionId`, its `replayOf` the original). Audited (RERATE).

    Args:
        transaction_id (str):
        body (None | RerateRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RerateResult]
    """

    kwargs = _get_kwargs(
        transaction_id=transaction_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    transaction_id: str,
    *,
    client: AuthenticatedClient,
    body: None | RerateRequest | Unset = UNSET,
) -> Problem | RerateResult | None:
    """Rerate Transaction

     Re-rate a transaction: its kept request, run again on the version it ran (its pinned
    rules, mappings and schema) as a simulation (no event, no hash chain link), waited for
    like a synchronous rating; `identical` compares the two results field by field.
    With `{"version": "draft" | n}`: under that version instead, what it would have
    answered (`differences` are the change).

    Needs `rate` and `config:write`; the re-rating is a transaction of its own
    (`transactionId`, its `replayOf` the original). Audited (RERATE).

    Args:
        transaction_id (str):
        body (None | RerateRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RerateResult
    """

    return (
        await asyncio_detailed(
            transaction_id=transaction_id,
            client=client,
            body=body,
        )
    ).parsed
