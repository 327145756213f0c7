from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.health_report_status import HealthReportStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.health_report_circuit_breakers_type_0 import HealthReportCircuitBreakersType0
    from ..models.health_report_dependencies_type_0 import HealthReportDependenciesType0


T = TypeVar("T", bound="HealthReport")


@_attrs_define
class HealthReport:
    """``unhealthy`` (503) when the config store or Temporal is down; ``degraded`` when
    something the platform works around is (Redis, the blob store, an open breaker).

        Attributes:
            service (str):
            status (HealthReportStatus):
            timestamp (datetime.datetime):
            uptime (int):
            version (str):
            circuit_breakers (HealthReportCircuitBreakersType0 | None | Unset):
            dependencies (HealthReportDependenciesType0 | None | Unset):
    """

    service: str
    status: HealthReportStatus
    timestamp: datetime.datetime
    uptime: int
    version: str
    circuit_breakers: HealthReportCircuitBreakersType0 | None | Unset = UNSET
    dependencies: HealthReportDependenciesType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.health_report_circuit_breakers_type_0 import HealthReportCircuitBreakersType0  # noqa: PLC0415
        from ..models.health_report_dependencies_type_0 import HealthReportDependenciesType0  # noqa: PLC0415

        service = self.service

        status = self.status.value

        timestamp = self.timestamp.isoformat()

        uptime = self.uptime

        version = self.version

        circuit_breakers: dict[str, Any] | None | Unset
        if isinstance(self.circuit_breakers, Unset):
            circuit_breakers = UNSET
        elif isinstance(self.circuit_breakers, HealthReportCircuitBreakersType0):
            circuit_breakers = self.circuit_breakers.to_dict()
        else:
            circuit_breakers = self.circuit_breakers

        dependencies: dict[str, Any] | None | Unset
        if isinstance(self.dependencies, Unset):
            dependencies = UNSET
        elif isinstance(self.dependencies, HealthReportDependenciesType0):
            dependencies = self.dependencies.to_dict()
        else:
            dependencies = self.dependencies

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "service": service,
                "status": status,
                "timestamp": timestamp,
                "uptime": uptime,
                "version": version,
            }
        )
        if circuit_breakers is not UNSET:
            field_dict["circuitBreakers"] = circuit_breakers
        if dependencies is not UNSET:
            field_dict["dependencies"] = dependencies

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.health_report_circuit_breakers_type_0 import HealthReportCircuitBreakersType0  # noqa: PLC0415
        from ..models.health_report_dependencies_type_0 import HealthReportDependenciesType0  # noqa: PLC0415

        d = dict(src_dict)
        service = d.pop("service")

        status = HealthReportStatus(d.pop("status"))

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        uptime = d.pop("uptime")

        version = d.pop("version")

        def _parse_circuit_breakers(data: object) -> HealthReportCircuitBreakersType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                circuit_breakers_type_0 = HealthReportCircuitBreakersType0.from_dict(data)

                return circuit_breakers_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(HealthReportCircuitBreakersType0 | None | Unset, data)

        circuit_breakers = _parse_circuit_breakers(d.pop("circuitBreakers", UNSET))

        def _parse_dependencies(data: object) -> HealthReportDependenciesType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                dependencies_type_0 = HealthReportDependenciesType0.from_dict(data)

                return dependencies_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(HealthReportDependenciesType0 | None | Unset, data)

        dependencies = _parse_dependencies(d.pop("dependencies", UNSET))

        health_report = cls(
            service=service,
            status=status,
            timestamp=timestamp,
            uptime=uptime,
            version=version,
            circuit_breakers=circuit_breakers,
            dependencies=dependencies,
        )

        health_report.additional_properties = d
        return health_report

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
