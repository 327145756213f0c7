from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.rate_response_mode import RateResponseMode
from ..models.rate_response_status import RateResponseStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.run_error_public import RunErrorPublic
    from ..models.step_record import StepRecord


T = TypeVar("T", bound="RateResponse")


@_attrs_define
class RateResponse:
    """The answer of ``POST /api/v1/{productCode}/{endpoint}``.

    Attributes:
        endpoint (str):
        flow_version (int):
        product_code (str):
        status (RateResponseStatus):
        transaction_id (str):
        duration_ms (float | None | Unset):
        error (None | RunErrorPublic | Unset):
        mode (RateResponseMode | Unset): live, or simulation: it published no event and joined no hash chain (a draft, a
            version not in force, a re-rating, an impact analysis, a challenger). Default: RateResponseMode.LIVE.
        result (Any | Unset):
        steps (list[StepRecord] | Unset):
    """

    endpoint: str
    flow_version: int
    product_code: str
    status: RateResponseStatus
    transaction_id: str
    duration_ms: float | None | Unset = UNSET
    error: None | RunErrorPublic | Unset = UNSET
    mode: RateResponseMode | Unset = RateResponseMode.LIVE
    result: Any | Unset = UNSET
    steps: list[StepRecord] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.run_error_public import RunErrorPublic  # noqa: PLC0415

        endpoint = self.endpoint

        flow_version = self.flow_version

        product_code = self.product_code

        status = self.status.value

        transaction_id = self.transaction_id

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
                "endpoint": endpoint,
                "flowVersion": flow_version,
                "productCode": product_code,
                "status": status,
                "transactionId": transaction_id,
            }
        )
        if duration_ms is not UNSET:
            field_dict["durationMs"] = duration_ms
        if error is not UNSET:
            field_dict["error"] = error
        if mode is not UNSET:
            field_dict["mode"] = mode
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
        endpoint = d.pop("endpoint")

        flow_version = d.pop("flowVersion")

        product_code = d.pop("productCode")

        status = RateResponseStatus(d.pop("status"))

        transaction_id = d.pop("transactionId")

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
        mode: RateResponseMode | Unset
        if isinstance(_mode, Unset):
            mode = UNSET
        else:
            mode = RateResponseMode(_mode)

        result = d.pop("result", UNSET)

        _steps = d.pop("steps", UNSET)
        steps: list[StepRecord] | Unset = UNSET
        if _steps is not UNSET:
            steps = []
            for steps_item_data in _steps:
                steps_item = StepRecord.from_dict(steps_item_data)

                steps.append(steps_item)

        rate_response = cls(
            endpoint=endpoint,
            flow_version=flow_version,
            product_code=product_code,
            status=status,
            transaction_id=transaction_id,
            duration_ms=duration_ms,
            error=error,
            mode=mode,
            result=result,
            steps=steps,
        )

        rate_response.additional_properties = d
        return rate_response

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
