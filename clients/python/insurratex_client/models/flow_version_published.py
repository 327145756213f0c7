from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.flow_version_published_status import FlowVersionPublishedStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.flow_version_published_steps_item import FlowVersionPublishedStepsItem
    from ..models.timeline_entry import TimelineEntry
    from ..models.timeline_warning import TimelineWarning


T = TypeVar("T", bound="FlowVersionPublished")


@_attrs_define
class FlowVersionPublished:
    """A version just published, with the timeline of the endpoint it leaves.

    Attributes:
        change_description (str):
        created_at (datetime.datetime):
        endpoint (str):
        product_code (str):
        published_at (datetime.datetime | None):
        status (FlowVersionPublishedStatus):
        steps (list[FlowVersionPublishedStepsItem]):
        timeline (list[TimelineEntry]):
        version (int):
        batch_local_steps (bool | Unset):  Default: False.
        effective_from (datetime.date | None | Unset): Published: the first request date it rates (null: since always).
        warnings (list[TimelineWarning] | Unset):
    """

    change_description: str
    created_at: datetime.datetime
    endpoint: str
    product_code: str
    published_at: datetime.datetime | None
    status: FlowVersionPublishedStatus
    steps: list[FlowVersionPublishedStepsItem]
    timeline: list[TimelineEntry]
    version: int
    batch_local_steps: bool | Unset = False
    effective_from: datetime.date | None | Unset = UNSET
    warnings: list[TimelineWarning] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        change_description = self.change_description

        created_at = self.created_at.isoformat()

        endpoint = self.endpoint

        product_code = self.product_code

        published_at: None | str
        if isinstance(self.published_at, datetime.datetime):
            published_at = self.published_at.isoformat()
        else:
            published_at = self.published_at

        status = self.status.value

        steps = []
        for steps_item_data in self.steps:
            steps_item = steps_item_data.to_dict()
            steps.append(steps_item)

        timeline = []
        for timeline_item_data in self.timeline:
            timeline_item = timeline_item_data.to_dict()
            timeline.append(timeline_item)

        version = self.version

        batch_local_steps = self.batch_local_steps

        effective_from: None | str | Unset
        if isinstance(self.effective_from, Unset):
            effective_from = UNSET
        elif isinstance(self.effective_from, datetime.date):
            effective_from = self.effective_from.isoformat()
        else:
            effective_from = self.effective_from

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
                "changeDescription": change_description,
                "createdAt": created_at,
                "endpoint": endpoint,
                "productCode": product_code,
                "publishedAt": published_at,
                "status": status,
                "steps": steps,
                "timeline": timeline,
                "version": version,
            }
        )
        if batch_local_steps is not UNSET:
            field_dict["batchLocalSteps"] = batch_local_steps
        if effective_from is not UNSET:
            field_dict["effectiveFrom"] = effective_from
        if warnings is not UNSET:
            field_dict["warnings"] = warnings

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.flow_version_published_steps_item import FlowVersionPublishedStepsItem  # noqa: PLC0415
        from ..models.timeline_entry import TimelineEntry  # noqa: PLC0415
        from ..models.timeline_warning import TimelineWarning  # noqa: PLC0415

        d = dict(src_dict)
        change_description = d.pop("changeDescription")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        endpoint = d.pop("endpoint")

        product_code = d.pop("productCode")

        def _parse_published_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                published_at_type_0 = datetime.datetime.fromisoformat(data)

                return published_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        published_at = _parse_published_at(d.pop("publishedAt"))

        status = FlowVersionPublishedStatus(d.pop("status"))

        steps = []
        _steps = d.pop("steps")
        for steps_item_data in _steps:
            steps_item = FlowVersionPublishedStepsItem.from_dict(steps_item_data)

            steps.append(steps_item)

        timeline = []
        _timeline = d.pop("timeline")
        for timeline_item_data in _timeline:
            timeline_item = TimelineEntry.from_dict(timeline_item_data)

            timeline.append(timeline_item)

        version = d.pop("version")

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

        _warnings = d.pop("warnings", UNSET)
        warnings: list[TimelineWarning] | Unset = UNSET
        if _warnings is not UNSET:
            warnings = []
            for warnings_item_data in _warnings:
                warnings_item = TimelineWarning.from_dict(warnings_item_data)

                warnings.append(warnings_item)

        flow_version_published = cls(
            change_description=change_description,
            created_at=created_at,
            endpoint=endpoint,
            product_code=product_code,
            published_at=published_at,
            status=status,
            steps=steps,
            timeline=timeline,
            version=version,
            batch_local_steps=batch_local_steps,
            effective_from=effective_from,
            warnings=warnings,
        )

        flow_version_published.additional_properties = d
        return flow_version_published

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
