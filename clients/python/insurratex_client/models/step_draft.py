from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.step_draft_onerror import StepDraftOnerror
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.retry_spec import RetrySpec
    from ..models.step_draft_config import StepDraftConfig


T = TypeVar("T", bound="StepDraft")


@_attrs_define
class StepDraft:
    """A step as a config author writes it; omitted settings take the type's defaults.

    Attributes:
        name (str): Unique in the flow; no slashes or control characters (it names documents).
        type_ (str):
        condition (None | str | Unset): JMESPath over the working data; the step is skipped unless truthy.
        config (StepDraftConfig | Unset):
        drop (list[str] | Unset): Keys (dotted paths of object keys) removed from the working document once the step has
            succeeded: what later steps no longer need (the schedule once it is XML, the engine's XML once it is read), so a
            large document stops carrying it.
        local (bool | None | Unset): Run as a local activity (type default if unset).
        on_error (StepDraftOnerror | Unset):  Default: StepDraftOnerror.FAIL.
        retry (None | RetrySpec | Unset):
        timeout_ms (int | None | Unset):
    """

    name: str
    type_: str
    condition: None | str | Unset = UNSET
    config: StepDraftConfig | Unset = UNSET
    drop: list[str] | Unset = UNSET
    local: bool | None | Unset = UNSET
    on_error: StepDraftOnerror | Unset = StepDraftOnerror.FAIL
    retry: None | RetrySpec | Unset = UNSET
    timeout_ms: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.retry_spec import RetrySpec  # noqa: PLC0415

        name = self.name

        type_ = self.type_

        condition: None | str | Unset
        if isinstance(self.condition, Unset):
            condition = UNSET
        else:
            condition = self.condition

        config: dict[str, Any] | Unset = UNSET
        if not isinstance(self.config, Unset):
            config = self.config.to_dict()

        drop: list[str] | Unset = UNSET
        if not isinstance(self.drop, Unset):
            drop = self.drop

        local: bool | None | Unset
        if isinstance(self.local, Unset):
            local = UNSET
        else:
            local = self.local

        on_error: str | Unset = UNSET
        if not isinstance(self.on_error, Unset):
            on_error = self.on_error.value

        retry: dict[str, Any] | None | Unset
        if isinstance(self.retry, Unset):
            retry = UNSET
        elif isinstance(self.retry, RetrySpec):
            retry = self.retry.to_dict()
        else:
            retry = self.retry

        timeout_ms: int | None | Unset
        if isinstance(self.timeout_ms, Unset):
            timeout_ms = UNSET
        else:
            timeout_ms = self.timeout_ms

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "type": type_,
            }
        )
        if condition is not UNSET:
            field_dict["condition"] = condition
        if config is not UNSET:
            field_dict["config"] = config
        if drop is not UNSET:
            field_dict["drop"] = drop
        if local is not UNSET:
            field_dict["local"] = local
        if on_error is not UNSET:
            field_dict["onError"] = on_error
        if retry is not UNSET:
            field_dict["retry"] = retry
        if timeout_ms is not UNSET:
            field_dict["timeoutMs"] = timeout_ms

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.retry_spec import RetrySpec  # noqa: PLC0415
        from ..models.step_draft_config import StepDraftConfig  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        type_ = d.pop("type")

        def _parse_condition(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        condition = _parse_condition(d.pop("condition", UNSET))

        _config = d.pop("config", UNSET)
        config: StepDraftConfig | Unset
        if isinstance(_config, Unset):
            config = UNSET
        else:
            config = StepDraftConfig.from_dict(_config)

        drop = cast(list[str], d.pop("drop", UNSET))

        def _parse_local(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        local = _parse_local(d.pop("local", UNSET))

        _on_error = d.pop("onError", UNSET)
        on_error: StepDraftOnerror | Unset
        if isinstance(_on_error, Unset):
            on_error = UNSET
        else:
            on_error = StepDraftOnerror(_on_error)

        def _parse_retry(data: object) -> None | RetrySpec | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                retry_type_0 = RetrySpec.from_dict(data)

                return retry_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RetrySpec | Unset, data)

        retry = _parse_retry(d.pop("retry", UNSET))

        def _parse_timeout_ms(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        timeout_ms = _parse_timeout_ms(d.pop("timeoutMs", UNSET))

        step_draft = cls(
            name=name,
            type_=type_,
            condition=condition,
            config=config,
            drop=drop,
            local=local,
            on_error=on_error,
            retry=retry,
            timeout_ms=timeout_ms,
        )

        return step_draft
