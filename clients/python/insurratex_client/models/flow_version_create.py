from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.step_draft import StepDraft


T = TypeVar("T", bound="FlowVersionCreate")


@_attrs_define
class FlowVersionCreate:
    """A new draft version of a product endpoint's flow.

    Attributes:
        steps (list[StepDraft]):
        batch_local_steps (bool | Unset): Run consecutive local steps in one local activity (lower latency). Default:
            False.
        change_description (str | Unset):  Default: ''.
        name (None | str | Unset): The flow's name (first draft).
    """

    steps: list[StepDraft]
    batch_local_steps: bool | Unset = False
    change_description: str | Unset = ""
    name: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        steps = []
        for steps_item_data in self.steps:
            steps_item = steps_item_data.to_dict()
            steps.append(steps_item)

        batch_local_steps = self.batch_local_steps

        change_description = self.change_description

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "steps": steps,
            }
        )
        if batch_local_steps is not UNSET:
            field_dict["batchLocalSteps"] = batch_local_steps
        if change_description is not UNSET:
            field_dict["changeDescription"] = change_description
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.step_draft import StepDraft  # noqa: PLC0415

        d = dict(src_dict)
        steps = []
        _steps = d.pop("steps")
        for steps_item_data in _steps:
            steps_item = StepDraft.from_dict(steps_item_data)

            steps.append(steps_item)

        batch_local_steps = d.pop("batchLocalSteps", UNSET)

        change_description = d.pop("changeDescription", UNSET)

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        flow_version_create = cls(
            steps=steps,
            batch_local_steps=batch_local_steps,
            change_description=change_description,
            name=name,
        )

        flow_version_create.additional_properties = d
        return flow_version_create

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
