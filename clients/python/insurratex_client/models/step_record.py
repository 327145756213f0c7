from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.step_record_status import StepRecordStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.step_error import StepError
    from ..models.step_record_detail import StepRecordDetail


T = TypeVar("T", bound="StepRecord")


@_attrs_define
class StepRecord:
    """One line of a transaction's step log.

    Attributes:
        name (str):
        status (StepRecordStatus):
        type_ (str):
        attempts (int | Unset):  Default: 0.
        detail (StepRecordDetail | Unset):
        duration_ms (float | Unset):  Default: 0.0.
        error (None | StepError | Unset):
    """

    name: str
    status: StepRecordStatus
    type_: str
    attempts: int | Unset = 0
    detail: StepRecordDetail | Unset = UNSET
    duration_ms: float | Unset = 0.0
    error: None | StepError | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.step_error import StepError  # noqa: PLC0415

        name = self.name

        status = self.status.value

        type_ = self.type_

        attempts = self.attempts

        detail: dict[str, Any] | Unset = UNSET
        if not isinstance(self.detail, Unset):
            detail = self.detail.to_dict()

        duration_ms = self.duration_ms

        error: dict[str, Any] | None | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        elif isinstance(self.error, StepError):
            error = self.error.to_dict()
        else:
            error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "status": status,
                "type": type_,
            }
        )
        if attempts is not UNSET:
            field_dict["attempts"] = attempts
        if detail is not UNSET:
            field_dict["detail"] = detail
        if duration_ms is not UNSET:
            field_dict["durationMs"] = duration_ms
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.step_error import StepError  # noqa: PLC0415
        from ..models.step_record_detail import StepRecordDetail  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        status = StepRecordStatus(d.pop("status"))

        type_ = d.pop("type")

        attempts = d.pop("attempts", UNSET)

        _detail = d.pop("detail", UNSET)
        detail: StepRecordDetail | Unset
        if isinstance(_detail, Unset):
            detail = UNSET
        else:
            detail = StepRecordDetail.from_dict(_detail)

        duration_ms = d.pop("durationMs", UNSET)

        def _parse_error(data: object) -> None | StepError | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = StepError.from_dict(data)

                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StepError | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        step_record = cls(
            name=name,
            status=status,
            type_=type_,
            attempts=attempts,
            detail=detail,
            duration_ms=duration_ms,
            error=error,
        )

        step_record.additional_properties = d
        return step_record

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
