from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.impact_run_public_status import ImpactRunPublicStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.impact_group import ImpactGroup
    from ..models.impact_summary import ImpactSummary
    from ..models.largest_change import LargestChange
    from ..models.progress import Progress


T = TypeVar("T", bound="ImpactRunPublic")


@_attrs_define
class ImpactRunPublic:
    """The answer of ``GET /api/v1/impact-runs/{id}``.

    Attributes:
        baseline (str):
        candidate_version (int):
        created_at (datetime.datetime):
        endpoint (str):
        group_by (list[str]):
        id (str):
        limit (int):
        premium_path (str):
        product_code (str):
        progress (Progress):
        status (ImpactRunPublicStatus):
        window_from (datetime.datetime):
        window_to (datetime.datetime):
        workflow_id (str):
        completed_at (datetime.datetime | None | Unset):
        error (None | str | Unset):
        groups (list[ImpactGroup] | None | Unset):
        largest (list[LargestChange] | None | Unset):
        summary (ImpactSummary | None | Unset):
    """

    baseline: str
    candidate_version: int
    created_at: datetime.datetime
    endpoint: str
    group_by: list[str]
    id: str
    limit: int
    premium_path: str
    product_code: str
    progress: Progress
    status: ImpactRunPublicStatus
    window_from: datetime.datetime
    window_to: datetime.datetime
    workflow_id: str
    completed_at: datetime.datetime | None | Unset = UNSET
    error: None | str | Unset = UNSET
    groups: list[ImpactGroup] | None | Unset = UNSET
    largest: list[LargestChange] | None | Unset = UNSET
    summary: ImpactSummary | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.impact_summary import ImpactSummary  # noqa: PLC0415

        baseline = self.baseline

        candidate_version = self.candidate_version

        created_at = self.created_at.isoformat()

        endpoint = self.endpoint

        group_by = self.group_by

        id = self.id

        limit = self.limit

        premium_path = self.premium_path

        product_code = self.product_code

        progress = self.progress.to_dict()

        status = self.status.value

        window_from = self.window_from.isoformat()

        window_to = self.window_to.isoformat()

        workflow_id = self.workflow_id

        completed_at: None | str | Unset
        if isinstance(self.completed_at, Unset):
            completed_at = UNSET
        elif isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        groups: list[dict[str, Any]] | None | Unset
        if isinstance(self.groups, Unset):
            groups = UNSET
        elif isinstance(self.groups, list):
            groups = []
            for groups_type_0_item_data in self.groups:
                groups_type_0_item = groups_type_0_item_data.to_dict()
                groups.append(groups_type_0_item)

        else:
            groups = self.groups

        largest: list[dict[str, Any]] | None | Unset
        if isinstance(self.largest, Unset):
            largest = UNSET
        elif isinstance(self.largest, list):
            largest = []
            for largest_type_0_item_data in self.largest:
                largest_type_0_item = largest_type_0_item_data.to_dict()
                largest.append(largest_type_0_item)

        else:
            largest = self.largest

        summary: dict[str, Any] | None | Unset
        if isinstance(self.summary, Unset):
            summary = UNSET
        elif isinstance(self.summary, ImpactSummary):
            summary = self.summary.to_dict()
        else:
            summary = self.summary

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "baseline": baseline,
                "candidateVersion": candidate_version,
                "createdAt": created_at,
                "endpoint": endpoint,
                "groupBy": group_by,
                "id": id,
                "limit": limit,
                "premiumPath": premium_path,
                "productCode": product_code,
                "progress": progress,
                "status": status,
                "windowFrom": window_from,
                "windowTo": window_to,
                "workflowId": workflow_id,
            }
        )
        if completed_at is not UNSET:
            field_dict["completedAt"] = completed_at
        if error is not UNSET:
            field_dict["error"] = error
        if groups is not UNSET:
            field_dict["groups"] = groups
        if largest is not UNSET:
            field_dict["largest"] = largest
        if summary is not UNSET:
            field_dict["summary"] = summary

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.impact_group import ImpactGroup  # noqa: PLC0415
        from ..models.impact_summary import ImpactSummary  # noqa: PLC0415
        from ..models.largest_change import LargestChange  # noqa: PLC0415
        from ..models.progress import Progress  # noqa: PLC0415

        d = dict(src_dict)
        baseline = d.pop("baseline")

        candidate_version = d.pop("candidateVersion")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        endpoint = d.pop("endpoint")

        group_by = cast(list[str], d.pop("groupBy"))

        id = d.pop("id")

        limit = d.pop("limit")

        premium_path = d.pop("premiumPath")

        product_code = d.pop("productCode")

        progress = Progress.from_dict(d.pop("progress"))

        status = ImpactRunPublicStatus(d.pop("status"))

        window_from = datetime.datetime.fromisoformat(d.pop("windowFrom"))

        window_to = datetime.datetime.fromisoformat(d.pop("windowTo"))

        workflow_id = d.pop("workflowId")

        def _parse_completed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)

                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        completed_at = _parse_completed_at(d.pop("completedAt", UNSET))

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        def _parse_groups(data: object) -> list[ImpactGroup] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                groups_type_0 = []
                _groups_type_0 = data
                for groups_type_0_item_data in _groups_type_0:
                    groups_type_0_item = ImpactGroup.from_dict(groups_type_0_item_data)

                    groups_type_0.append(groups_type_0_item)

                return groups_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ImpactGroup] | None | Unset, data)

        groups = _parse_groups(d.pop("groups", UNSET))

        def _parse_largest(data: object) -> list[LargestChange] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                largest_type_0 = []
                _largest_type_0 = data
                for largest_type_0_item_data in _largest_type_0:
                    largest_type_0_item = LargestChange.from_dict(largest_type_0_item_data)

                    largest_type_0.append(largest_type_0_item)

                return largest_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[LargestChange] | None | Unset, data)

        largest = _parse_largest(d.pop("largest", UNSET))

        def _parse_summary(data: object) -> ImpactSummary | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                summary_type_0 = ImpactSummary.from_dict(data)

                return summary_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImpactSummary | None | Unset, data)

        summary = _parse_summary(d.pop("summary", UNSET))

        impact_run_public = cls(
            baseline=baseline,
            candidate_version=candidate_version,
            created_at=created_at,
            endpoint=endpoint,
            group_by=group_by,
            id=id,
            limit=limit,
            premium_path=premium_path,
            product_code=product_code,
            progress=progress,
            status=status,
            window_from=window_from,
            window_to=window_to,
            workflow_id=workflow_id,
            completed_at=completed_at,
            error=error,
            groups=groups,
            largest=largest,
            summary=summary,
        )

        impact_run_public.additional_properties = d
        return impact_run_public

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
