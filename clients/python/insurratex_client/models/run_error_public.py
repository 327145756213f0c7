from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.run_error_public_details import RunErrorPublicDetails


T = TypeVar("T", bound="RunErrorPublic")


@_attrs_define
class RunErrorPublic:
    """Why a run failed: the standard error, plus the step that failed (if one did).

    Attributes:
        code (str):
        message (str):
        timestamp (datetime.datetime):
        correlation_id (None | str | Unset):
        details (RunErrorPublicDetails | Unset):
        step (None | str | Unset):
    """

    code: str
    message: str
    timestamp: datetime.datetime
    correlation_id: None | str | Unset = UNSET
    details: RunErrorPublicDetails | Unset = UNSET
    step: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        message = self.message

        timestamp = self.timestamp.isoformat()

        correlation_id: None | str | Unset
        if isinstance(self.correlation_id, Unset):
            correlation_id = UNSET
        else:
            correlation_id = self.correlation_id

        details: dict[str, Any] | Unset = UNSET
        if not isinstance(self.details, Unset):
            details = self.details.to_dict()

        step: None | str | Unset
        if isinstance(self.step, Unset):
            step = UNSET
        else:
            step = self.step

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
                "timestamp": timestamp,
            }
        )
        if correlation_id is not UNSET:
            field_dict["correlationId"] = correlation_id
        if details is not UNSET:
            field_dict["details"] = details
        if step is not UNSET:
            field_dict["step"] = step

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.run_error_public_details import RunErrorPublicDetails  # noqa: PLC0415

        d = dict(src_dict)
        code = d.pop("code")

        message = d.pop("message")

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        def _parse_correlation_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        correlation_id = _parse_correlation_id(d.pop("correlationId", UNSET))

        _details = d.pop("details", UNSET)
        details: RunErrorPublicDetails | Unset
        if isinstance(_details, Unset):
            details = UNSET
        else:
            details = RunErrorPublicDetails.from_dict(_details)

        def _parse_step(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        step = _parse_step(d.pop("step", UNSET))

        run_error_public = cls(
            code=code,
            message=message,
            timestamp=timestamp,
            correlation_id=correlation_id,
            details=details,
            step=step,
        )

        run_error_public.additional_properties = d
        return run_error_public

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
