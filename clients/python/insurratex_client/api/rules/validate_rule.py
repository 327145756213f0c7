from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.rule import Rule
from ...models.rule_checked import RuleChecked
from ...types import Response


def _get_kwargs(
    code: str,
    *,
    body: Rule,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v2/products/{code}/rules/validate".format(
            code=quote(str(code), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | RuleChecked | None:
    if response.status_code == 200:
        response_200 = RuleChecked.from_dict(response.json())

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
) -> Response[Problem | RuleChecked]:
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
    body: Rule,
) -> Response[Problem | RuleChecked]:
    """Validate Rule

     A rule's expressions and tables checked as saving it would, without saving it.

    Refused with every problem (400 VALIDATION_FAILED: `problems`, each with where it is).

    Args:
        code (str): Product code.
        body (Rule): A named rule of a product: what the evaluator compiles.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RuleChecked]
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
    body: Rule,
) -> Problem | RuleChecked | None:
    """Validate Rule

     A rule's expressions and tables checked as saving it would, without saving it.

    Refused with every problem (400 VALIDATION_FAILED: `problems`, each with where it is).

    Args:
        code (str): Product code.
        body (Rule): A named rule of a product: what the evaluator compiles.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RuleChecked
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
    body: Rule,
) -> Response[Problem | RuleChecked]:
    """Validate Rule

     A rule's expressions and tables checked as saving it would, without saving it.

    Refused with every problem (400 VALIDATION_FAILED: `problems`, each with where it is).

    Args:
        code (str): Product code.
        body (Rule): A named rule of a product: what the evaluator compiles.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RuleChecked]
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
    body: Rule,
) -> Problem | RuleChecked | None:
    """Validate Rule

     A rule's expressions and tables checked as saving it would, without saving it.

    Refused with every problem (400 VALIDATION_FAILED: `problems`, each with where it is).

    Args:
        code (str): Product code.
        body (Rule): A named rule of a product: what the evaluator compiles.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RuleChecked
    """

    return (
        await asyncio_detailed(
            code=code,
            client=client,
            body=body,
        )
    ).parsed
