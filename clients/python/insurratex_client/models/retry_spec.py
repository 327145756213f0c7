from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RetrySpec")


@_attrs_define
class RetrySpec:
    """How a step's activity is retried (exponential backoff between attempts).

    Attributes:
        backoff (float | Unset):  Default: 2.0.
        initial_interval_ms (int | Unset):  Default: 100.
        max_attempts (int | Unset):  Default: 3.
        max_interval_ms (int | Unset):  Default: 5000.
    """

    backoff: float | Unset = 2.0
    initial_interval_ms: int | Unset = 100
    max_attempts: int | Unset = 3
    max_interval_ms: int | Unset = 5000

    def to_dict(self) -> dict[str, Any]:
        backoff = self.backoff

        initial_interval_ms = self.initial_interval_ms

        max_attempts = self.max_attempts

        max_interval_ms = self.max_interval_ms

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if backoff is not UNSET:
            field_dict["backoff"] = backoff
        if initial_interval_ms is not UNSET:
            field_dict["initialIntervalMs"] = initial_interval_ms
        if max_attempts is not UNSET:
            field_dict["maxAttempts"] = max_attempts
        if max_interval_ms is not UNSET:
            field_dict["maxIntervalMs"] = max_interval_ms

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        backoff = d.pop("backoff", UNSET)

        initial_interval_ms = d.pop("initialIntervalMs", UNSET)

        max_attempts = d.pop("maxAttempts", UNSET)

        max_interval_ms = d.pop("maxIntervalMs", UNSET)

        retry_spec = cls(
            backoff=backoff,
            initial_interval_ms=initial_interval_ms,
            max_attempts=max_attempts,
            max_interval_ms=max_interval_ms,
        )

        return retry_spec
