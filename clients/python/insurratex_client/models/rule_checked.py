from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RuleChecked")


@_attrs_define
class RuleChecked:
    """``POST .../rules/validate``: the rule passed the checks saving it would make.

    Attributes:
        expressions (int): The expressions and tables checked.
        name (str):
        valid (bool | Unset):  Default: True.
    """

    expressions: int
    name: str
    valid: bool | Unset = True
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        expressions = self.expressions

        name = self.name

        valid = self.valid

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "expressions": expressions,
                "name": name,
            }
        )
        if valid is not UNSET:
            field_dict["valid"] = valid

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        expressions = d.pop("expressions")

        name = d.pop("name")

        valid = d.pop("valid", UNSET)

        rule_checked = cls(
            expressions=expressions,
            name=name,
            valid=valid,
        )

        rule_checked.additional_properties = d
        return rule_checked

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
