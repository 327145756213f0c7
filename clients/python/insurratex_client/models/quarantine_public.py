from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.quarantine_public_details_type_0 import QuarantinePublicDetailsType0


T = TypeVar("T", bound="QuarantinePublic")


@_attrs_define
class QuarantinePublic:
    """
    Attributes:
        code (str):
        created_at (datetime.datetime):
        details (None | QuarantinePublicDetailsType0):
        document_bytes (int):
        document_ref (str):
        id (str):
        product_code (str):
        reason (str):
        step (str):
        transaction_id (str):
    """

    code: str
    created_at: datetime.datetime
    details: None | QuarantinePublicDetailsType0
    document_bytes: int
    document_ref: str
    id: str
    product_code: str
    reason: str
    step: str
    transaction_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.quarantine_public_details_type_0 import QuarantinePublicDetailsType0  # noqa: PLC0415

        code = self.code

        created_at = self.created_at.isoformat()

        details: dict[str, Any] | None
        if isinstance(self.details, QuarantinePublicDetailsType0):
            details = self.details.to_dict()
        else:
            details = self.details

        document_bytes = self.document_bytes

        document_ref = self.document_ref

        id = self.id

        product_code = self.product_code

        reason = self.reason

        step = self.step

        transaction_id = self.transaction_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "createdAt": created_at,
                "details": details,
                "documentBytes": document_bytes,
                "documentRef": document_ref,
                "id": id,
                "productCode": product_code,
                "reason": reason,
                "step": step,
                "transactionId": transaction_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.quarantine_public_details_type_0 import QuarantinePublicDetailsType0  # noqa: PLC0415

        d = dict(src_dict)
        code = d.pop("code")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        def _parse_details(data: object) -> None | QuarantinePublicDetailsType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                details_type_0 = QuarantinePublicDetailsType0.from_dict(data)

                return details_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | QuarantinePublicDetailsType0, data)

        details = _parse_details(d.pop("details"))

        document_bytes = d.pop("documentBytes")

        document_ref = d.pop("documentRef")

        id = d.pop("id")

        product_code = d.pop("productCode")

        reason = d.pop("reason")

        step = d.pop("step")

        transaction_id = d.pop("transactionId")

        quarantine_public = cls(
            code=code,
            created_at=created_at,
            details=details,
            document_bytes=document_bytes,
            document_ref=document_ref,
            id=id,
            product_code=product_code,
            reason=reason,
            step=step,
            transaction_id=transaction_id,
        )

        quarantine_public.additional_properties = d
        return quarantine_public

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
