from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.impact_request import ImpactRequest
from ...models.impact_run_public import ImpactRunPublic
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    product_code: str,
    endpoint: str,
    *,
    body: ImpactRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v2/products/{product_code}/flows/{endpoint}/impact".format(
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
) -> ImpactRunPublic | Problem | None:
    if response.status_code == 202:
        response_202 = ImpactRunPublic.from_dict(response.json())

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
) -> Response[ImpactRunPublic | Problem]:
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
    body: ImpactRequest,
) -> Response[ImpactRunPublic | Problem]:
    """Start Impact

     Analyse what a candidate version (`draft` or a number) does to past traffic: the
    window's live transactions (newest first, up to `limit`) re-rated under it as
    simulations, compared with the results they recorded. Runs as a Temporal workflow;
    poll the `Location`. Needs `config:write`; audited (IMPACT).

    Args:
        product_code (str):
        endpoint (str):
        body (ImpactRequest): The body of ``POST
            /api/v1/products/{code}/flows/{endpoint}/impact``.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImpactRunPublic | Problem]
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
    body: ImpactRequest,
) -> ImpactRunPublic | Problem | None:
    """Start Impact

     Analyse what a candidate version (`draft` or a number) does to past traffic: the
    window's live transactions (newest first, up to `limit`) re-rated under it as
    simulations, compared with the results they recorded. Runs as a Temporal workflow;
    poll the `Location`. Needs `config:write`; audited (IMPACT).

    Args:
        product_code (str):
        endpoint (str):
        body (ImpactRequest): The body of ``POST
            /api/v1/products/{code}/flows/{endpoint}/impact``.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImpactRunPublic | Problem
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
    body: ImpactRequest,
) -> Response[ImpactRunPublic | Problem]:
    """Start Impact

     Analyse what a candidate version (`draft` or a number) does to past traffic: the
    window's live transactions (newest first, up to `limit`) re-rated under it as
    simulations, compared with the results they recorded. Runs as a Temporal workflow;
    poll the `Location`. Needs `config:write`; audited (IMPACT).

    Args:
        product_code (str):
        endpoint (str):
        body (ImpactRequest): The body of ``POST
            /api/v1/products/{code}/flows/{endpoint}/impact``.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImpactRunPublic | Problem]
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
    body: ImpactRequest,
) -> ImpactRunPublic | Problem | None:
    """Start Impact

     Analyse what a candidate version (`draft` or a number) does to past traffic: the
    window's live transactions (newest first, up to `limit`) re-rated under it as
    simulations, compared with the results they recorded. Runs as a Temporal workflow;
    poll the `Location`. Needs `config:write`; audited (IMPACT).

    Args:
        product_code (str):
        endpoint (str):
        body (ImpactRequest): The body of ``POST
            /api/v1/products/{code}/flows/{endpoint}/impact``.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImpactRunPublic | Problem
    """

    return (
        await asyncio_detailed(
            product_code=product_code,
            endpoint=endpoint,
            client=client,
            body=body,
        )
    ).parsed
