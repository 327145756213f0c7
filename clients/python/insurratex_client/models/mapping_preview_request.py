from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.mapping_input import MappingInput
    from ..models.mapping_preview_request_sample import MappingPreviewRequestSample


T = TypeVar("T", bound="MappingPreviewRequest")


@_attrs_define
class MappingPreviewRequest:
    """``POST .../mappings/preview``: a mapping, not saved, and the document to apply it to.

    Attributes:
        mapping (MappingInput): A named mapping of a product: what the engine compiles.
        sample (MappingPreviewRequestSample): The document it maps: a sample request (or response, for a response
            mapping).
    """

    mapping: MappingInput
    sample: MappingPreviewRequestSample
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        mapping = self.mapping.to_dict()

        sample = self.sample.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "mapping": mapping,
                "sample": sample,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.mapping_input import MappingInput  # noqa: PLC0415
        from ..models.mapping_preview_request_sample import MappingPreviewRequestSample  # noqa: PLC0415

        d = dict(src_dict)
        mapping = MappingInput.from_dict(d.pop("mapping"))

        sample = MappingPreviewRequestSample.from_dict(d.pop("sample"))

        mapping_preview_request = cls(
            mapping=mapping,
            sample=sample,
        )

        mapping_preview_request.additional_properties = d
        return mapping_preview_request

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
