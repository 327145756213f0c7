from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PlanLimits")


@_attrs_define
class PlanLimits:
    """
    Attributes:
        api_keys (int | None):
        mappings_per_product (int | None):
        max_payload_bytes (int):
        products (int | None):
        requests_per_minute (int):
        retention_days (int):
        rules_per_product (int | None):
    """

    api_keys: int | None
    mappings_per_product: int | None
    max_payload_bytes: int
    products: int | None
    requests_per_minute: int
    retention_days: int
    rules_per_product: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        api_keys: int | None
        api_keys = self.api_keys

        mappings_per_product: int | None
        mappings_per_product = self.mappings_per_product

        max_payload_bytes = self.max_payload_bytes

        products: int | None
        products = self.products

        requests_per_minute = self.requests_per_minute

        retention_days = self.retention_days

        rules_per_product: int | None
        rules_per_product = self.rules_per_product

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "apiKeys": api_keys,
                "mappingsPerProduct": mappings_per_product,
                "maxPayloadBytes": max_payload_bytes,
                "products": products,
                "requestsPerMinute": requests_per_minute,
                "retentionDays": retention_days,
                "rulesPerProduct": rules_per_product,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_api_keys(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        api_keys = _parse_api_keys(d.pop("apiKeys"))

        def _parse_mappings_per_product(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        mappings_per_product = _parse_mappings_per_product(d.pop("mappingsPerProduct"))

        max_payload_bytes = d.pop("maxPayloadBytes")

        def _parse_products(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        products = _parse_products(d.pop("products"))

        requests_per_minute = d.pop("requestsPerMinute")

        retention_days = d.pop("retentionDays")

        def _parse_rules_per_product(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        rules_per_product = _parse_rules_per_product(d.pop("rulesPerProduct"))

        plan_limits = cls(
            api_keys=api_keys,
            mappings_per_product=mappings_per_product,
            max_payload_bytes=max_payload_bytes,
            products=products,
            requests_per_minute=requests_per_minute,
            retention_days=retention_days,
            rules_per_product=rules_per_product,
        )

        plan_limits.additional_properties = d
        return plan_limits

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
