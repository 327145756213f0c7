from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.mapping_input_direction import MappingInputDirection
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.field_mapping_input import FieldMappingInput


T = TypeVar("T", bound="MappingInput")


@_attrs_define
class MappingInput:
    """A named mapping of a product: what the engine compiles.

    Attributes:
        fields (list[FieldMappingInput]):
        name (str):
        direction (MappingInputDirection | Unset):  Default: MappingInputDirection.REQUEST.
    """

    fields: list[FieldMappingInput]
    name: str
    direction: MappingInputDirection | Unset = MappingInputDirection.REQUEST
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        fields = []
        for fields_item_data in self.fields:
            fields_item = fields_item_data.to_dict()
            fields.append(fields_item)

        name = self.name

        direction: str | Unset = UNSET
        if not isinstance(self.direction, Unset):
            direction = self.direction.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "fields": fields,
                "name": name,
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

        name = d.pop("name")

        _direction = d.pop("direction", UNSET)
        direction: MappingInputDirection | Unset
        if isinstance(_direction, Unset):
            direction = UNSET
        else:
            direction = MappingInputDirection(_direction)

        mapping_input = cls(
            fields=fields,
            name=name,
            direction=direction,
        )

        mapping_input.additional_properties = d
        return mapping_input

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
