from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.rule_base_phase import RuleBasePhase
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.rule_action import RuleAction
    from ..models.rule_base_scope import RuleBaseScope


T = TypeVar("T", bound="RuleBase")


@_attrs_define
class RuleBase:
    """A pre- or post-rating rule's content.

    Attributes:
        actions (list[RuleAction]):
        phase (RuleBasePhase):
        active (bool | Unset):  Default: True.
        conditions (list[str] | Unset): ZEN expressions; all must be true (none: always).
        effective_from (datetime.date | None | Unset):
        effective_to (datetime.date | None | Unset):
        for_each (None | str | Unset): Apply the rule to each item of this array ('states', or 'states[].classes' for
            every class of every state): paths are the item's, $parent is the enclosing item (the document at the top),
            $root the document; scope tags match the item's fields, then its enclosing items'.
        priority (int | Unset): Lower runs first. Default: 100.
        scope (RuleBaseScope | Unset): Tags the run must match, e.g. {'state': 'NY'}.
    """

    actions: list[RuleAction]
    phase: RuleBasePhase
    active: bool | Unset = True
    conditions: list[str] | Unset = UNSET
    effective_from: datetime.date | None | Unset = UNSET
    effective_to: datetime.date | None | Unset = UNSET
    for_each: None | str | Unset = UNSET
    priority: int | Unset = 100
    scope: RuleBaseScope | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        actions = []
        for actions_item_data in self.actions:
            actions_item = actions_item_data.to_dict()
            actions.append(actions_item)

        phase = self.phase.value

        active = self.active

        conditions: list[str] | Unset = UNSET
        if not isinstance(self.conditions, Unset):
            conditions = self.conditions

        effective_from: None | str | Unset
        if isinstance(self.effective_from, Unset):
            effective_from = UNSET
        elif isinstance(self.effective_from, datetime.date):
            effective_from = self.effective_from.isoformat()
        else:
            effective_from = self.effective_from

        effective_to: None | str | Unset
        if isinstance(self.effective_to, Unset):
            effective_to = UNSET
        elif isinstance(self.effective_to, datetime.date):
            effective_to = self.effective_to.isoformat()
        else:
            effective_to = self.effective_to

        for_each: None | str | Unset
        if isinstance(self.for_each, Unset):
            for_each = UNSET
        else:
            for_each = self.for_each

        priority = self.priority

        scope: dict[str, Any] | Unset = UNSET
        if not isinstance(self.scope, Unset):
            scope = self.scope.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "actions": actions,
                "phase": phase,
            }
        )
        if active is not UNSET:
            field_dict["active"] = active
        if conditions is not UNSET:
            field_dict["conditions"] = conditions
        if effective_from is not UNSET:
            field_dict["effectiveFrom"] = effective_from
        if effective_to is not UNSET:
            field_dict["effectiveTo"] = effective_to
        if for_each is not UNSET:
            field_dict["forEach"] = for_each
        if priority is not UNSET:
            field_dict["priority"] = priority
        if scope is not UNSET:
            field_dict["scope"] = scope

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rule_action import RuleAction  # noqa: PLC0415
        from ..models.rule_base_scope import RuleBaseScope  # noqa: PLC0415

        d = dict(src_dict)
        actions = []
        _actions = d.pop("actions")
        for actions_item_data in _actions:
            actions_item = RuleAction.from_dict(actions_item_data)

            actions.append(actions_item)

        phase = RuleBasePhase(d.pop("phase"))

        active = d.pop("active", UNSET)

        conditions = cast(list[str], d.pop("conditions", UNSET))

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

        def _parse_effective_to(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                effective_to_type_0 = datetime.date.fromisoformat(data)

                return effective_to_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        effective_to = _parse_effective_to(d.pop("effectiveTo", UNSET))

        def _parse_for_each(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        for_each = _parse_for_each(d.pop("forEach", UNSET))

        priority = d.pop("priority", UNSET)

        _scope = d.pop("scope", UNSET)
        scope: RuleBaseScope | Unset
        if isinstance(_scope, Unset):
            scope = UNSET
        else:
            scope = RuleBaseScope.from_dict(_scope)

        rule_base = cls(
            actions=actions,
            phase=phase,
            active=active,
            conditions=conditions,
            effective_from=effective_from,
            effective_to=effective_to,
            for_each=for_each,
            priority=priority,
            scope=scope,
        )

        return rule_base
