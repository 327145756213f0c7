from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.mapping_public_direction import MappingPublicDirection
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.field_mapping_output import FieldMappingOutput


T = TypeVar("T", bound="MappingPublic")


@_attrs_define
class MappingPublic:
    """
    Attributes:
        fields (list[FieldMappingOutput]):
        name (str):
        revision (int):
        updated_at (datetime.datetime):
        direction (MappingPublicDirection | Unset):  Default: MappingPublicDirection.REQUEST.
    """

    fields: list[FieldMappingOutput]
    name: str
    revision: int
    updated_at: datetime.datetime
    direction: MappingPublicDirection | Unset = MappingPublicDirection.REQUEST
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        fields = []
        for fields_item_data in self.fields:
            fields_item = fields_item_data.to_dict()
            fields.append(fields_item)

        name = self.name

        revision = self.revision

        updated_at = self.updated_at.isoformat()

        direction: str | Unset = UNSET
        if not isinstance(self.direction, Unset):
            direction = self.direction.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "fields": fields,
                "name": name,
                "revision": revision,
                "updatedAt": updated_at,
            }
        )
        if direction is not UNSET:
            field_dict["direction"] = direction

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.field_mapping_output import FieldMappingOutput  # noqa: PLC0415

        d = dict(src_dict)
        fields = []
        _fields = d.pop("fields")
        for fields_item_data in _fields:
            fields_item = FieldMappingOutput.from_dict(fields_item_data)

            fields.append(fields_item)

        name = d.pop("name")

        revision = d.pop("revision")

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        _direction = d.pop("direction", UNSET)
        direction: MappingPublicDirection | Unset
        if isinstance(_direction, Unset):
            direction = UNSET
        else:
            direction = MappingPublicDirection(_direction)

        mapping_public = cls(
            fields=fields,
            name=name,
            revision=revision,
            updated_at=updated_at,
            direction=direction,
        )

        mapping_public.additional_properties = d
        return mapping_public

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
