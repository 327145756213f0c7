from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.import_request import ImportRequest
from ...models.import_result import ImportResult
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: ImportRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v2/products/import",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ImportResult | Problem | None:
    if response.status_code == 200:
        response_200 = ImportResult.from_dict(response.json())

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
) -> Response[ImportResult | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ImportRequest,
) -> Response[ImportResult | Problem]:
    """Import

     Create or replace a product from an exported document. `dryRun: true` answers the
    diff and writes nothing; replacing an existing product needs `overwrite: true`.
    Everything is validated before anything is kept: one failure writes nothing.

    Args:
        body (ImportRequest): ``POST /api/v1/products/import``: an exported document and what to
            do with it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImportResult | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: ImportRequest,
) -> ImportResult | Problem | None:
    """Import

     Create or replace a product from an exported document. `dryRun: true` answers the
    diff and writes nothing; replacing an existing product needs `overwrite: true`.
    Everything is validated before anything is kept: one failure writes nothing.

    Args:
        body (ImportRequest): ``POST /api/v1/products/import``: an exported document and what to
            do with it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImportResult | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ImportRequest,
) -> Response[ImportResult | Problem]:
    """Import

     Create or replace a product from an exported document. `dryRun: true` answers the
    diff and writes nothing; replacing an existing product needs `overwrite: true`.
    Everything is validated before anything is kept: one failure writes nothing.

    Args:
        body (ImportRequest): ``POST /api/v1/products/import``: an exported document and what to
            do with it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImportResult | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ImportRequest,
) -> ImportResult | Problem | None:
    """Import

     Create or replace a product from an exported document. `dryRun: true` answers the
    diff and writes nothing; replacing an existing product needs `overwrite: true`.
    Everything is validated before anything is kept: one failure writes nothing.

    Args:
        body (ImportRequest): ``POST /api/v1/products/import``: an exported document and what to
            do with it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImportResult | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
