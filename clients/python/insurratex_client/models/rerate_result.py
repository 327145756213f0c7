from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.rerate_result_status import RerateResultStatus

if TYPE_CHECKING:
    from ..models.difference import Difference


T = TypeVar("T", bound="RerateResult")


@_attrs_define
class RerateResult:
    """The answer of ``POST /api/v1/transactions/{id}/rerate``.

    Attributes:
        difference_count (int):
        differences (list[Difference]): The first 100 fields that differ ($status: the run's outcome).
        flow_version (int): The version the re-rating ran: the one the original pinned, unless another was asked for.
        identical (bool): The re-run's status and result document equal the original's, field by field.
        rerate_of (str): The transaction re-rated.
        status (RerateResultStatus):
        transaction_id (str): The re-rating's own transaction (a simulation).
    """

    difference_count: int
    differences: list[Difference]
    flow_version: int
    identical: bool
    rerate_of: str
    status: RerateResultStatus
    transaction_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        difference_count = self.difference_count

        differences = []
        for differences_item_data in self.differences:
            differences_item = differences_item_data.to_dict()
            differences.append(differences_item)

        flow_version = self.flow_version

        identical = self.identical

        rerate_of = self.rerate_of

        status = self.status.value

        transaction_id = self.transaction_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "differenceCount": difference_count,
                "differences": differences,
                "flowVersion": flow_version,
                "identical": identical,
                "rerateOf": rerate_of,
                "status": status,
                "transactionId": transaction_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.difference import Difference  # noqa: PLC0415

        d = dict(src_dict)
        difference_count = d.pop("differenceCount")

        differences = []
        _differences = d.pop("differences")
        for differences_item_data in _differences:
            differences_item = Difference.from_dict(differences_item_data)

            differences.append(differences_item)

        flow_version = d.pop("flowVersion")

        identical = d.pop("identical")

        rerate_of = d.pop("rerateOf")

        status = RerateResultStatus(d.pop("status"))

        transaction_id = d.pop("transactionId")

        rerate_result = cls(
            difference_count=difference_count,
            differences=differences,
            flow_version=flow_version,
            identical=identical,
            rerate_of=rerate_of,
            status=status,
            transaction_id=transaction_id,
        )

        rerate_result.additional_properties = d
        return rerate_result

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
