from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="BreakerSettings")


@_attrs_define
class BreakerSettings:
    """A system's ``circuitBreaker`` settings.

    Attributes:
        enabled (bool | Unset):  Default: True.
        failure_threshold (int | Unset):  Default: 5.
        reset_timeout_s (float | Unset):  Default: 30.0.
    """

    enabled: bool | Unset = True
    failure_threshold: int | Unset = 5
    reset_timeout_s: float | Unset = 30.0

    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        failure_threshold = self.failure_threshold

        reset_timeout_s = self.reset_timeout_s

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if failure_threshold is not UNSET:
            field_dict["failureThreshold"] = failure_threshold
        if reset_timeout_s is not UNSET:
            field_dict["resetTimeoutS"] = reset_timeout_s

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enabled = d.pop("enabled", UNSET)

        failure_threshold = d.pop("failureThreshold", UNSET)

        reset_timeout_s = d.pop("resetTimeoutS", UNSET)

        breaker_settings = cls(
            enabled=enabled,
            failure_threshold=failure_threshold,
            reset_timeout_s=reset_timeout_s,
        )

        return breaker_settings
