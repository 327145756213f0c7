from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.product_public_engine_tables_type_0 import ProductPublicEngineTablesType0
    from ..models.product_public_request_schema_type_0 import ProductPublicRequestSchemaType0


T = TypeVar("T", bound="ProductPublic")


@_attrs_define
class ProductPublic:
    """
    Attributes:
        code (str):
        created_at (datetime.datetime):
        id (str):
        name (str):
        status (str):
        updated_at (datetime.datetime):
        description (str | Unset):  Default: ''.
        effective_date_path (None | str | Unset): Dotted path of object keys to the rating request's date (an ISO date
            or date-time, e.g. `quote.effectiveDate`): the flow version in force on that date rates the request. Unset, or
            absent from a request: today's date (UTC).
        engine_tables (None | ProductPublicEngineTablesType0 | Unset): Rating tables the product's rating engine uses,
            by the engine's product name; carried in the product's export so a product moves between environments whole; the
            reference engine loads them (POST /v1/tables/import).
        max_payload_bytes (int | Unset):  Default: 10485760.
        request_schema (None | ProductPublicRequestSchemaType0 | Unset):
        source_system (None | str | Unset):
        target_system (None | str | Unset):
        timeout_ms (int | Unset):  Default: 30000.
    """

    code: str
    created_at: datetime.datetime
    id: str
    name: str
    status: str
    updated_at: datetime.datetime
    description: str | Unset = ""
    effective_date_path: None | str | Unset = UNSET
    engine_tables: None | ProductPublicEngineTablesType0 | Unset = UNSET
    max_payload_bytes: int | Unset = 10485760
    request_schema: None | ProductPublicRequestSchemaType0 | Unset = UNSET
    source_system: None | str | Unset = UNSET
    target_system: None | str | Unset = UNSET
    timeout_ms: int | Unset = 30000
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.product_public_engine_tables_type_0 import ProductPublicEngineTablesType0  # noqa: PLC0415
        from ..models.product_public_request_schema_type_0 import ProductPublicRequestSchemaType0  # noqa: PLC0415

        code = self.code

        created_at = self.created_at.isoformat()

        id = self.id

        name = self.name

        status = self.status

        updated_at = self.updated_at.isoformat()

        description = self.description

        effective_date_path: None | str | Unset
        if isinstance(self.effective_date_path, Unset):
            effective_date_path = UNSET
        else:
            effective_date_path = self.effective_date_path

        engine_tables: dict[str, Any] | None | Unset
        if isinstance(self.engine_tables, Unset):
            engine_tables = UNSET
        elif isinstance(self.engine_tables, ProductPublicEngineTablesType0):
            engine_tables = self.engine_tables.to_dict()
        else:
            engine_tables = self.engine_tables

        max_payload_bytes = self.max_payload_bytes

        request_schema: dict[str, Any] | None | Unset
        if isinstance(self.request_schema, Unset):
            request_schema = UNSET
        elif isinstance(self.request_schema, ProductPublicRequestSchemaType0):
            request_schema = self.request_schema.to_dict()
        else:
            request_schema = self.request_schema

        source_system: None | str | Unset
        if isinstance(self.source_system, Unset):
            source_system = UNSET
        else:
            source_system = self.source_system

        target_system: None | str | Unset
        if isinstance(self.target_system, Unset):
            target_system = UNSET
        else:
            target_system = self.target_system

        timeout_ms = self.timeout_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "createdAt": created_at,
                "id": id,
                "name": name,
                "status": status,
                "updatedAt": updated_at,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if effective_date_path is not UNSET:
            field_dict["effectiveDatePath"] = effective_date_path
        if engine_tables is not UNSET:
            field_dict["engineTables"] = engine_tables
        if max_payload_bytes is not UNSET:
            field_dict["maxPayloadBytes"] = max_payload_bytes
        if request_schema is not UNSET:
            field_dict["requestSchema"] = request_schema
        if source_system is not UNSET:
            field_dict["sourceSystem"] = source_system
        if target_system is not UNSET:
            field_dict["targetSystem"] = target_system
        if timeout_ms is not UNSET:
            field_dict["timeoutMs"] = timeout_ms

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.product_public_engine_tables_type_0 import ProductPublicEngineTablesType0  # noqa: PLC0415
        from ..models.product_public_request_schema_type_0 import ProductPublicRequestSchemaType0  # noqa: PLC0415

        d = dict(src_dict)
        code = d.pop("code")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        id = d.pop("id")

        name = d.pop("name")

        status = d.pop("status")

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        description = d.pop("description", UNSET)

        def _parse_effective_date_path(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        effective_date_path = _parse_effective_date_path(d.pop("effectiveDatePath", UNSET))

        def _parse_engine_tables(data: object) -> None | ProductPublicEngineTablesType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                engine_tables_type_0 = ProductPublicEngineTablesType0.from_dict(data)

                return engine_tables_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ProductPublicEngineTablesType0 | Unset, data)

        engine_tables = _parse_engine_tables(d.pop("engineTables", UNSET))

        max_payload_bytes = d.pop("maxPayloadBytes", UNSET)

        def _parse_request_schema(data: object) -> None | ProductPublicRequestSchemaType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                request_schema_type_0 = ProductPublicRequestSchemaType0.from_dict(data)

                return request_schema_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ProductPublicRequestSchemaType0 | Unset, data)

        request_schema = _parse_request_schema(d.pop("requestSchema", UNSET))

        def _parse_source_system(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        source_system = _parse_source_system(d.pop("sourceSystem", UNSET))

        def _parse_target_system(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        target_system = _parse_target_system(d.pop("targetSystem", UNSET))

        timeout_ms = d.pop("timeoutMs", UNSET)

        product_public = cls(
            code=code,
            created_at=created_at,
            id=id,
            name=name,
            status=status,
            updated_at=updated_at,
            description=description,
            effective_date_path=effective_date_path,
            engine_tables=engine_tables,
            max_payload_bytes=max_payload_bytes,
            request_schema=request_schema,
            source_system=source_system,
            target_system=target_system,
            timeout_ms=timeout_ms,
        )

        product_public.additional_properties = d
        return product_public

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
