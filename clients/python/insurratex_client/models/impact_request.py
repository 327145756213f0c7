from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.impact_filter import ImpactFilter


T = TypeVar("T", bound="ImpactRequest")


@_attrs_define
class ImpactRequest:
    """The body of ``POST /api/v1/products/{code}/flows/{endpoint}/impact``.

    Attributes:
        candidate (int | Literal['draft']): The version to try: the newest draft, or a version number.
        baseline (int | Literal['published'] | Unset): What it is compared with: the results production recorded
            (published: whatever live version rated them), or only those a given version rated. Default: 'published'.
        concurrency (int | Unset):  Default: 4.
        days (int | None | Unset): The last N days, when `from` is not given (30).
        filter_ (ImpactFilter | Unset):
        from_ (datetime.datetime | None | Unset): Window start (inclusive).
        group_by (list[str] | Unset): Paths in the request to group the summary by (e.g. insured.address.state).
        limit (int | Unset): Newest transactions first. Default: 1000.
        premium_path (str | Unset): Where the result carries the premium. Default: 'premium'.
        to (datetime.datetime | None | Unset): Window end (exclusive); default now.
    """

    candidate: int | Literal["draft"]
    baseline: int | Literal["published"] | Unset = "published"
    concurrency: int | Unset = 4
    days: int | None | Unset = UNSET
    filter_: ImpactFilter | Unset = UNSET
    from_: datetime.datetime | None | Unset = UNSET
    group_by: list[str] | Unset = UNSET
    limit: int | Unset = 1000
    premium_path: str | Unset = "premium"
    to: datetime.datetime | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        candidate: int | Literal["draft"]
        candidate = self.candidate

        baseline: int | Literal["published"] | Unset
        if isinstance(self.baseline, Unset):
            baseline = UNSET
        else:
            baseline = self.baseline

        concurrency = self.concurrency

        days: int | None | Unset
        if isinstance(self.days, Unset):
            days = UNSET
        else:
            days = self.days

        filter_: dict[str, Any] | Unset = UNSET
        if not isinstance(self.filter_, Unset):
            filter_ = self.filter_.to_dict()

        from_: None | str | Unset
        if isinstance(self.from_, Unset):
            from_ = UNSET
        elif isinstance(self.from_, datetime.datetime):
            from_ = self.from_.isoformat()
        else:
            from_ = self.from_

        group_by: list[str] | Unset = UNSET
        if not isinstance(self.group_by, Unset):
            group_by = self.group_by

        limit = self.limit

        premium_path = self.premium_path

        to: None | str | Unset
        if isinstance(self.to, Unset):
            to = UNSET
        elif isinstance(self.to, datetime.datetime):
            to = self.to.isoformat()
        else:
            to = self.to

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "candidate": candidate,
            }
        )
        if baseline is not UNSET:
            field_dict["baseline"] = baseline
        if concurrency is not UNSET:
            field_dict["concurrency"] = concurrency
        if days is not UNSET:
            field_dict["days"] = days
        if filter_ is not UNSET:
            field_dict["filter"] = filter_
        if from_ is not UNSET:
            field_dict["from"] = from_
        if group_by is not UNSET:
            field_dict["groupBy"] = group_by
        if limit is not UNSET:
            field_dict["limit"] = limit
        if premium_path is not UNSET:
            field_dict["premiumPath"] = premium_path
        if to is not UNSET:
            field_dict["to"] = to

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.impact_filter import ImpactFilter  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_candidate(data: object) -> int | Literal["draft"]:
            candidate_type_0 = cast(Literal["draft"], data)
            if candidate_type_0 != "draft":
                raise ValueError(f"candidate_type_0 must match const 'draft', got '{candidate_type_0}'")
            return candidate_type_0
            return cast(int | Literal["draft"], data)

        candidate = _parse_candidate(d.pop("candidate"))

        def _parse_baseline(data: object) -> int | Literal["published"] | Unset:
            if isinstance(data, Unset):
                return data
            baseline_type_0 = cast(Literal["published"], data)
            if baseline_type_0 != "published":
                raise ValueError(f"baseline_type_0 must match const 'published', got '{baseline_type_0}'")
            return baseline_type_0
            return cast(int | Literal["published"] | Unset, data)

        baseline = _parse_baseline(d.pop("baseline", UNSET))

        concurrency = d.pop("concurrency", UNSET)

        def _parse_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        days = _parse_days(d.pop("days", UNSET))

        _filter_ = d.pop("filter", UNSET)
        filter_: ImpactFilter | Unset
        if isinstance(_filter_, Unset):
            filter_ = UNSET
        else:
            filter_ = ImpactFilter.from_dict(_filter_)

        def _parse_from_(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                from_type_0 = datetime.datetime.fromisoformat(data)

                return from_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        from_ = _parse_from_(d.pop("from", UNSET))

        group_by = cast(list[str], d.pop("groupBy", UNSET))

        limit = d.pop("limit", UNSET)

        premium_path = d.pop("premiumPath", UNSET)

        def _parse_to(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                to_type_0 = datetime.datetime.fromisoformat(data)

                return to_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        to = _parse_to(d.pop("to", UNSET))

        impact_request = cls(
            candidate=candidate,
            baseline=baseline,
            concurrency=concurrency,
            days=days,
            filter_=filter_,
            from_=from_,
            group_by=group_by,
            limit=limit,
            premium_path=premium_path,
            to=to,
        )

        return impact_request
