from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.replay_accepted_status import ReplayAcceptedStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="ReplayAccepted")


@_attrs_define
class ReplayAccepted:
    """The answer of ``POST /api/v1/quarantine/{id}/replay``: the run of the document's
    transaction, started anew or still going.

        Attributes:
            location (str):
            transaction_id (str):
            replay_of (None | str | Unset): The transaction it re-runs (null: the original, still running).
            status (ReplayAcceptedStatus | Unset):  Default: ReplayAcceptedStatus.RUNNING.
    """

    location: str
    transaction_id: str
    replay_of: None | str | Unset = UNSET
    status: ReplayAcceptedStatus | Unset = ReplayAcceptedStatus.RUNNING
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        location = self.location

        transaction_id = self.transaction_id

        replay_of: None | str | Unset
        if isinstance(self.replay_of, Unset):
            replay_of = UNSET
        else:
            replay_of = self.replay_of

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
        if replay_of is not UNSET:
            field_dict["replayOf"] = replay_of
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        location = d.pop("location")

        transaction_id = d.pop("transactionId")

        def _parse_replay_of(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        replay_of = _parse_replay_of(d.pop("replayOf", UNSET))

        _status = d.pop("status", UNSET)
        status: ReplayAcceptedStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = ReplayAcceptedStatus(_status)

        replay_accepted = cls(
            location=location,
            transaction_id=transaction_id,
            replay_of=replay_of,
            status=status,
        )

        replay_accepted.additional_properties = d
        return replay_accepted

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
