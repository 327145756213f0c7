from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="LargestChange")


@_attrs_define
class LargestChange:
    """
    Attributes:
        delta_pct (float | None):
        premium_after (float | None):
        premium_before (float | None):
        rerate_transaction_id (None | str):
        transaction_id (str):
    """

    delta_pct: float | None
    premium_after: float | None
    premium_before: float | None
    rerate_transaction_id: None | str
    transaction_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        delta_pct: float | None
        delta_pct = self.delta_pct

        premium_after: float | None
        premium_after = self.premium_after

        premium_before: float | None
        premium_before = self.premium_before

        rerate_transaction_id: None | str
        rerate_transaction_id = self.rerate_transaction_id

        transaction_id = self.transaction_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "deltaPct": delta_pct,
                "premiumAfter": premium_after,
                "premiumBefore": premium_before,
                "rerateTransactionId": rerate_transaction_id,
                "transactionId": transaction_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_delta_pct(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        delta_pct = _parse_delta_pct(d.pop("deltaPct"))

        def _parse_premium_after(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        premium_after = _parse_premium_after(d.pop("premiumAfter"))

        def _parse_premium_before(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        premium_before = _parse_premium_before(d.pop("premiumBefore"))

        def _parse_rerate_transaction_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        rerate_transaction_id = _parse_rerate_transaction_id(d.pop("rerateTransactionId"))

        transaction_id = d.pop("transactionId")

        largest_change = cls(
            delta_pct=delta_pct,
            premium_after=premium_after,
            premium_before=premium_before,
            rerate_transaction_id=rerate_transaction_id,
            transaction_id=transaction_id,
        )

        largest_change.additional_properties = d
        return largest_change

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
