from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.audit_entry_public_changes_type_0 import AuditEntryPublicChangesType0


T = TypeVar("T", bound="AuditEntryPublic")


@_attrs_define
class AuditEntryPublic:
    """One config write: who (the API key's id; null for the platform itself), what,
    on which entity, the before/after difference, and from where.

        Attributes:
            action (str): CREATE, UPDATE, DELETE, PUBLISH, ROLLBACK, RESEAL...
            actor (None | str):
            changes (AuditEntryPublicChangesType0 | None): {before, after}
            correlation_id (None | str):
            created_at (datetime.datetime):
            entity_id (str):
            entity_name (None | str):
            entity_type (str):
            id (int):
            ip_address (None | str):
            user_agent (None | str):
    """

    action: str
    actor: None | str
    changes: AuditEntryPublicChangesType0 | None
    correlation_id: None | str
    created_at: datetime.datetime
    entity_id: str
    entity_name: None | str
    entity_type: str
    id: int
    ip_address: None | str
    user_agent: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.audit_entry_public_changes_type_0 import AuditEntryPublicChangesType0  # noqa: PLC0415

        action = self.action

        actor: None | str
        actor = self.actor

        changes: dict[str, Any] | None
        if isinstance(self.changes, AuditEntryPublicChangesType0):
            changes = self.changes.to_dict()
        else:
            changes = self.changes

        correlation_id: None | str
        correlation_id = self.correlation_id

        created_at = self.created_at.isoformat()

        entity_id = self.entity_id

        entity_name: None | str
        entity_name = self.entity_name

        entity_type = self.entity_type

        id = self.id

        ip_address: None | str
        ip_address = self.ip_address

        user_agent: None | str
        user_agent = self.user_agent

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "actor": actor,
                "changes": changes,
                "correlationId": correlation_id,
                "createdAt": created_at,
                "entityId": entity_id,
                "entityName": entity_name,
                "entityType": entity_type,
                "id": id,
                "ipAddress": ip_address,
                "userAgent": user_agent,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audit_entry_public_changes_type_0 import AuditEntryPublicChangesType0  # noqa: PLC0415

        d = dict(src_dict)
        action = d.pop("action")

        def _parse_actor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        actor = _parse_actor(d.pop("actor"))

        def _parse_changes(data: object) -> AuditEntryPublicChangesType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                changes_type_0 = AuditEntryPublicChangesType0.from_dict(data)

                return changes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AuditEntryPublicChangesType0 | None, data)

        changes = _parse_changes(d.pop("changes"))

        def _parse_correlation_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        correlation_id = _parse_correlation_id(d.pop("correlationId"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        entity_id = d.pop("entityId")

        def _parse_entity_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        entity_name = _parse_entity_name(d.pop("entityName"))

        entity_type = d.pop("entityType")

        id = d.pop("id")

        def _parse_ip_address(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        ip_address = _parse_ip_address(d.pop("ipAddress"))

        def _parse_user_agent(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        user_agent = _parse_user_agent(d.pop("userAgent"))

        audit_entry_public = cls(
            action=action,
            actor=actor,
            changes=changes,
            correlation_id=correlation_id,
            created_at=created_at,
            entity_id=entity_id,
            entity_name=entity_name,
            entity_type=entity_type,
            id=id,
            ip_address=ip_address,
            user_agent=user_agent,
        )

        audit_entry_public.additional_properties = d
        return audit_entry_public

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
