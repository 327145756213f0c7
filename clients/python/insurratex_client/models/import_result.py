from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.import_diff import ImportDiff
    from ..models.import_result_published import ImportResultPublished


T = TypeVar("T", bound="ImportResult")


@_attrs_define
class ImportResult:
    """
    Attributes:
        created (bool): The product did not exist before.
        diff (ImportDiff):
        dry_run (bool):
        product_code (str):
        published (ImportResultPublished | Unset): Endpoint -> the version published for it.
    """

    created: bool
    diff: ImportDiff
    dry_run: bool
    product_code: str
    published: ImportResultPublished | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created = self.created

        diff = self.diff.to_dict()

        dry_run = self.dry_run

        product_code = self.product_code

        published: dict[str, Any] | Unset = UNSET
        if not isinstance(self.published, Unset):
            published = self.published.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created": created,
                "diff": diff,
                "dryRun": dry_run,
                "productCode": product_code,
            }
        )
        if published is not UNSET:
            field_dict["published"] = published

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.import_diff import ImportDiff  # noqa: PLC0415
        from ..models.import_result_published import ImportResultPublished  # noqa: PLC0415

        d = dict(src_dict)
        created = d.pop("created")

        diff = ImportDiff.from_dict(d.pop("diff"))

        dry_run = d.pop("dryRun")

        product_code = d.pop("productCode")

        _published = d.pop("published", UNSET)
        published: ImportResultPublished | Unset
        if isinstance(_published, Unset):
            published = UNSET
        else:
            published = ImportResultPublished.from_dict(_published)

        import_result = cls(
            created=created,
            diff=diff,
            dry_run=dry_run,
            product_code=product_code,
            published=published,
        )

        import_result.additional_properties = d
        return import_result

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
