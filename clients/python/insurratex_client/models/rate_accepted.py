from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.rate_accepted_status import RateAcceptedStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="RateAccepted")


@_attrs_define
class RateAccepted:
    """The answer of an asynchronous rate request (``Prefer: respond-async``).

    Attributes:
        location (str):
        transaction_id (str):
        status (RateAcceptedStatus | Unset):  Default: RateAcceptedStatus.RUNNING.
    """

    location: str
    transaction_id: str
    status: RateAcceptedStatus | Unset = RateAcceptedStatus.RUNNING
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        location = self.location

        transaction_id = self.transaction_id

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "location": location,
                "transactionId": transaction_id,
            }
        )
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        location = d.pop("location")

        transaction_id = d.pop("transactionId")

        _status = d.pop("status", UNSET)
        status: RateAcceptedStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = RateAcceptedStatus(_status)

        rate_accepted = cls(
            location=location,
            transaction_id=transaction_id,
            status=status,
        )

        rate_accepted.additional_properties = d
        return rate_accepted

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
