from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.step_type_public_configschema import StepTypePublicConfigschema


T = TypeVar("T", bound="StepTypePublic")


@_attrs_define
class StepTypePublic:
    """
    Attributes:
        config_schema (StepTypePublicConfigschema):
        description (str):
        local (bool):
        name (str):
        timeout_ms (int):
    """

    config_schema: StepTypePublicConfigschema
    description: str
    local: bool
    name: str
    timeout_ms: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        config_schema = self.config_schema.to_dict()

        description = self.description

        local = self.local

        name = self.name

        timeout_ms = self.timeout_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "configSchema": config_schema,
                "description": description,
                "local": local,
                "name": name,
                "timeoutMs": timeout_ms,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.step_type_public_configschema import StepTypePublicConfigschema  # noqa: PLC0415

        d = dict(src_dict)
        config_schema = StepTypePublicConfigschema.from_dict(d.pop("configSchema"))

        description = d.pop("description")

        local = d.pop("local")

        name = d.pop("name")

        timeout_ms = d.pop("timeoutMs")

        step_type_public = cls(
            config_schema=config_schema,
            description=description,
            local=local,
            name=name,
            timeout_ms=timeout_ms,
        )

        step_type_public.additional_properties = d
        return step_type_public

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
