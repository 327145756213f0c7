from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.api_key_create_api_version_type_0 import ApiKeyCreateApiVersionType0
from ..models.api_key_create_scopes_item import ApiKeyCreateScopesItem
from ..types import UNSET, Unset

T = TypeVar("T", bound="ApiKeyCreate")


@_attrs_define
class ApiKeyCreate:
    """
    Attributes:
        name (str):
        scopes (list[ApiKeyCreateScopesItem]):
        allowed_products (list[str] | None | Unset): Product codes the key may use (all if unset).
        api_version (ApiKeyCreateApiVersionType0 | None | Unset): Pin the key to one API version; other versions' routes
            refuse it.
        expires_at (datetime.datetime | None | Unset): When the key stops working.
    """

    name: str
    scopes: list[ApiKeyCreateScopesItem]
    allowed_products: list[str] | None | Unset = UNSET
    api_version: ApiKeyCreateApiVersionType0 | None | Unset = UNSET
    expires_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        scopes = []
        for scopes_item_data in self.scopes:
            scopes_item = scopes_item_data.value
            scopes.append(scopes_item)

        allowed_products: list[str] | None | Unset
        if isinstance(self.allowed_products, Unset):
            allowed_products = UNSET
        elif isinstance(self.allowed_products, list):
            allowed_products = self.allowed_products

        else:
            allowed_products = self.allowed_products

        api_version: None | str | Unset
        if isinstance(self.api_version, Unset):
            api_version = UNSET
        elif isinstance(self.api_version, ApiKeyCreateApiVersionType0):
            api_version = self.api_version.value
        else:
            api_version = self.api_version

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "scopes": scopes,
            }
        )
        if allowed_products is not UNSET:
            field_dict["allowedProducts"] = allowed_products
        if api_version is not UNSET:
            field_dict["apiVersion"] = api_version
        if expires_at is not UNSET:
            field_dict["expiresAt"] = expires_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        scopes = []
        _scopes = d.pop("scopes")
        for scopes_item_data in _scopes:
            scopes_item = ApiKeyCreateScopesItem(scopes_item_data)

            scopes.append(scopes_item)

        def _parse_allowed_products(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                allowed_products_type_0 = cast(list[str], data)

                return allowed_products_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        allowed_products = _parse_allowed_products(d.pop("allowedProducts", UNSET))

        def _parse_api_version(data: object) -> ApiKeyCreateApiVersionType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                api_version_type_0 = ApiKeyCreateApiVersionType0(data)

                return api_version_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ApiKeyCreateApiVersionType0 | None | Unset, data)

        api_version = _parse_api_version(d.pop("apiVersion", UNSET))

        def _parse_expires_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        expires_at = _parse_expires_at(d.pop("expiresAt", UNSET))

        api_key_create = cls(
            name=name,
            scopes=scopes,
            allowed_products=allowed_products,
            api_version=api_version,
            expires_at=expires_at,
        )

        api_key_create.additional_properties = d
        return api_key_create

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
