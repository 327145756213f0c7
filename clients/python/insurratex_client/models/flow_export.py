from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.step_draft import StepDraft


T = TypeVar("T", bound="FlowExport")


@_attrs_define
class FlowExport:
    """
    Attributes:
        endpoint (str):
        name (str):
        steps (list[StepDraft]):
        batch_local_steps (bool | Unset):  Default: False.
    """

    endpoint: str
    name: str
    steps: list[StepDraft]
    batch_local_steps: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        endpoint = self.endpoint

        name = self.name

        steps = []
        for steps_item_data in self.steps:
            steps_item = steps_item_data.to_dict()
            steps.append(steps_item)

        batch_local_steps = self.batch_local_steps

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

        flow_export = cls(
            endpoint=endpoint,
            name=name,
            steps=steps,
            batch_local_steps=batch_local_steps,
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
