from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.band import Band
    from ..models.deltas import Deltas
    from ..models.impact_group_key import ImpactGroupKey


T = TypeVar("T", bound="ImpactGroup")


@_attrs_define
class ImpactGroup:
    """
    Attributes:
        key (ImpactGroupKey):
        bands (list[Band] | Unset):
        changed (int | Unset):  Default: 0.
        delta_pct (Deltas | Unset): Premium change in percent over the re-rated transactions that rated both times.
        newly_failed (int | Unset):  Default: 0.
        newly_rated (int | Unset):  Default: 0.
        premium_after (float | Unset):  Default: 0.0.
        premium_before (float | Unset):  Default: 0.0.
        rerated (int | Unset):  Default: 0.
        still_failing (int | Unset):  Default: 0.
        unavailable (int | Unset): Transactions that could not be re-rated: their request is no longer kept. Default: 0.
        unchanged (int | Unset):  Default: 0.
    """

    key: ImpactGroupKey
    bands: list[Band] | Unset = UNSET
    changed: int | Unset = 0
    delta_pct: Deltas | Unset = UNSET
    newly_failed: int | Unset = 0
    newly_rated: int | Unset = 0
    premium_after: float | Unset = 0.0
    premium_before: float | Unset = 0.0
    rerated: int | Unset = 0
    still_failing: int | Unset = 0
    unavailable: int | Unset = 0
    unchanged: int | Unset = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key = self.key.to_dict()

        bands: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.bands, Unset):
            bands = []
            for bands_item_data in self.bands:
                bands_item = bands_item_data.to_dict()
                bands.append(bands_item)

        changed = self.changed

        delta_pct: dict[str, Any] | Unset = UNSET
        if not isinstance(self.delta_pct, Unset):
            delta_pct = self.delta_pct.to_dict()

        newly_failed = self.newly_failed

        newly_rated = self.newly_rated

        premium_after = self.premium_after

        premium_before = self.premium_before

        rerated = self.rerated

        still_failing = self.still_failing

        unavailable = self.unavailable

        unchanged = self.unchanged

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key": key,
            }
        )
        if bands is not UNSET:
            field_dict["bands"] = bands
        if changed is not UNSET:
            field_dict["changed"] = changed
        if delta_pct is not UNSET:
            field_dict["deltaPct"] = delta_pct
        if newly_failed is not UNSET:
            field_dict["newlyFailed"] = newly_failed
        if newly_rated is not UNSET:
            field_dict["newlyRated"] = newly_rated
        if premium_after is not UNSET:
            field_dict["premiumAfter"] = premium_after
        if premium_before is not UNSET:
            field_dict["premiumBefore"] = premium_before
        if rerated is not UNSET:
            field_dict["rerated"] = rerated
        if still_failing is not UNSET:
            field_dict["stillFailing"] = still_failing
        if unavailable is not UNSET:
            field_dict["unavailable"] = unavailable
        if unchanged is not UNSET:
            field_dict["unchanged"] = unchanged

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.band import Band  # noqa: PLC0415
        from ..models.deltas import Deltas  # noqa: PLC0415
        from ..models.impact_group_key import ImpactGroupKey  # noqa: PLC0415

        d = dict(src_dict)
        key = ImpactGroupKey.from_dict(d.pop("key"))

        _bands = d.pop("bands", UNSET)
        bands: list[Band] | Unset = UNSET
        if _bands is not UNSET:
            bands = []
            for bands_item_data in _bands:
                bands_item = Band.from_dict(bands_item_data)

                bands.append(bands_item)

        changed = d.pop("changed", UNSET)

        _delta_pct = d.pop("deltaPct", UNSET)
        delta_pct: Deltas | Unset
        if isinstance(_delta_pct, Unset):
            delta_pct = UNSET
        else:
            delta_pct = Deltas.from_dict(_delta_pct)

        newly_failed = d.pop("newlyFailed", UNSET)

        newly_rated = d.pop("newlyRated", UNSET)

        premium_after = d.pop("premiumAfter", UNSET)

        premium_before = d.pop("premiumBefore", UNSET)

        rerated = d.pop("rerated", UNSET)

        still_failing = d.pop("stillFailing", UNSET)

        unavailable = d.pop("unavailable", UNSET)

        unchanged = d.pop("unchanged", UNSET)

        impact_group = cls(
            key=key,
            bands=bands,
            changed=changed,
            delta_pct=delta_pct,
            newly_failed=newly_failed,
            newly_rated=newly_rated,
            premium_after=premium_after,
            premium_before=premium_before,
            rerated=rerated,
            still_failing=still_failing,
            unavailable=unavailable,
            unchanged=unchanged,
        )

        impact_group.additional_properties = d
        return impact_group

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
