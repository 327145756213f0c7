from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.rate_accepted import RateAccepted
from ...models.rate_body import RateBody
from ...models.rate_response import RateResponse
from ...types import Response


def _get_kwargs(
    product_code: str,
    endpoint: str,
    *,
    body: RateBody,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v2/{product_code}/{endpoint}".format(
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
) -> Problem | RateAccepted | RateResponse | None:
    if response.status_code == 200:
        response_200 = RateResponse.from_dict(response.json())

        return response_200

    if response.status_code == 202:
        response_202 = RateAccepted.from_dict(response.json())

        return response_202

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
) -> Response[Problem | RateAccepted | RateResponse]:
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
    body: RateBody,
) -> Response[Problem | RateAccepted | RateResponse]:
    """Rate

     Rate a request with the product's published flow in force on the request's date.

    The date is read at the product's `effectiveDatePath` (today, UTC, when it has none
    or the request does not carry it): the newest published version effective on or
    before it rates the request (422 NO_EFFECTIVE_VERSION when none is).

    `X-Flow-Version: N` (or `draft`) runs that version instead, a draft included, to
    test it before publishing; it needs a `config:write` key. Any version but the one in
    force runs as a simulation: no event, no hash chain link, its engine calls to the
    system's simulation endpoint (`mode: simulation` in the answer).

    With an idempotency key, a repeat of the same request (within 24 h) answers the
    first one's transaction with `X-Idempotent-Replayed: true`, waiting for it if it
    is still running; the same key with another request is refused (422).

    Args:
        product_code (str):
        endpoint (str):
        body (RateBody): The product's request document.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RateAccepted | RateResponse]
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
    body: RateBody,
) -> Problem | RateAccepted | RateResponse | None:
    """Rate

     Rate a request with the product's published flow in force on the request's date.

    The date is read at the product's `effectiveDatePath` (today, UTC, when it has none
    or the request does not carry it): the newest published version effective on or
    before it rates the request (422 NO_EFFECTIVE_VERSION when none is).

    `X-Flow-Version: N` (or `draft`) runs that version instead, a draft included, to
    test it before publishing; it needs a `config:write` key. Any version but the one in
    force runs as a simulation: no event, no hash chain link, its engine calls to the
    system's simulation endpoint (`mode: simulation` in the answer).

    With an idempotency key, a repeat of the same request (within 24 h) answers the
    first one's transaction with `X-Idempotent-Replayed: true`, waiting for it if it
    is still running; the same key with another request is refused (422).

    Args:
        product_code (str):
        endpoint (str):
        body (RateBody): The product's request document.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RateAccepted | RateResponse
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
    body: RateBody,
) -> Response[Problem | RateAccepted | RateResponse]:
    """Rate

     Rate a request with the product's published flow in force on the request's date.

    The date is read at the product's `effectiveDatePath` (today, UTC, when it has none
    or the request does not carry it): the newest published version effective on or
    before it rates the request (422 NO_EFFECTIVE_VERSION when none is).

    `X-Flow-Version: N` (or `draft`) runs that version instead, a draft included, to
    test it before publishing; it needs a `config:write` key. Any version but the one in
    force runs as a simulation: no event, no hash chain link, its engine calls to the
    system's simulation endpoint (`mode: simulation` in the answer).

    With an idempotency key, a repeat of the same request (within 24 h) answers the
    first one's transaction with `X-Idempotent-Replayed: true`, waiting for it if it
    is still running; the same key with another request is refused (422).

    Args:
        product_code (str):
        endpoint (str):
        body (RateBody): The product's request document.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RateAccepted | RateResponse]
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
    body: RateBody,
) -> Problem | RateAccepted | RateResponse | None:
    """Rate

     Rate a request with the product's published flow in force on the request's date.

    The date is read at the product's `effectiveDatePath` (today, UTC, when it has none
    or the request does not carry it): the newest published version effective on or
    before it rates the request (422 NO_EFFECTIVE_VERSION when none is).

    `X-Flow-Version: N` (or `draft`) runs that version instead, a draft included, to
    test it before publishing; it needs a `config:write` key. Any version but the one in
    force runs as a simulation: no event, no hash chain link, its engine calls to the
    system's simulation endpoint (`mode: simulation` in the answer).

    With an idempotency key, a repeat of the same request (within 24 h) answers the
    first one's transaction with `X-Idempotent-Replayed: true`, waiting for it if it
    is still running; the same key with another request is refused (422).

    Args:
        product_code (str):
        endpoint (str):
        body (RateBody): The product's request document.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RateAccepted | RateResponse
    """

    return (
        await asyncio_detailed(
            product_code=product_code,
            endpoint=endpoint,
            client=client,
            body=body,
        )
    ).parsed
