from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.flow_export import FlowExport
    from ..models.mapping_output import MappingOutput
    from ..models.product_create import ProductCreate
    from ..models.rule import Rule


T = TypeVar("T", bound="ProductExport")


@_attrs_define
class ProductExport:
    """``GET /api/v1/products/{code}/export``; ``docs/schemas/product-export.schema.json``.

    Attributes:
        product (ProductCreate):
        export_version (Literal['1.0'] | Unset):  Default: '1.0'.
        flows (list[FlowExport] | Unset):
        mappings (list[MappingOutput] | Unset):
        rules (list[Rule] | Unset):
    """

    product: ProductCreate
    export_version: Literal["1.0"] | Unset = "1.0"
    flows: list[FlowExport] | Unset = UNSET
    mappings: list[MappingOutput] | Unset = UNSET
    rules: list[Rule] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        product = self.product.to_dict()

        export_version = self.export_version

        flows: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.flows, Unset):
            flows = []
            for flows_item_data in self.flows:
                flows_item = flows_item_data.to_dict()
                flows.append(flows_item)

        mappings: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.mappings, Unset):
            mappings = []
            for mappings_item_data in self.mappings:
                mappings_item = mappings_item_data.to_dict()
                mappings.append(mappings_item)

        rules: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.rules, Unset):
            rules = []
            for rules_item_data in self.rules:
                rules_item = rules_item_data.to_dict()
                rules.append(rules_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "product": product,
            }
        )
        if export_version is not UNSET:
            field_dict["exportVersion"] = export_version
        if flows is not UNSET:
            field_dict["flows"] = flows
        if mappings is not UNSET:
            field_dict["mappings"] = mappings
        if rules is not UNSET:
            field_dict["rules"] = rules

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.flow_export import FlowExport  # noqa: PLC0415
        from ..models.mapping_output import MappingOutput  # noqa: PLC0415
        from ..models.product_create import ProductCreate  # noqa: PLC0415
        from ..models.rule import Rule  # noqa: PLC0415

        d = dict(src_dict)
        product = ProductCreate.from_dict(d.pop("product"))

        export_version = cast(Literal["1.0"] | Unset, d.pop("exportVersion", UNSET))
        if export_version != "1.0" and not isinstance(export_version, Unset):
            raise ValueError(f"exportVersion must match const '1.0', got '{export_version}'")

        _flows = d.pop("flows", UNSET)
        flows: list[FlowExport] | Unset = UNSET
        if _flows is not UNSET:
            flows = []
            for flows_item_data in _flows:
                flows_item = FlowExport.from_dict(flows_item_data)

                flows.append(flows_item)

        _mappings = d.pop("mappings", UNSET)
        mappings: list[MappingOutput] | Unset = UNSET
        if _mappings is not UNSET:
            mappings = []
            for mappings_item_data in _mappings:
                mappings_item = MappingOutput.from_dict(mappings_item_data)

                mappings.append(mappings_item)

        _rules = d.pop("rules", UNSET)
        rules: list[Rule] | Unset = UNSET
        if _rules is not UNSET:
            rules = []
            for rules_item_data in _rules:
                rules_item = Rule.from_dict(rules_item_data)

                rules.append(rules_item)

        product_export = cls(
            product=product,
            export_version=export_version,
            flows=flows,
            mappings=mappings,
            rules=rules,
        )

        return product_export
