from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.difference_kind import DifferenceKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="Difference")


@_attrs_define
class Difference:
    """One field that differs: its path (``premium.total``, ``items[3].rate``) and its two
    values (absent reads null; ``kind`` says which side lacks it).

        Attributes:
            path (str):
            after (Any | Unset):
            before (Any | Unset):
            kind (DifferenceKind | Unset):  Default: DifferenceKind.CHANGED.
    """

    path: str
    after: Any | Unset = UNSET
    before: Any | Unset = UNSET
    kind: DifferenceKind | Unset = DifferenceKind.CHANGED
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        path = self.path

        after = self.after

        before = self.before

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "path": path,
            }
        )
        if after is not UNSET:
            field_dict["after"] = after
        if before is not UNSET:
            field_dict["before"] = before
        if kind is not UNSET:
            field_dict["kind"] = kind

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        path = d.pop("path")

        after = d.pop("after", UNSET)

        before = d.pop("before", UNSET)

        _kind = d.pop("kind", UNSET)
        kind: DifferenceKind | Unset
        if isinstance(_kind, Unset):
            kind = UNSET
        else:
            kind = DifferenceKind(_kind)

        difference = cls(
            path=path,
            after=after,
            before=before,
            kind=kind,
        )

        difference.additional_properties = d
        return difference

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
