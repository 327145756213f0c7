from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ChallengerRequest")


@_attrs_define
class ChallengerRequest:
    """The body of ``PUT /api/v1/products/{code}/flows/{endpoint}/challenger``.

    Attributes:
        sample (float): The fraction of live ratings re-rated.
        version (int | Literal['draft']): The challenger: the newest draft (as it is now), or a version number.
        premium_path (str | Unset): Where results carry the premium. Default: 'premium'.
    """

    sample: float
    version: int | Literal["draft"]
    premium_path: str | Unset = "premium"

    def to_dict(self) -> dict[str, Any]:
        sample = self.sample

        version: int | Literal["draft"]
        version = self.version

        premium_path = self.premium_path

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "sample": sample,
                "version": version,
            }
        )
        if premium_path is not UNSET:
            field_dict["premiumPath"] = premium_path

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        sample = d.pop("sample")

        def _parse_version(data: object) -> int | Literal["draft"]:
            version_type_0 = cast(Literal["draft"], data)
            if version_type_0 != "draft":
                raise ValueError(f"version_type_0 must match const 'draft', got '{version_type_0}'")
            return version_type_0
            return cast(int | Literal["draft"], data)

        version = _parse_version(d.pop("version"))

        premium_path = d.pop("premiumPath", UNSET)

        challenger_request = cls(
            sample=sample,
            version=version,
            premium_path=premium_path,
        )

        return challenger_request
