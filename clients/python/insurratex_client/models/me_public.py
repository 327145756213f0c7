from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.plan_limits import PlanLimits


T = TypeVar("T", bound="MePublic")


@_attrs_define
class MePublic:
    """Who the caller is and what it may do.

    Attributes:
        allowed_products (list[str] | None):
        api_key_id (str): This key's id: the actor of its audit entries.
        api_version (None | str):
        expires_at (datetime.datetime | None):
        key_prefix (str):
        limits (PlanLimits):
        organization_id (str):
        organization_slug (str):
        plan (str):
        scopes (list[str]):
    """

    allowed_products: list[str] | None
    api_key_id: str
    api_version: None | str
    expires_at: datetime.datetime | None
    key_prefix: str
    limits: PlanLimits
    organization_id: str
    organization_slug: str
    plan: str
    scopes: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        allowed_products: list[str] | None
        if isinstance(self.allowed_products, list):
            allowed_products = self.allowed_products

        else:
            allowed_products = self.allowed_products

        api_key_id = self.api_key_id

        api_version: None | str
        api_version = self.api_version

        expires_at: None | str
        if isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        key_prefix = self.key_prefix

        limits = self.limits.to_dict()

        organization_id = self.organization_id

        organization_slug = self.organization_slug

        plan = self.plan

        scopes = self.scopes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "allowedProducts": allowed_products,
                "apiKeyId": api_key_id,
                "apiVersion": api_version,
                "expiresAt": expires_at,
                "keyPrefix": key_prefix,
                "limits": limits,
                "organizationId": organization_id,
                "organizationSlug": organization_slug,
                "plan": plan,
                "scopes": scopes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.plan_limits import PlanLimits  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_allowed_products(data: object) -> list[str] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                allowed_products_type_0 = cast(list[str], data)

                return allowed_products_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None, data)

        allowed_products = _parse_allowed_products(d.pop("allowedProducts"))

        api_key_id = d.pop("apiKeyId")

        def _parse_api_version(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        api_version = _parse_api_version(d.pop("apiVersion"))

        def _parse_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        expires_at = _parse_expires_at(d.pop("expiresAt"))

        key_prefix = d.pop("keyPrefix")

        limits = PlanLimits.from_dict(d.pop("limits"))

        organization_id = d.pop("organizationId")

        organization_slug = d.pop("organizationSlug")

        plan = d.pop("plan")

        scopes = cast(list[str], d.pop("scopes"))

        me_public = cls(
            allowed_products=allowed_products,
            api_key_id=api_key_id,
            api_version=api_version,
            expires_at=expires_at,
            key_prefix=key_prefix,
            limits=limits,
            organization_id=organization_id,
            organization_slug=organization_slug,
            plan=plan,
            scopes=scopes,
        )

        me_public.additional_properties = d
        return me_public

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
