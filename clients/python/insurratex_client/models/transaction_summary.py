from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.transaction_summary_mode import TransactionSummaryMode
from ..models.transaction_summary_status import TransactionSummaryStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="TransactionSummary")


@_attrs_define
class TransactionSummary:
    """
    Attributes:
        correlation_id (str):
        endpoint (str):
        flow_version (int):
        product_code (str):
        started_at (datetime.datetime):
        status (TransactionSummaryStatus):
        transaction_id (str):
        completed_at (datetime.datetime | None | Unset):
        duration_ms (float | None | Unset):
        error_code (None | str | Unset):
        mode (TransactionSummaryMode | Unset):  Default: TransactionSummaryMode.LIVE.
    """

    correlation_id: str
    endpoint: str
    flow_version: int
    product_code: str
    started_at: datetime.datetime
    status: TransactionSummaryStatus
    transaction_id: str
    completed_at: datetime.datetime | None | Unset = UNSET
    duration_ms: float | None | Unset = UNSET
    error_code: None | str | Unset = UNSET
    mode: TransactionSummaryMode | Unset = TransactionSummaryMode.LIVE
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        correlation_id = self.correlation_id

        endpoint = self.endpoint

        flow_version = self.flow_version

        product_code = self.product_code

        started_at = self.started_at.isoformat()

        status = self.status.value

        transaction_id = self.transaction_id

        completed_at: None | str | Unset
        if isinstance(self.completed_at, Unset):
            completed_at = UNSET
        elif isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        duration_ms: float | None | Unset
        if isinstance(self.duration_ms, Unset):
            duration_ms = UNSET
        else:
            duration_ms = self.duration_ms

        error_code: None | str | Unset
        if isinstance(self.error_code, Unset):
            error_code = UNSET
        else:
            error_code = self.error_code

        mode: str | Unset = UNSET
        if not isinstance(self.mode, Unset):
            mode = self.mode.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "correlationId": correlation_id,
                "endpoint": endpoint,
                "flowVersion": flow_version,
                "productCode": product_code,
                "startedAt": started_at,
                "status": status,
                "transactionId": transaction_id,
            }
        )
        if completed_at is not UNSET:
            field_dict["completedAt"] = completed_at
        if duration_ms is not UNSET:
            field_dict["durationMs"] = duration_ms
        if error_code is not UNSET:
            field_dict["errorCode"] = error_code
        if mode is not UNSET:
            field_dict["mode"] = mode

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        correlation_id = d.pop("correlationId")

        endpoint = d.pop("endpoint")

        flow_version = d.pop("flowVersion")

        product_code = d.pop("productCode")

        started_at = datetime.datetime.fromisoformat(d.pop("startedAt"))

        status = TransactionSummaryStatus(d.pop("status"))

        transaction_id = d.pop("transactionId")

        def _parse_completed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)

                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        completed_at = _parse_completed_at(d.pop("completedAt", UNSET))

        def _parse_duration_ms(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        duration_ms = _parse_duration_ms(d.pop("durationMs", UNSET))

        def _parse_error_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error_code = _parse_error_code(d.pop("errorCode", UNSET))

        _mode = d.pop("mode", UNSET)
        mode: TransactionSummaryMode | Unset
        if isinstance(_mode, Unset):
            mode = UNSET
        else:
            mode = TransactionSummaryMode(_mode)

        transaction_summary = cls(
            correlation_id=correlation_id,
            endpoint=endpoint,
            flow_version=flow_version,
            product_code=product_code,
            started_at=started_at,
            status=status,
            transaction_id=transaction_id,
            completed_at=completed_at,
            duration_ms=duration_ms,
            error_code=error_code,
            mode=mode,
        )

        transaction_summary.additional_properties = d
        return transaction_summary

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
