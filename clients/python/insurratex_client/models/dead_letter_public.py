from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.dead_letter_public_event import DeadLetterPublicEvent


T = TypeVar("T", bound="DeadLetterPublic")


@_attrs_define
class DeadLetterPublic:
    """An event whose delivery failed every attempt, kept to be replayed with its id.

    Attributes:
        attempts (int):
        created_at (datetime.datetime):
        event (DeadLetterPublicEvent):
        id (str):
        last_error (None | str):
        sink (str):
        transaction_id (str):
    """

    attempts: int
    created_at: datetime.datetime
    event: DeadLetterPublicEvent
    id: str
    last_error: None | str
    sink: str
    transaction_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attempts = self.attempts

        created_at = self.created_at.isoformat()

        event = self.event.to_dict()

        id = self.id

        last_error: None | str
        last_error = self.last_error

        sink = self.sink

        transaction_id = self.transaction_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attempts": attempts,
                "createdAt": created_at,
                "event": event,
                "id": id,
                "lastError": last_error,
                "sink": sink,
                "transactionId": transaction_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.dead_letter_public_event import DeadLetterPublicEvent  # noqa: PLC0415

        d = dict(src_dict)
        attempts = d.pop("attempts")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        event = DeadLetterPublicEvent.from_dict(d.pop("event"))

        id = d.pop("id")

        def _parse_last_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_error = _parse_last_error(d.pop("lastError"))

        sink = d.pop("sink")

        transaction_id = d.pop("transactionId")

        dead_letter_public = cls(
            attempts=attempts,
            created_at=created_at,
            event=event,
            id=id,
            last_error=last_error,
            sink=sink,
            transaction_id=transaction_id,
        )

        dead_letter_public.additional_properties = d
        return dead_letter_public

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
