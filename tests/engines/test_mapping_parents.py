"""Mappings reading enclosing elements ($parent, $root) and flattening ``a[].b``."""

from __future__ import annotations

from typing import Any

import pytest

from engines.mapping import compile_mapping
from models.errors import ErrorCode, PlatformError
from models.mappings import Mapping

POLICY: dict[str, Any] = {
    "policy": {"id": "WC-1"},
    "states": [
        {
            "state": "PA",
            "mod": 0.9,
            "classes": [{"code": "8810", "payroll": 100}, {"code": "5403"}],
        },
        {"state": "NY", "mod": 1.1, "classes": [{"code": "8810", "payroll": 300}]},
        {"state": "TX", "classes": None},
        {"state": "FL"},
    ],
}


def mapping(*fields: dict[str, Any]) -> Any:
    return compile_mapping(Mapping.model_validate({"name": "m", "fields": list(fields)}))


def test_a_flattened_source_carries_the_parents_fields_onto_each_child() -> None:
    flat = mapping(
        {
            "source": "states[].classes",
            "target": "exposures",
            "items": [
                {"source": "code", "target": "classCode"},
                {"source": "$parent.state", "target": "state"},
                {"source": "$root.policy.id", "target": "policy"},
                {
                    "source": "payroll",
                    "target": "value",
                    "transform": "multiply",
                    "args": {"factor": 2},
                    "default": 0,
                },
            ],
        }
    )
    assert flat.apply(POLICY).document["exposures"] == [
        {"classCode": "8810", "state": "PA", "policy": "WC-1", "value": 200},
        {"classCode": "5403", "state": "PA", "policy": "WC-1", "value": 0},
        {"classCode": "8810", "state": "NY", "policy": "WC-1", "value": 600},
    ]


def test_nested_items_climb_parents_and_transforms_read_them() -> None:
    nested = mapping(
        {
            "source": "states",
            "target": "states",
            "items": [
                {"source": "state", "target": "code"},
                {
                    "source": "classes",
                    "target": "lines",
                    "items": [
                        {"source": "$parent.state", "target": "state"},
                        {"source": "$parent.$parent.policy.id", "target": "policy"},
                        {
                            "source": "payroll",
                            "target": "modified",
                            "transform": "multiply",
                            "args": {"factor": 1},
                        },
                        {
                            "source": "payroll",
                            "target": "plus",
                            "transform": "add",
                            "args": {"source": "$parent.mod"},
                        },
                    ],
                },
            ],
        }
    )
    states = nested.apply(POLICY).document["states"]
    assert states[0]["lines"] == [
        {"state": "PA", "policy": "WC-1", "modified": 100, "plus": 100.9},
        {"state": "PA", "policy": "WC-1"},
    ]
    assert states[1]["lines"][0]["plus"] == 301.1
    assert "lines" not in states[2]
    assert "lines" not in states[3]


def test_a_failure_in_a_flattened_child_names_its_real_path() -> None:
    strict = mapping(
        {
            "source": "states[].classes[]",
            "target": "exposures",
            "items": [{"source": "payroll", "target": "value", "required": True}],
        }
    )
    with pytest.raises(PlatformError) as caught:
        strict.apply(POLICY)
    assert caught.value.code == ErrorCode.MAPPING_FAILED
    assert caught.value.details["missing"] == ["states[0].classes[1].payroll"]


def test_an_inner_array_that_is_not_one_fails_the_step() -> None:
    flat = mapping(
        {"source": "states[].classes", "target": "e", "items": [{"source": "code", "target": "c"}]}
    )
    with pytest.raises(PlatformError, match="which is a str, not an array"):
        flat.apply({"states": [{"classes": "8810"}]})


def test_parents_are_plain_paths_within_their_nesting() -> None:
    with pytest.raises(PlatformError) as caught:
        mapping(
            {"source": "$parent.state", "target": "a"},
            {"source": "states[?x].$root", "target": "b"},
            {
                "source": "states",
                "target": "c",
                "items": [{"source": "$parent.$parent.x", "target": "d"}],
            },
        )
    messages = [p["message"] for p in caught.value.details["problems"]]
    assert messages == [
        "source '$parent.state' climbs past the 0 enclosing element(s)",
        "$parent and $root are read by plain paths only, not JMESPath",
        "source '$parent.$parent.x' climbs past the 1 enclosing element(s)",
    ]


def test_root_at_the_top_is_the_document_itself() -> None:
    assert mapping({"source": "$root.policy.id", "target": "id"}).apply(POLICY).document == {
        "id": "WC-1"
    }
