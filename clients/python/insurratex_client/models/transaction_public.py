from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.transaction_public_mode import TransactionPublicMode
from ..models.transaction_public_status import TransactionPublicStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.run_error_public import RunErrorPublic
    from ..models.step_record import StepRecord


T = TypeVar("T", bound="TransactionPublic")


@_attrs_define
class TransactionPublic:
    """
    Attributes:
        correlation_id (str):
        endpoint (str):
        flow_version (int):
        product_code (str):
        request_bytes (int):
        request_hash (str):
        started_at (datetime.datetime):
        status (TransactionPublicStatus):
        transaction_id (str):
        workflow_id (str):
        completed_at (datetime.datetime | None | Unset):
        duration_ms (float | None | Unset):
        error (None | RunErrorPublic | Unset):
        mode (TransactionPublicMode | Unset): live, or simulation: it published no event and joined no hash chain (a
            draft, a version not in force, a re-rating, an impact analysis, a challenger). Default:
            TransactionPublicMode.LIVE.
        replay_of (None | str | Unset): The transaction this one re-runs (a quarantined document's replay).
        response_bytes (int | None | Unset):
        result (Any | Unset):
        steps (list[StepRecord] | Unset):
    """

    correlation_id: str
    endpoint: str
    flow_version: int
    product_code: str
    request_bytes: int
    request_hash: str
    started_at: datetime.datetime
    status: TransactionPublicStatus
    transaction_id: str
    workflow_id: str
    completed_at: datetime.datetime | None | Unset = UNSET
    duration_ms: float | None | Unset = UNSET
    error: None | RunErrorPublic | Unset = UNSET
    mode: TransactionPublicMode | Unset = TransactionPublicMode.LIVE
    replay_of: None | str | Unset = UNSET
    response_bytes: int | None | Unset = UNSET
    result: Any | Unset = UNSET
    steps: list[StepRecord] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.run_error_public import RunErrorPublic  # noqa: PLC0415

        correlation_id = self.correlation_id

        endpoint = self.endpoint

        flow_version = self.flow_version

        product_code = self.product_code

        request_bytes = self.request_bytes

        request_hash = self.request_hash

        started_at = self.started_at.isoformat()

        status = self.status.value

        transaction_id = self.transaction_id

        workflow_id = self.workflow_id

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

        error: dict[str, Any] | None | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        elif isinstance(self.error, RunErrorPublic):
            error = self.error.to_dict()
        else:
            error = self.error

        mode: str | Unset = UNSET
        if not isinstance(self.mode, Unset):
            mode = self.mode.value

        replay_of: None | str | Unset
        if isinstance(self.replay_of, Unset):
            replay_of = UNSET
        else:
            replay_of = self.replay_of

        response_bytes: int | None | Unset
        if isinstance(self.response_bytes, Unset):
            response_bytes = UNSET
        else:
            response_bytes = self.response_bytes

        result = self.result

        steps: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.steps, Unset):
            steps = []
            for steps_item_data in self.steps:
                steps_item = steps_item_data.to_dict()
                steps.append(steps_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "correlationId": correlation_id,
                "endpoint": endpoint,
                "flowVersion": flow_version,
                "productCode": product_code,
                "requestBytes": request_bytes,
                "requestHash": request_hash,
                "startedAt": started_at,
                "status": status,
                "transactionId": transaction_id,
                "workflowId": workflow_id,
            }
        )
        if completed_at is not UNSET:
            field_dict["completedAt"] = completed_at
        if duration_ms is not UNSET:
            field_dict["durationMs"] = duration_ms
        if error is not UNSET:
            field_dict["error"] = error
        if mode is not UNSET:
            field_dict["mode"] = mode
        if replay_of is not UNSET:
            field_dict["replayOf"] = replay_of
        if response_bytes is not UNSET:
            field_dict["responseBytes"] = response_bytes
        if result is not UNSET:
            field_dict["result"] = result
        if steps is not UNSET:
            field_dict["steps"] = steps

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.run_error_public import RunErrorPublic  # noqa: PLC0415
        from ..models.step_record import StepRecord  # noqa: PLC0415

        d = dict(src_dict)
        correlation_id = d.pop("correlationId")

        endpoint = d.pop("endpoint")

        flow_version = d.pop("flowVersion")

        product_code = d.pop("productCode")

        request_bytes = d.pop("requestBytes")

        request_hash = d.pop("requestHash")

        started_at = datetime.datetime.fromisoformat(d.pop("startedAt"))

        status = TransactionPublicStatus(d.pop("status"))

        transaction_id = d.pop("transactionId")

        workflow_id = d.pop("workflowId")

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

        def _parse_error(data: object) -> None | RunErrorPublic | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = RunErrorPublic.from_dict(data)

                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RunErrorPublic | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        _mode = d.pop("mode", UNSET)
        mode: TransactionPublicMode | Unset
        if isinstance(_mode, Unset):
            mode = UNSET
        else:
            mode = TransactionPublicMode(_mode)

        def _parse_replay_of(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        replay_of = _parse_replay_of(d.pop("replayOf", UNSET))

        def _parse_response_bytes(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        response_bytes = _parse_response_bytes(d.pop("responseBytes", UNSET))

        result = d.pop("result", UNSET)

        _steps = d.pop("steps", UNSET)
        steps: list[StepRecord] | Unset = UNSET
        if _steps is not UNSET:
            steps = []
            for steps_item_data in _steps:
                steps_item = StepRecord.from_dict(steps_item_data)

                steps.append(steps_item)

        transaction_public = cls(
            correlation_id=correlation_id,
            endpoint=endpoint,
            flow_version=flow_version,
            product_code=product_code,
            request_bytes=request_bytes,
            request_hash=request_hash,
            started_at=started_at,
            status=status,
            transaction_id=transaction_id,
            workflow_id=workflow_id,
            completed_at=completed_at,
            duration_ms=duration_ms,
            error=error,
            mode=mode,
            replay_of=replay_of,
            response_bytes=response_bytes,
            result=result,
            steps=steps,
        )

        transaction_public.additional_properties = d
        return transaction_public

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
