from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.mapping_base_direction import MappingBaseDirection
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.field_mapping_input import FieldMappingInput


T = TypeVar("T", bound="MappingBase")


@_attrs_define
class MappingBase:
    """
    Attributes:
        fields (list[FieldMappingInput]):
        direction (MappingBaseDirection | Unset):  Default: MappingBaseDirection.REQUEST.
    """

    fields: list[FieldMappingInput]
    direction: MappingBaseDirection | Unset = MappingBaseDirection.REQUEST
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        fields = []
        for fields_item_data in self.fields:
            fields_item = fields_item_data.to_dict()
            fields.append(fields_item)

        direction: str | Unset = UNSET
        if not isinstance(self.direction, Unset):
            direction = self.direction.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "fields": fields,
            }
        )
        if direction is not UNSET:
            field_dict["direction"] = direction

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.field_mapping_input import FieldMappingInput  # noqa: PLC0415

        d = dict(src_dict)
        fields = []
        _fields = d.pop("fields")
        for fields_item_data in _fields:
            fields_item = FieldMappingInput.from_dict(fields_item_data)

            fields.append(fields_item)

        _direction = d.pop("direction", UNSET)
        direction: MappingBaseDirection | Unset
        if isinstance(_direction, Unset):
            direction = UNSET
        else:
            direction = MappingBaseDirection(_direction)

        mapping_base = cls(
            fields=fields,
            direction=direction,
        )

        mapping_base.additional_properties = d
        return mapping_base

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
