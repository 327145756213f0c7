from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.flow_version_published import FlowVersionPublished
from ...models.problem import Problem
from ...models.publish_request import PublishRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    code: str,
    endpoint: str,
    number: int,
    *,
    body: None | PublishRequest | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v2/products/{code}/flows/{endpoint}/versions/{number}/publish".format(
            code=quote(str(code), safe=""),
            endpoint=quote(str(endpoint), safe=""),
            number=quote(str(number), safe=""),
        ),
    }

    if isinstance(body, PublishRequest):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> FlowVersionPublished | Problem | None:
    if response.status_code == 200:
        response_200 = FlowVersionPublished.from_dict(response.json())

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
) -> Response[FlowVersionPublished | Problem]:
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
    body: None | PublishRequest | Unset = UNSET,
) -> Response[FlowVersionPublished | Problem]:
    """Publish Flow Version

     Publish a draft (validating every step), or re-publish an archived version (rollback).

    An optional `{"reason"}` says why, in the audit trail. An optional
    `{"effectiveFrom": "2027-01-01"}` makes it rate requests dated from then on (the
    product's `effectiveDatePath`): the versions in force before stay published for the
    earlier dates; without it, it rates every date. A published version may be published
    again with another date (version 1 with no date withdraws a change dated after it).
    The answer holds the endpoint's
    resulting timeline, and warnings: a gap (dates no version rates) or an overlap (a
    version that rates no date).

    Args:
        code (str): Product code.
        endpoint (str): Flow endpoint.
        number (int): The version.
        body (None | PublishRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FlowVersionPublished | Problem]
    """

    kwargs = _get_kwargs(
        code=code,
        endpoint=endpoint,
        number=number,
        body=body,
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
    body: None | PublishRequest | Unset = UNSET,
) -> FlowVersionPublished | Problem | None:
    """Publish Flow Version

     Publish a draft (validating every step), or re-publish an archived version (rollback).

    An optional `{"reason"}` says why, in the audit trail. An optional
    `{"effectiveFrom": "2027-01-01"}` makes it rate requests dated from then on (the
    product's `effectiveDatePath`): the versions in force before stay published for the
    earlier dates; without it, it rates every date. A published version may be published
    again with another date (version 1 with no date withdraws a change dated after it).
    The answer holds the endpoint's
    resulting timeline, and warnings: a gap (dates no version rates) or an overlap (a
    version that rates no date).

    Args:
        code (str): Product code.
        endpoint (str): Flow endpoint.
        number (int): The version.
        body (None | PublishRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FlowVersionPublished | Problem
    """

    return sync_detailed(
        code=code,
        endpoint=endpoint,
        number=number,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    code: str,
    endpoint: str,
    number: int,
    *,
    client: AuthenticatedClient,
    body: None | PublishRequest | Unset = UNSET,
) -> Response[FlowVersionPublished | Problem]:
    """Publish Flow Version

     Publish a draft (validating every step), or re-publish an archived version (rollback).

    An optional `{"reason"}` says why, in the audit trail. An optional
    `{"effectiveFrom": "2027-01-01"}` makes it rate requests dated from then on (the
    product's `effectiveDatePath`): the versions in force before stay published for the
    earlier dates; without it, it rates every date. A published version may be published
    again with another date (version 1 with no date withdraws a change dated after it).
    The answer holds the endpoint's
    resulting timeline, and warnings: a gap (dates no version rates) or an overlap (a
    version that rates no date).

    Args:
        code (str): Product code.
        endpoint (str): Flow endpoint.
        number (int): The version.
        body (None | PublishRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FlowVersionPublished | Problem]
    """

    kwargs = _get_kwargs(
        code=code,
        endpoint=endpoint,
        number=number,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    code: str,
    endpoint: str,
    number: int,
    *,
    client: AuthenticatedClient,
    body: None | PublishRequest | Unset = UNSET,
) -> FlowVersionPublished | Problem | None:
    """Publish Flow Version

     Publish a draft (validating every step), or re-publish an archived version (rollback).

    An optional `{"reason"}` says why, in the audit trail. An optional
    `{"effectiveFrom": "2027-01-01"}` makes it rate requests dated from then on (the
    product's `effectiveDatePath`): the versions in force before stay published for the
    earlier dates; without it, it rates every date. A published version may be published
    again with another date (version 1 with no date withdraws a change dated after it).
    The answer holds the endpoint's
    resulting timeline, and warnings: a gap (dates no version rates) or an overlap (a
    version that rates no date).

    Args:
        code (str): Product code.
        endpoint (str): Flow endpoint.
        number (int): The version.
        body (None | PublishRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FlowVersionPublished | Problem
    """

    return (
        await asyncio_detailed(
            code=code,
            endpoint=endpoint,
            number=number,
            client=client,
            body=body,
        )
    ).parsed
