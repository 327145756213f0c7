from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.timeline_entry import TimelineEntry
    from ..models.timeline_warning import TimelineWarning


T = TypeVar("T", bound="FlowTimeline")


@_attrs_define
class FlowTimeline:
    """Which published version of a product endpoint's flow rates which dates.

    Attributes:
        effective_date_path (None | str): Where a request's date is read (the product's); null: today's date.
        endpoint (str):
        product_code (str):
        timeline (list[TimelineEntry]):
        warnings (list[TimelineWarning] | Unset):
    """

    effective_date_path: None | str
    endpoint: str
    product_code: str
    timeline: list[TimelineEntry]
    warnings: list[TimelineWarning] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        effective_date_path: None | str
        effective_date_path = self.effective_date_path

        endpoint = self.endpoint

        product_code = self.product_code

        timeline = []
        for timeline_item_data in self.timeline:
            timeline_item = timeline_item_data.to_dict()
            timeline.append(timeline_item)

        warnings: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.warnings, Unset):
            warnings = []
            for warnings_item_data in self.warnings:
                warnings_item = warnings_item_data.to_dict()
                warnings.append(warnings_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "effectiveDatePath": effective_date_path,
                "endpoint": endpoint,
                "productCode": product_code,
                "timeline": timeline,
            }
        )
        if warnings is not UNSET:
            field_dict["warnings"] = warnings

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.timeline_entry import TimelineEntry  # noqa: PLC0415
        from ..models.timeline_warning import TimelineWarning  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_effective_date_path(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        effective_date_path = _parse_effective_date_path(d.pop("effectiveDatePath"))

        endpoint = d.pop("endpoint")

        product_code = d.pop("productCode")

        timeline = []
        _timeline = d.pop("timeline")
        for timeline_item_data in _timeline:
            timeline_item = TimelineEntry.from_dict(timeline_item_data)

            timeline.append(timeline_item)

        _warnings = d.pop("warnings", UNSET)
        warnings: list[TimelineWarning] | Unset = UNSET
        if _warnings is not UNSET:
            warnings = []
            for warnings_item_data in _warnings:
                warnings_item = TimelineWarning.from_dict(warnings_item_data)

                warnings.append(warnings_item)

        flow_timeline = cls(
            effective_date_path=effective_date_path,
            endpoint=endpoint,
            product_code=product_code,
            timeline=timeline,
            warnings=warnings,
        )

        flow_timeline.additional_properties = d
        return flow_timeline

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
