from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.timeline_warning_kind import TimelineWarningKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="TimelineWarning")


@_attrs_define
class TimelineWarning:
    """What a publish leaves that a caller would not expect.

    ``gap``: no version rates the dates before ``effectiveFrom`` (such requests are
    refused, NO_EFFECTIVE_VERSION). ``overlap``: ``version`` rates no date at all, as
    ``shadowedBy``, newer and effective earlier, rates from its date on.

        Attributes:
            kind (TimelineWarningKind):
            message (str):
            effective_from (datetime.date | None | Unset):
            shadowed_by (int | None | Unset):
            version (int | None | Unset):
    """

    kind: TimelineWarningKind
    message: str
    effective_from: datetime.date | None | Unset = UNSET
    shadowed_by: int | None | Unset = UNSET
    version: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        message = self.message

        effective_from: None | str | Unset
        if isinstance(self.effective_from, Unset):
            effective_from = UNSET
        elif isinstance(self.effective_from, datetime.date):
            effective_from = self.effective_from.isoformat()
        else:
            effective_from = self.effective_from

        shadowed_by: int | None | Unset
        if isinstance(self.shadowed_by, Unset):
            shadowed_by = UNSET
        else:
            shadowed_by = self.shadowed_by

        version: int | None | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "message": message,
            }
        )
        if effective_from is not UNSET:
            field_dict["effectiveFrom"] = effective_from
        if shadowed_by is not UNSET:
            field_dict["shadowedBy"] = shadowed_by
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = TimelineWarningKind(d.pop("kind"))

        message = d.pop("message")

        def _parse_effective_from(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                effective_from_type_0 = datetime.date.fromisoformat(data)

                return effective_from_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        effective_from = _parse_effective_from(d.pop("effectiveFrom", UNSET))

        def _parse_shadowed_by(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        shadowed_by = _parse_shadowed_by(d.pop("shadowedBy", UNSET))

        def _parse_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        timeline_warning = cls(
            kind=kind,
            message=message,
            effective_from=effective_from,
            shadowed_by=shadowed_by,
            version=version,
        )

        timeline_warning.additional_properties = d
        return timeline_warning

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
