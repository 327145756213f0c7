from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.mapping_preview import MappingPreview
from ...models.mapping_preview_request import MappingPreviewRequest
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    code: str,
    *,
    body: MappingPreviewRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v2/products/{code}/mappings/preview".format(
            code=quote(str(code), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> MappingPreview | Problem | None:
    if response.status_code == 200:
        response_200 = MappingPreview.from_dict(response.json())

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
) -> Response[MappingPreview | Problem]:
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
    body: MappingPreviewRequest,
) -> Response[MappingPreview | Problem]:
    """Preview Mapping

     A mapping, not saved, applied to a sample document: what it maps it to.

    Refused as saving it would be (400 VALIDATION_FAILED, each problem at its field), or
    with what applying it failed on (422 MAPPING_FAILED).

    Args:
        code (str): Product code.
        body (MappingPreviewRequest): ``POST .../mappings/preview``: a mapping, not saved, and the
            document to apply it to.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MappingPreview | Problem]
    """

    kwargs = _get_kwargs(
        code=code,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    code: str,
    *,
    client: AuthenticatedClient,
    body: MappingPreviewRequest,
) -> MappingPreview | Problem | None:
    """Preview Mapping

     A mapping, not saved, applied to a sample document: what it maps it to.

    Refused as saving it would be (400 VALIDATION_FAILED, each problem at its field), or
    with what applying it failed on (422 MAPPING_FAILED).

    Args:
        code (str): Product code.
        body (MappingPreviewRequest): ``POST .../mappings/preview``: a mapping, not saved, and the
            document to apply it to.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MappingPreview | Problem
    """

    return sync_detailed(
        code=code,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    code: str,
    *,
    client: AuthenticatedClient,
    body: MappingPreviewRequest,
) -> Response[MappingPreview | Problem]:
    """Preview Mapping

     A mapping, not saved, applied to a sample document: what it maps it to.

    Refused as saving it would be (400 VALIDATION_FAILED, each problem at its field), or
    with what applying it failed on (422 MAPPING_FAILED).

    Args:
        code (str): Product code.
        body (MappingPreviewRequest): ``POST .../mappings/preview``: a mapping, not saved, and the
            document to apply it to.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MappingPreview | Problem]
    """

    kwargs = _get_kwargs(
        code=code,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    code: str,
    *,
    client: AuthenticatedClient,
    body: MappingPreviewRequest,
) -> MappingPreview | Problem | None:
    """Preview Mapping

     A mapping, not saved, applied to a sample document: what it maps it to.

    Refused as saving it would be (400 VALIDATION_FAILED, each problem at its field), or
    with what applying it failed on (422 MAPPING_FAILED).

    Args:
        code (str): Product code.
        body (MappingPreviewRequest): ``POST .../mappings/preview``: a mapping, not saved, and the
            document to apply it to.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MappingPreview | Problem
    """

    return (
        await asyncio_detailed(
            code=code,
            client=client,
            body=body,
        )
    ).parsed
