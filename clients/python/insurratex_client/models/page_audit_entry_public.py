from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.audit_entry_public import AuditEntryPublic
    from ..models.page_audit_entry_public_links import PageAuditEntryPublicLinks


T = TypeVar("T", bound="PageAuditEntryPublic")


@_attrs_define
class PageAuditEntryPublic:
    """
    Attributes:
        items (list[AuditEntryPublic]):
        links (PageAuditEntryPublicLinks):
        page (int):
        page_size (int):
        total (int):
    """

    items: list[AuditEntryPublic]
    links: PageAuditEntryPublicLinks
    page: int
    page_size: int
    total: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        links = self.links.to_dict()

        page = self.page

        page_size = self.page_size

        total = self.total

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "items": items,
                "links": links,
                "page": page,
                "pageSize": page_size,
                "total": total,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audit_entry_public import AuditEntryPublic  # noqa: PLC0415
        from ..models.page_audit_entry_public_links import PageAuditEntryPublicLinks  # noqa: PLC0415

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = AuditEntryPublic.from_dict(items_item_data)

            items.append(items_item)

        links = PageAuditEntryPublicLinks.from_dict(d.pop("links"))

        page = d.pop("page")

        page_size = d.pop("pageSize")

        total = d.pop("total")

        page_audit_entry_public = cls(
            items=items,
            links=links,
            page=page,
            page_size=page_size,
            total=total,
        )

        page_audit_entry_public.additional_properties = d
        return page_audit_entry_public

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
