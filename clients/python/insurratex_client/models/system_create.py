from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.system_create_kind import SystemCreateKind
from ..models.system_create_protocol import SystemCreateProtocol
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.auth_spec import AuthSpec
    from ..models.breaker_settings import BreakerSettings


T = TypeVar("T", bound="SystemCreate")


@_attrs_define
class SystemCreate:
    """
    Attributes:
        base_url (str): http(s)://host[:port][/path], or kafka://host:port[,...].
        code (str):
        kind (SystemCreateKind):
        name (str):
        auth (AuthSpec | Unset): ``none``, ``bearer`` (token), ``basic`` (username, password) or ``header`` (name,
            value).

            ``signingSecret`` signs webhooks sent to the system (Standard Webhooks, and the
            ``X-IRX-Signature`` HMAC); ``previousSigningSecret`` signs them too while receivers
            move to a new secret (rotation).
        circuit_breaker (BreakerSettings | Unset): A system's ``circuitBreaker`` settings.
        protocol (SystemCreateProtocol | Unset):  Default: SystemCreateProtocol.JSON.
        simulation (bool | Unset): Whether simulations (a draft tried, a re-rating, an impact analysis, a challenger)
            may call this system; false refuses them with SIMULATION_REFUSED. Default: True.
        simulation_base_url (None | str | Unset): Where simulations call instead of baseUrl (a test region); unset:
            baseUrl.
        simulation_max_concurrency (int | None | Unset): Simulated calls at once per worker process (unset: unbounded);
            the others wait their turn, so an impact analysis never floods the engine.
        timeout_ms (int | Unset):  Default: 10000.
    """

    base_url: str
    code: str
    kind: SystemCreateKind
    name: str
    auth: AuthSpec | Unset = UNSET
    circuit_breaker: BreakerSettings | Unset = UNSET
    protocol: SystemCreateProtocol | Unset = SystemCreateProtocol.JSON
    simulation: bool | Unset = True
    simulation_base_url: None | str | Unset = UNSET
    simulation_max_concurrency: int | None | Unset = UNSET
    timeout_ms: int | Unset = 10000
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        base_url = self.base_url

        code = self.code

        kind = self.kind.value

        name = self.name

        auth: dict[str, Any] | Unset = UNSET
        if not isinstance(self.auth, Unset):
            auth = self.auth.to_dict()

        circuit_breaker: dict[str, Any] | Unset = UNSET
        if not isinstance(self.circuit_breaker, Unset):
            circuit_breaker = self.circuit_breaker.to_dict()

        protocol: str | Unset = UNSET
        if not isinstance(self.protocol, Unset):
            protocol = self.protocol.value

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

        timeout_ms = self.timeout_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "baseUrl": base_url,
                "code": code,
                "kind": kind,
                "name": name,
            }
        )
        if auth is not UNSET:
            field_dict["auth"] = auth
        if circuit_breaker is not UNSET:
            field_dict["circuitBreaker"] = circuit_breaker
        if protocol is not UNSET:
            field_dict["protocol"] = protocol
        if simulation is not UNSET:
            field_dict["simulation"] = simulation
        if simulation_base_url is not UNSET:
            field_dict["simulationBaseUrl"] = simulation_base_url
        if simulation_max_concurrency is not UNSET:
            field_dict["simulationMaxConcurrency"] = simulation_max_concurrency
        if timeout_ms is not UNSET:
            field_dict["timeoutMs"] = timeout_ms

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.auth_spec import AuthSpec  # noqa: PLC0415
        from ..models.breaker_settings import BreakerSettings  # noqa: PLC0415

        d = dict(src_dict)
        base_url = d.pop("baseUrl")

        code = d.pop("code")

        kind = SystemCreateKind(d.pop("kind"))

        name = d.pop("name")

        _auth = d.pop("auth", UNSET)
        auth: AuthSpec | Unset
        if isinstance(_auth, Unset):
            auth = UNSET
        else:
            auth = AuthSpec.from_dict(_auth)

        _circuit_breaker = d.pop("circuitBreaker", UNSET)
        circuit_breaker: BreakerSettings | Unset
        if isinstance(_circuit_breaker, Unset):
            circuit_breaker = UNSET
        else:
            circuit_breaker = BreakerSettings.from_dict(_circuit_breaker)

        _protocol = d.pop("protocol", UNSET)
        protocol: SystemCreateProtocol | Unset
        if isinstance(_protocol, Unset):
            protocol = UNSET
        else:
            protocol = SystemCreateProtocol(_protocol)

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

        timeout_ms = d.pop("timeoutMs", UNSET)

        system_create = cls(
            base_url=base_url,
            code=code,
            kind=kind,
            name=name,
            auth=auth,
            circuit_breaker=circuit_breaker,
            protocol=protocol,
            simulation=simulation,
            simulation_base_url=simulation_base_url,
            simulation_max_concurrency=simulation_max_concurrency,
            timeout_ms=timeout_ms,
        )

        system_create.additional_properties = d
        return system_create

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
