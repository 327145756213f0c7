from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.rule_action_type import RuleActionType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.rule_action_table_type_0 import RuleActionTableType0


T = TypeVar("T", bound="RuleAction")


@_attrs_define
class RuleAction:
    """What a rule does when it fires.

    Attributes:
        type_ (RuleActionType):
        output (None | str | Unset): The table output field written to target (lookup; all if unset).
        reason (None | str | Unset): Why the request is rejected (reject); {path} placeholders are filled in.
        table (None | RuleActionTableType0 | Unset): A JDM decision graph (lookup).
        target (None | str | Unset): Dotted path the action writes; in a forEach rule, relative to the item ($parent.,
            $root. reach out); {path} placeholders are filled from the item.
        value (bool | float | None | str | Unset): A ZEN expression (text) or a number; surcharge and discount are
            percents.
    """

    type_: RuleActionType
    output: None | str | Unset = UNSET
    reason: None | str | Unset = UNSET
    table: None | RuleActionTableType0 | Unset = UNSET
    target: None | str | Unset = UNSET
    value: bool | float | None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.rule_action_table_type_0 import RuleActionTableType0  # noqa: PLC0415

        type_ = self.type_.value

        output: None | str | Unset
        if isinstance(self.output, Unset):
            output = UNSET
        else:
            output = self.output

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        table: dict[str, Any] | None | Unset
        if isinstance(self.table, Unset):
            table = UNSET
        elif isinstance(self.table, RuleActionTableType0):
            table = self.table.to_dict()
        else:
            table = self.table

        target: None | str | Unset
        if isinstance(self.target, Unset):
            target = UNSET
        else:
            target = self.target

        value: bool | float | None | str | Unset
        if isinstance(self.value, Unset):
            value = UNSET
        else:
            value = self.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
            }
        )
        if output is not UNSET:
            field_dict["output"] = output
        if reason is not UNSET:
            field_dict["reason"] = reason
        if table is not UNSET:
            field_dict["table"] = table
        if target is not UNSET:
            field_dict["target"] = target
        if value is not UNSET:
            field_dict["value"] = value

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rule_action_table_type_0 import RuleActionTableType0  # noqa: PLC0415

        d = dict(src_dict)
        type_ = RuleActionType(d.pop("type"))

        def _parse_output(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        output = _parse_output(d.pop("output", UNSET))

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        def _parse_table(data: object) -> None | RuleActionTableType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                table_type_0 = RuleActionTableType0.from_dict(data)

                return table_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RuleActionTableType0 | Unset, data)

        table = _parse_table(d.pop("table", UNSET))

        def _parse_target(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        target = _parse_target(d.pop("target", UNSET))

        def _parse_value(data: object) -> bool | float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | float | None | str | Unset, data)

        value = _parse_value(d.pop("value", UNSET))

        rule_action = cls(
            type_=type_,
            output=output,
            reason=reason,
            table=table,
            target=target,
            value=value,
        )

        return rule_action
