from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.field_mapping_output_args import FieldMappingOutputArgs


T = TypeVar("T", bound="FieldMappingOutput")


@_attrs_define
class FieldMappingOutput:
    """One field: where its value comes from, how it is transformed, where it goes.

    Attributes:
        target (str): Plain dotted path in the output, e.g. policy.lines[0].code.
        args (FieldMappingOutputArgs | Unset): The transform's arguments.
        default (Any | Unset): Used when the source is missing or null.
        items (list[FieldMappingOutput] | None | Unset): Per-element mapping: the source is an array, each element
            mapped.
        required (bool | Unset): Fail the step when no value results. Default: False.
        source (None | str | Unset): Plain dotted path or JMESPath expression; unset for a constant default. In items,
            $parent.x reads the enclosing element and $root.x the mapped document; an items source 'states[].classes' maps
            every class of every state.
        transform (None | str | Unset): Name of a registered transform.
    """

    target: str
    args: FieldMappingOutputArgs | Unset = UNSET
    default: Any | Unset = UNSET
    items: list[FieldMappingOutput] | None | Unset = UNSET
    required: bool | Unset = False
    source: None | str | Unset = UNSET
    transform: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        target = self.target

        args: dict[str, Any] | Unset = UNSET
        if not isinstance(self.args, Unset):
            args = self.args.to_dict()

        default = self.default

        items: list[dict[str, Any]] | None | Unset
        if isinstance(self.items, Unset):
            items = UNSET
        elif isinstance(self.items, list):
            items = []
            for items_type_0_item_data in self.items:
                items_type_0_item = items_type_0_item_data.to_dict()
                items.append(items_type_0_item)

        else:
            items = self.items

        required = self.required

        source: None | str | Unset
        if isinstance(self.source, Unset):
            source = UNSET
        else:
            source = self.source

        transform: None | str | Unset
        if isinstance(self.transform, Unset):
            transform = UNSET
        else:
            transform = self.transform

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "target": target,
            }
        )
        if args is not UNSET:
            field_dict["args"] = args
        if default is not UNSET:
            field_dict["default"] = default
        if items is not UNSET:
            field_dict["items"] = items
        if required is not UNSET:
            field_dict["required"] = required
        if source is not UNSET:
            field_dict["source"] = source
        if transform is not UNSET:
            field_dict["transform"] = transform

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.field_mapping_output_args import FieldMappingOutputArgs  # noqa: PLC0415

        d = dict(src_dict)
        target = d.pop("target")

        _args = d.pop("args", UNSET)
        args: FieldMappingOutputArgs | Unset
        if isinstance(_args, Unset):
            args = UNSET
        else:
            args = FieldMappingOutputArgs.from_dict(_args)

        default = d.pop("default", UNSET)

        def _parse_items(data: object) -> list[FieldMappingOutput] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                items_type_0 = []
                _items_type_0 = data
                for items_type_0_item_data in _items_type_0:
                    items_type_0_item = FieldMappingOutput.from_dict(items_type_0_item_data)

                    items_type_0.append(items_type_0_item)

                return items_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[FieldMappingOutput] | None | Unset, data)

        items = _parse_items(d.pop("items", UNSET))

        required = d.pop("required", UNSET)

        def _parse_source(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        source = _parse_source(d.pop("source", UNSET))

        def _parse_transform(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        transform = _parse_transform(d.pop("transform", UNSET))

        field_mapping_output = cls(
            target=target,
            args=args,
            default=default,
            items=items,
            required=required,
            source=source,
            transform=transform,
        )

        field_mapping_output.additional_properties = d
        return field_mapping_output

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
