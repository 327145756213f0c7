from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ChallengerResult")


@_attrs_define
class ChallengerResult:
    """One live rating and its challenger's re-rating.

    Attributes:
        challenger_transaction_id (str):
        created_at (datetime.datetime):
        delta_pct (float | None):
        premium_after (float | None):
        premium_before (float | None):
        status_after (None | str):
        status_before (str):
        transaction_id (str):
        version (int):
    """

    challenger_transaction_id: str
    created_at: datetime.datetime
    delta_pct: float | None
    premium_after: float | None
    premium_before: float | None
    status_after: None | str
    status_before: str
    transaction_id: str
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        challenger_transaction_id = self.challenger_transaction_id

        created_at = self.created_at.isoformat()

        delta_pct: float | None
        delta_pct = self.delta_pct

        premium_after: float | None
        premium_after = self.premium_after

        premium_before: float | None
        premium_before = self.premium_before

        status_after: None | str
        status_after = self.status_after

        status_before = self.status_before

        transaction_id = self.transaction_id

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "challengerTransactionId": challenger_transaction_id,
                "createdAt": created_at,
                "deltaPct": delta_pct,
                "premiumAfter": premium_after,
                "premiumBefore": premium_before,
                "statusAfter": status_after,
                "statusBefore": status_before,
                "transactionId": transaction_id,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        challenger_transaction_id = d.pop("challengerTransactionId")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

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

        def _parse_status_after(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        status_after = _parse_status_after(d.pop("statusAfter"))

        status_before = d.pop("statusBefore")

        transaction_id = d.pop("transactionId")

        version = d.pop("version")

        challenger_result = cls(
            challenger_transaction_id=challenger_transaction_id,
            created_at=created_at,
            delta_pct=delta_pct,
            premium_after=premium_after,
            premium_before=premium_before,
            status_after=status_after,
            status_before=status_before,
            transaction_id=transaction_id,
            version=version,
        )

        challenger_result.additional_properties = d
        return challenger_result

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
