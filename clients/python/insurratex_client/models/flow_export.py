from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.step_draft import StepDraft


T = TypeVar("T", bound="FlowExport")


@_attrs_define
class FlowExport:
    """One published version of an endpoint's flow; an endpoint whose rate changes take
    effect on dates has one per version in force, each with its ``effectiveFrom``.

        Attributes:
            endpoint (str):
            name (str):
            steps (list[StepDraft]):
            batch_local_steps (bool | Unset):  Default: False.
            effective_from (datetime.date | None | Unset): The first request date it rates (null: since always).
    """

    endpoint: str
    name: str
    steps: list[StepDraft]
    batch_local_steps: bool | Unset = False
    effective_from: datetime.date | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        endpoint = self.endpoint

        name = self.name

        steps = []
        for steps_item_data in self.steps:
            steps_item = steps_item_data.to_dict()
            steps.append(steps_item)

        batch_local_steps = self.batch_local_steps

        effective_from: None | str | Unset
        if isinstance(self.effective_from, Unset):
            effective_from = UNSET
        elif isinstance(self.effective_from, datetime.date):
            effective_from = self.effective_from.isoformat()
        else:
            effective_from = self.effective_from

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "endpoint": endpoint,
                "name": name,
                "steps": steps,
            }
        )
        if batch_local_steps is not UNSET:
            field_dict["batchLocalSteps"] = batch_local_steps
        if effective_from is not UNSET:
            field_dict["effectiveFrom"] = effective_from

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.step_draft import StepDraft  # noqa: PLC0415

        d = dict(src_dict)
        endpoint = d.pop("endpoint")

        name = d.pop("name")

        steps = []
        _steps = d.pop("steps")
        for steps_item_data in _steps:
            steps_item = StepDraft.from_dict(steps_item_data)

            steps.append(steps_item)

        batch_local_steps = d.pop("batchLocalSteps", UNSET)

        def _parse_effective_from(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                effective_from_type_0 = datetime.date.fromisoformat(data)

                return effective_from_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        effective_from = _parse_effective_from(d.pop("effectiveFrom", UNSET))

        flow_export = cls(
            endpoint=endpoint,
            name=name,
            steps=steps,
            batch_local_steps=batch_local_steps,
            effective_from=effective_from,
        )

        flow_export.additional_properties = d
        return flow_export

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
