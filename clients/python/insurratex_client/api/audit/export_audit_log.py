import datetime
from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.export_audit_log_format import ExportAuditLogFormat
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    format_: ExportAuditLogFormat | Unset = ExportAuditLogFormat.CSV,
    entity_type: None | str | Unset = UNSET,
    entity_id: None | str | Unset = UNSET,
    actor: None | str | Unset = UNSET,
    action: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    json_entity_type: None | str | Unset
    if isinstance(entity_type, Unset):
        json_entity_type = UNSET
    else:
        json_entity_type = entity_type
    params["entityType"] = json_entity_type

    json_entity_id: None | str | Unset
    if isinstance(entity_id, Unset):
        json_entity_id = UNSET
    else:
        json_entity_id = entity_id
    params["entityId"] = json_entity_id

    json_actor: None | str | Unset
    if isinstance(actor, Unset):
        json_actor = UNSET
    else:
        json_actor = actor
    params["actor"] = json_actor

    json_action: None | str | Unset
    if isinstance(action, Unset):
        json_action = UNSET
    else:
        json_action = action
    params["action"] = json_action

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

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v2/audit-log/export",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem | None:
    if response.status_code == 200:
        response_200 = cast(Any, None)
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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    format_: ExportAuditLogFormat | Unset = ExportAuditLogFormat.CSV,
    entity_type: None | str | Unset = UNSET,
    entity_id: None | str | Unset = UNSET,
    actor: None | str | Unset = UNSET,
    action: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
) -> Response[Any | Problem]:
    """Export Audit Log

     Every matching entry, oldest first, streamed: CSV (one row per entry, `changes` as
    JSON) or JSON lines.

    Args:
        format_ (ExportAuditLogFormat | Unset):  Default: ExportAuditLogFormat.CSV.
        entity_type (None | str | Unset):
        entity_id (None | str | Unset):
        actor (None | str | Unset):
        action (None | str | Unset):
        from_ (datetime.datetime | None | Unset):
        to (datetime.datetime | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
    """

    kwargs = _get_kwargs(
        format_=format_,
        entity_type=entity_type,
        entity_id=entity_id,
        actor=actor,
        action=action,
        from_=from_,
        to=to,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    format_: ExportAuditLogFormat | Unset = ExportAuditLogFormat.CSV,
    entity_type: None | str | Unset = UNSET,
    entity_id: None | str | Unset = UNSET,
    actor: None | str | Unset = UNSET,
    action: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
) -> Any | Problem | None:
    """Export Audit Log

     Every matching entry, oldest first, streamed: CSV (one row per entry, `changes` as
    JSON) or JSON lines.

    Args:
        format_ (ExportAuditLogFormat | Unset):  Default: ExportAuditLogFormat.CSV.
        entity_type (None | str | Unset):
        entity_id (None | str | Unset):
        actor (None | str | Unset):
        action (None | str | Unset):
        from_ (datetime.datetime | None | Unset):
        to (datetime.datetime | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return sync_detailed(
        client=client,
        format_=format_,
        entity_type=entity_type,
        entity_id=entity_id,
        actor=actor,
        action=action,
        from_=from_,
        to=to,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    format_: ExportAuditLogFormat | Unset = ExportAuditLogFormat.CSV,
    entity_type: None | str | Unset = UNSET,
    entity_id: None | str | Unset = UNSET,
    actor: None | str | Unset = UNSET,
    action: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
) -> Response[Any | Problem]:
    """Export Audit Log

     Every matching entry, oldest first, streamed: CSV (one row per entry, `changes` as
    JSON) or JSON lines.

    Args:
        format_ (ExportAuditLogFormat | Unset):  Default: ExportAuditLogFormat.CSV.
        entity_type (None | str | Unset):
        entity_id (None | str | Unset):
        actor (None | str | Unset):
        action (None | str | Unset):
        from_ (datetime.datetime | None | Unset):
        to (datetime.datetime | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem]
    """

    kwargs = _get_kwargs(
        format_=format_,
        entity_type=entity_type,
        entity_id=entity_id,
        actor=actor,
        action=action,
        from_=from_,
        to=to,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    format_: ExportAuditLogFormat | Unset = ExportAuditLogFormat.CSV,
    entity_type: None | str | Unset = UNSET,
    entity_id: None | str | Unset = UNSET,
    actor: None | str | Unset = UNSET,
    action: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
) -> Any | Problem | None:
    """Export Audit Log

     Every matching entry, oldest first, streamed: CSV (one row per entry, `changes` as
    JSON) or JSON lines.

    Args:
        format_ (ExportAuditLogFormat | Unset):  Default: ExportAuditLogFormat.CSV.
        entity_type (None | str | Unset):
        entity_id (None | str | Unset):
        actor (None | str | Unset):
        action (None | str | Unset):
        from_ (datetime.datetime | None | Unset):
        to (datetime.datetime | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            format_=format_,
            entity_type=entity_type,
            entity_id=entity_id,
            actor=actor,
            action=action,
            from_=from_,
            to=to,
        )
    ).parsed
