from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ChallengerPublic")


@_attrs_define
class ChallengerPublic:
    """
    Attributes:
        asked (str): What was asked for: draft, or the version number.
        created_at (datetime.datetime):
        endpoint (str):
        premium_path (str):
        product_code (str):
        sample (float):
        version (int):
    """

    asked: str
    created_at: datetime.datetime
    endpoint: str
    premium_path: str
    product_code: str
    sample: float
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        asked = self.asked

        created_at = self.created_at.isoformat()

        endpoint = self.endpoint

        premium_path = self.premium_path

        product_code = self.product_code

        sample = self.sample

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "asked": asked,
                "createdAt": created_at,
                "endpoint": endpoint,
                "premiumPath": premium_path,
                "productCode": product_code,
                "sample": sample,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        asked = d.pop("asked")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        endpoint = d.pop("endpoint")

        premium_path = d.pop("premiumPath")

        product_code = d.pop("productCode")

        sample = d.pop("sample")

        version = d.pop("version")

        challenger_public = cls(
            asked=asked,
            created_at=created_at,
            endpoint=endpoint,
            premium_path=premium_path,
            product_code=product_code,
            sample=sample,
            version=version,
        )

        challenger_public.additional_properties = d
        return challenger_public

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
