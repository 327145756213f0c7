from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RerateRequest")


@_attrs_define
class RerateRequest:
    """The optional body of ``POST /api/v1/transactions/{id}/rerate``.

    Attributes:
        version (int | Literal['draft'] | None | Unset): Re-rate under this version instead (the draft, or a number):
            what it would have answered. Unset: the version the transaction ran (the proof).
    """

    version: int | Literal["draft"] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        version: int | Literal["draft"] | None | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_version(data: object) -> int | Literal["draft"] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            version_type_0 = cast(Literal["draft"], data)
            if version_type_0 != "draft":
                raise ValueError(f"version_type_0 must match const 'draft', got '{version_type_0}'")
            return version_type_0
            return cast(int | Literal["draft"] | None | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        rerate_request = cls(
            version=version,
        )

        return rerate_request
