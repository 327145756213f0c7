from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.challenger_public import ChallengerPublic
    from ..models.challenger_result import ChallengerResult
    from ..models.impact_summary import ImpactSummary


T = TypeVar("T", bound="ChallengerResults")


@_attrs_define
class ChallengerResults:
    """The answer of ``GET .../challenger/results``: the challenger running (if one is), the
    summary of its latest comparisons, and those comparisons, newest first.

        Attributes:
            challenger (ChallengerPublic | None):
            items (list[ChallengerResult]):
            summary (ImpactSummary):
    """

    challenger: ChallengerPublic | None
    items: list[ChallengerResult]
    summary: ImpactSummary
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.challenger_public import ChallengerPublic  # noqa: PLC0415

        challenger: dict[str, Any] | None
        if isinstance(self.challenger, ChallengerPublic):
            challenger = self.challenger.to_dict()
        else:
            challenger = self.challenger

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        summary = self.summary.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "challenger": challenger,
                "items": items,
                "summary": summary,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.challenger_public import ChallengerPublic  # noqa: PLC0415
        from ..models.challenger_result import ChallengerResult  # noqa: PLC0415
        from ..models.impact_summary import ImpactSummary  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_challenger(data: object) -> ChallengerPublic | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                challenger_type_0 = ChallengerPublic.from_dict(data)

                return challenger_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ChallengerPublic | None, data)

        challenger = _parse_challenger(d.pop("challenger"))

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = ChallengerResult.from_dict(items_item_data)

            items.append(items_item)

        summary = ImpactSummary.from_dict(d.pop("summary"))

        challenger_results = cls(
            challenger=challenger,
            items=items,
            summary=summary,
        )

        challenger_results.additional_properties = d
        return challenger_results

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
