from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

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
        simulation (bool | Unset):  Default: True.
        simulation_base_url (None | str | Unset):
        simulation_max_concurrency (int | None | Unset):
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
    simulation: bool | Unset = True
    simulation_base_url: None | str | Unset = UNSET
    simulation_max_concurrency: int | None | Unset = UNSET
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

        simulation = self.simulation

        simulation_base_url: None | str | Unset
        if isinstance(self.simulation_base_url, Unset):
            simulation_base_url = UNSET
        else:
            simulation_base_url = self.simulation_base_url

        simulation_max_concurrency: int | None | Unset
        if isinstance(self.simulation_max_concurrency, Unset):
            simulation_max_concurrency = UNSET
        else:
            simulation_max_concurrency = self.simulation_max_concurrency

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
        if simulation is not UNSET:
            field_dict["simulation"] = simulation
        if simulation_base_url is not UNSET:
            field_dict["simulationBaseUrl"] = simulation_base_url
        if simulation_max_concurrency is not UNSET:
            field_dict["simulationMaxConcurrency"] = simulation_max_concurrency

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

        simulation = d.pop("simulation", UNSET)

        def _parse_simulation_base_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        simulation_base_url = _parse_simulation_base_url(d.pop("simulationBaseUrl", UNSET))

        def _parse_simulation_max_concurrency(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        simulation_max_concurrency = _parse_simulation_max_concurrency(d.pop("simulationMaxConcurrency", UNSET))

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
            simulation=simulation,
            simulation_base_url=simulation_base_url,
            simulation_max_concurrency=simulation_max_concurrency,
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
