from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.breaker_settings import BreakerSettings


T = TypeVar("T", bound="SystemPublic")


@_attrs_define
class SystemPublic:
    """A system as the API shows it: no auth secrets.

    Attributes:
        auth_mode (str):
        base_url (str):
        circuit_breaker (BreakerSettings): A system's ``circuitBreaker`` settings.
        code (str):
        created_at (datetime.datetime):
        id (str):
        kind (str):
        name (str):
        protocol (str):
        timeout_ms (int):
    """

    auth_mode: str
    base_url: str
    circuit_breaker: BreakerSettings
    code: str
    created_at: datetime.datetime
    id: str
    kind: str
    name: str
    protocol: str
    timeout_ms: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        auth_mode = self.auth_mode

        base_url = self.base_url

        circuit_breaker = self.circuit_breaker.to_dict()

        code = self.code

        created_at = self.created_at.isoformat()

        id = self.id

        kind = self.kind

        name = self.name

        protocol = self.protocol

        timeout_ms = self.timeout_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "authMode": auth_mode,
                "baseUrl": base_url,
                "circuitBreaker": circuit_breaker,
                "code": code,
                "createdAt": created_at,
                "id": id,
                "kind": kind,
                "name": name,
                "protocol": protocol,
                "timeoutMs": timeout_ms,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.breaker_settings import BreakerSettings  # noqa: PLC0415

        d = dict(src_dict)
        auth_mode = d.pop("authMode")

        base_url = d.pop("baseUrl")

        circuit_breaker = BreakerSettings.from_dict(d.pop("circuitBreaker"))

        code = d.pop("code")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        id = d.pop("id")

        kind = d.pop("kind")

        name = d.pop("name")

        protocol = d.pop("protocol")

        timeout_ms = d.pop("timeoutMs")

        system_public = cls(
            auth_mode=auth_mode,
            base_url=base_url,
            circuit_breaker=circuit_breaker,
            code=code,
            created_at=created_at,
            id=id,
            kind=kind,
            name=name,
            protocol=protocol,
            timeout_ms=timeout_ms,
        )

        system_public.additional_properties = d
        return system_public

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
