from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.dependency_health_status import DependencyHealthStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="DependencyHealth")


@_attrs_define
class DependencyHealth:
    """
    Attributes:
        status (DependencyHealthStatus):
        detail (None | str | Unset):
        error (None | str | Unset):
        latency_ms (float | None | Unset):
        pool_active (int | None | Unset):
        pool_max (int | None | Unset):
    """

    status: DependencyHealthStatus
    detail: None | str | Unset = UNSET
    error: None | str | Unset = UNSET
    latency_ms: float | None | Unset = UNSET
    pool_active: int | None | Unset = UNSET
    pool_max: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status.value

        detail: None | str | Unset
        if isinstance(self.detail, Unset):
            detail = UNSET
        else:
            detail = self.detail

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        latency_ms: float | None | Unset
        if isinstance(self.latency_ms, Unset):
            latency_ms = UNSET
        else:
            latency_ms = self.latency_ms

        pool_active: int | None | Unset
        if isinstance(self.pool_active, Unset):
            pool_active = UNSET
        else:
            pool_active = self.pool_active

        pool_max: int | None | Unset
        if isinstance(self.pool_max, Unset):
            pool_max = UNSET
        else:
            pool_max = self.pool_max

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
            }
        )
        if detail is not UNSET:
            field_dict["detail"] = detail
        if error is not UNSET:
            field_dict["error"] = error
        if latency_ms is not UNSET:
            field_dict["latencyMs"] = latency_ms
        if pool_active is not UNSET:
            field_dict["poolActive"] = pool_active
        if pool_max is not UNSET:
            field_dict["poolMax"] = pool_max

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        status = DependencyHealthStatus(d.pop("status"))

        def _parse_detail(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        detail = _parse_detail(d.pop("detail", UNSET))

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        def _parse_latency_ms(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        latency_ms = _parse_latency_ms(d.pop("latencyMs", UNSET))

        def _parse_pool_active(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        pool_active = _parse_pool_active(d.pop("poolActive", UNSET))

        def _parse_pool_max(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        pool_max = _parse_pool_max(d.pop("poolMax", UNSET))

        dependency_health = cls(
            status=status,
            detail=detail,
            error=error,
            latency_ms=latency_ms,
            pool_active=pool_active,
            pool_max=pool_max,
        )

        dependency_health.additional_properties = d
        return dependency_health

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
