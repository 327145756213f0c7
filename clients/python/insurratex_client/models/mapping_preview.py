from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.mapping_preview_document import MappingPreviewDocument


T = TypeVar("T", bound="MappingPreview")


@_attrs_define
class MappingPreview:
    """What the mapping made of the sample.

    Attributes:
        document (MappingPreviewDocument):
        fields_applied (int):
        fields_defaulted (int):
    """

    document: MappingPreviewDocument
    fields_applied: int
    fields_defaulted: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        document = self.document.to_dict()

        fields_applied = self.fields_applied

        fields_defaulted = self.fields_defaulted

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "document": document,
                "fieldsApplied": fields_applied,
                "fieldsDefaulted": fields_defaulted,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.mapping_preview_document import MappingPreviewDocument  # noqa: PLC0415

        d = dict(src_dict)
        document = MappingPreviewDocument.from_dict(d.pop("document"))

        fields_applied = d.pop("fieldsApplied")

        fields_defaulted = d.pop("fieldsDefaulted")

        mapping_preview = cls(
            document=document,
            fields_applied=fields_applied,
            fields_defaulted=fields_defaulted,
        )

        mapping_preview.additional_properties = d
        return mapping_preview

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
