import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_transactions_status_type_0 import ListTransactionsStatusType0
from ...models.page_transaction_summary import PageTransactionSummary
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    product_code: None | str | Unset = UNSET,
    endpoint: None | str | Unset = UNSET,
    status: ListTransactionsStatusType0 | None | Unset = UNSET,
    correlation_id: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    page: int | Unset = 1,
    page_size: int | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_product_code: None | str | Unset
    if isinstance(product_code, Unset):
        json_product_code = UNSET
    else:
        json_product_code = product_code
    params["productCode"] = json_product_code

    json_endpoint: None | str | Unset
    if isinstance(endpoint, Unset):
        json_endpoint = UNSET
    else:
        json_endpoint = endpoint
    params["endpoint"] = json_endpoint

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, ListTransactionsStatusType0):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    json_correlation_id: None | str | Unset
    if isinstance(correlation_id, Unset):
        json_correlation_id = UNSET
    else:
        json_correlation_id = correlation_id
    params["correlationId"] = json_correlation_id

    json_from_: None | str | Unset
    if isinstance(from_, Unset):
        json_from_ = UNSET
    elif isinstance(from_, datetime.datetime):
        json_from_ = from_.isoformat()
    else:
        json_from_ = from_
    params["from"] = json_from_

    json_to: None | str | Unset
    if isinstance(to, Unset):
        json_to = UNSET
    elif isinstance(to, datetime.datetime):
        json_to = to.isoformat()
    else:
        json_to = to
    params["to"] = json_to

    params["page"] = page

    json_page_size: int | None | Unset
    if isinstance(page_size, Unset):
        json_page_size = UNSET
    else:
        json_page_size = page_size
    params["pageSize"] = json_page_size

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v2/transactions",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PageTransactionSummary | Problem | None:
    if response.status_code == 200:
        response_200 = PageTransactionSummary.from_dict(response.json())

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
) -> Response[PageTransactionSummary | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    product_code: None | str | Unset = UNSET,
    endpoint: None | str | Unset = UNSET,
    status: ListTransactionsStatusType0 | None | Unset = UNSET,
    correlation_id: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    page: int | Unset = 1,
    page_size: int | None | Unset = UNSET,
) -> Response[PageTransactionSummary | Problem]:
    """List Transactions

     The organization's transactions, newest first, filtered and paginated.

    Query parameters are camelCase like the rest of the API; `product` and
    `page_size` (the spec's first names) are accepted too. Any other is refused.

    Args:
        product_code (None | str | Unset):
        endpoint (None | str | Unset):
        status (ListTransactionsStatusType0 | None | Unset):
        correlation_id (None | str | Unset):
        from_ (datetime.datetime | None | Unset):
        to (datetime.datetime | None | Unset):
        page (int | Unset):  Default: 1.
        page_size (int | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageTransactionSummary | Problem]
    """

    kwargs = _get_kwargs(
        product_code=product_code,
        endpoint=endpoint,
        status=status,
        correlation_id=correlation_id,
        from_=from_,
        to=to,
        page=page,
        page_size=page_size,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    product_code: None | str | Unset = UNSET,
    endpoint: None | str | Unset = UNSET,
    status: ListTransactionsStatusType0 | None | Unset = UNSET,
    correlation_id: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    page: int | Unset = 1,
    page_size: int | None | Unset = UNSET,
) -> PageTransactionSummary | Problem | None:
    """List Transactions

     The organization's transactions, newest first, filtered and paginated.

    Query parameters are camelCase like the rest of the API; `product` and
    `page_size` (the spec's first names) are accepted too. Any other is refused.

    Args:
        product_code (None | str | Unset):
        endpoint (None | str | Unset):
        status (ListTransactionsStatusType0 | None | Unset):
        correlation_id (None | str | Unset):
        from_ (datetime.datetime | None | Unset):
        to (datetime.datetime | None | Unset):
        page (int | Unset):  Default: 1.
        page_size (int | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageTransactionSummary | Problem
    """

    return sync_detailed(
        client=client,
        product_code=product_code,
        endpoint=endpoint,
        status=status,
        correlation_id=correlation_id,
        from_=from_,
        to=to,
        page=page,
        page_size=page_size,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    product_code: None | str | Unset = UNSET,
    endpoint: None | str | Unset = UNSET,
    status: ListTransactionsStatusType0 | None | Unset = UNSET,
    correlation_id: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    page: int | Unset = 1,
    page_size: int | None | Unset = UNSET,
) -> Response[PageTransactionSummary | Problem]:
    """List Transactions

     The organization's transactions, newest first, filtered and paginated.

    Query parameters are camelCase like the rest of the API; `product` and
    `page_size` (the spec's first names) are accepted too. Any other is refused.

    Args:
        product_code (None | str | Unset):
        endpoint (None | str | Unset):
        status (ListTransactionsStatusType0 | None | Unset):
        correlation_id (None | str | Unset):
        from_ (datetime.datetime | None | Unset):
        to (datetime.datetime | None | Unset):
        page (int | Unset):  Default: 1.
        page_size (int | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageTransactionSummary | Problem]
    """

    kwargs = _get_kwargs(
        product_code=product_code,
        endpoint=endpoint,
        status=status,
        correlation_id=correlation_id,
        from_=from_,
        to=to,
        page=page,
        page_size=page_size,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    product_code: None | str | Unset = UNSET,
    endpoint: None | str | Unset = UNSET,
    status: ListTransactionsStatusType0 | None | Unset = UNSET,
    correlation_id: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    page: int | Unset = 1,
    page_size: int | None | Unset = UNSET,
) -> PageTransactionSummary | Problem | None:
    """List Transactions

     The organization's transactions, newest first, filtered and paginated.

    Query parameters are camelCase like the rest of the API; `product` and
    `page_size` (the spec's first names) are accepted too. Any other is refused.

    Args:
        product_code (None | str | Unset):
        endpoint (None | str | Unset):
        status (ListTransactionsStatusType0 | None | Unset):
        correlation_id (None | str | Unset):
        from_ (datetime.datetime | None | Unset):
        to (datetime.datetime | None | Unset):
        page (int | Unset):  Default: 1.
        page_size (int | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageTransactionSummary | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            product_code=product_code,
            endpoint=endpoint,
            status=status,
            correlation_id=correlation_id,
            from_=from_,
            to=to,
            page=page,
            page_size=page_size,
        )
    ).parsed
