"""The field-mapping engine as plain functions."""

from __future__ import annotations

from typing import Any

import pytest

from engines import budget
from engines.mapping import compile_mapping
from models.errors import ErrorCode, PlatformError
from models.mappings import FieldMapping, Mapping


def apply(fields: list[dict[str, Any]], source: Any) -> dict[str, Any]:
    definition = Mapping(name="t", fields=[FieldMapping.model_validate(f) for f in fields])
    return compile_mapping(definition).apply(source).document


def failure(fields: list[dict[str, Any]], source: Any = None) -> PlatformError:
    with pytest.raises(PlatformError) as caught:
        apply(fields, source or {})
    return caught.value


def test_plain_paths_create_nested_objects_and_arrays() -> None:
    out = apply(
        [
            {"source": "a.b", "target": "x.y.z"},
            {"source": "list[1].v", "target": "rows[2].value"},
        ],
        {"a": {"b": 1}, "list": [{"v": "no"}, {"v": "yes"}]},
    )
    assert out == {"x": {"y": {"z": 1}}, "rows": [None, None, {"value": "yes"}]}


def test_jmespath_sources_share_one_multiselect() -> None:
    doc = {"items": [{"v": 5, "k": "a"}, {"v": 50, "k": "b"}], "name": "n"}
    out = apply(
        [
            {"source": "items[?v > `10`].k", "target": "big"},
            {"source": "length(items)", "target": "count"},
            {"source": "name", "target": "plain"},
        ],
        doc,
    )
    assert out == {"big": ["b"], "count": 2, "plain": "n"}


@pytest.mark.parametrize(
    ("transform", "args", "value", "expected"),
    [
        ("upper", {}, "ny", "NY"),
        ("lower", {}, "NY", "ny"),
        ("trim", {}, "  a ", "a"),
        ("date", {"from": "%m/%d/%Y", "to": "%Y-%m-%d"}, "12/01/2026", "2026-12-01"),
        ("date", {}, "2026-12-01", "2026-12-01"),
        ("round", {"digits": 1}, 2.25, 2.3),
        ("multiply", {"factor": 100}, 1.5, 150),
        ("scale", {"factor": 0.5}, 10, 5),
        ("divide", {"divisor": 4}, 10, 2.5),
        ("lookup", {"table": {"a": 1}, "default": 0}, "b", 0),
        ("enum_map", {"table": {"crane": "CRN"}}, "crane", "CRN"),
        ("to_number", {}, "1,250.50", 1250.5),
        ("to_string", {}, 12, "12"),
    ],
)
def test_transforms(transform: str, args: dict[str, Any], value: Any, expected: Any) -> None:
    out = apply(
        [{"source": "v", "target": "out", "transform": transform, "args": args}], {"v": value}
    )
    assert out == {"out": expected}


def test_concat_default_and_coalesce_fill_missing_values() -> None:
    out = apply(
        [
            {
                "source": "first",
                "target": "full",
                "transform": "concat",
                "args": {"sources": ["last"], "separator": " "},
            },
            {"source": "nope", "target": "d", "transform": "default", "args": {"value": 7}},
            {
                "source": "nope",
                "target": "c",
                "transform": "coalesce",
                "args": {"sources": ["x", "last"]},
            },
            {"source": "nope", "target": "plain_default", "default": "USD"},
            {"target": "constant", "default": "IMCE"},
        ],
        {"first": "Ada", "last": "Lovelace"},
    )
    assert out == {
        "full": "Ada Lovelace",
        "d": 7,
        "c": "Lovelace",
        "plain_default": "USD",
        "constant": "IMCE",
    }


def test_per_element_mapping_of_arrays() -> None:
    out = apply(
        [
            {
                "source": "equipment",
                "target": "Exposures.Exposure",
                "items": [
                    {"source": "serial", "target": "@id"},
                    {
                        "source": "value",
                        "target": "Value",
                        "transform": "divide",
                        "args": {"divisor": 1000},
                    },
                ],
            },
        ],
        {"equipment": [{"serial": "a", "value": 5000}, {"serial": "b", "value": 1000}]},
    )
    assert out == {"Exposures": {"Exposure": [{"@id": "a", "Value": 5}, {"@id": "b", "Value": 1}]}}


def test_missing_required_fields_are_all_reported_at_top_level() -> None:
    error = failure(
        [
            {"source": "a", "target": "a", "required": True},
            {"source": "b.c", "target": "b", "required": True},
        ]
    )
    assert error.details["missing"] == ["a", "b.c"]


def test_required_element_field_names_the_element() -> None:
    error = failure(
        [
            {
                "source": "list",
                "target": "l",
                "items": [{"source": "id", "target": "id", "required": True}],
            }
        ],
        {"list": [{"id": 1}, {}]},
    )
    assert error.details["missing"] == ["list[1].id"]


def test_transform_on_the_wrong_type_names_the_field() -> None:
    error = failure([{"source": "n", "target": "t", "transform": "upper"}], {"n": 5})
    assert error.code == ErrorCode.MAPPING_FAILED
    assert "upper" in error.message
    assert error.details == {"target": "t", "source": "n"}
    bad_date = failure([{"source": "d", "target": "d", "transform": "date"}], {"d": "abc"})
    assert "'abc' is not a date" in bad_date.message
    strict = failure(
        [{"source": "k", "target": "k", "transform": "enum_map", "args": {"table": {"a": 1}}}],
        {"k": "z"},
    )
    assert "not in the lookup table" in strict.message


def test_items_on_a_non_array_fail_clearly() -> None:
    error = failure(
        [{"source": "x", "target": "y", "items": [{"source": "a", "target": "a"}]}], {"x": 1}
    )
    assert "not an array" in error.message


def test_compile_lists_every_problem() -> None:
    with pytest.raises(PlatformError) as caught:
        compile_mapping(
            Mapping(
                name="bad",
                fields=[
                    FieldMapping(source="a[?", target="x"),
                    FieldMapping(source="a", target="not a path!"),
                    FieldMapping(source="a", target="y", transform="nope"),
                    FieldMapping(source="a", target="z", transform="divide", args={"divisor": 0}),
                ],
            )
        )
    error = caught.value
    assert error.code == ErrorCode.VALIDATION_FAILED
    fields = [p["field"] for p in error.details["problems"]]
    assert fields == ["fields[0]", "fields[1]", "fields[2]", "fields[3]"]
    assert "division by zero" in error.details["problems"][3]["message"]


def test_a_target_index_past_the_bound_is_refused_at_save() -> None:
    with pytest.raises(PlatformError) as caught:
        compile_mapping(Mapping(name="t", fields=[FieldMapping(source="a", target="x[10000000]")]))
    assert caught.value.code == ErrorCode.VALIDATION_FAILED
    assert "past the largest allowed" in caught.value.details["problems"][0]["message"]
    compile_mapping(Mapping(name="t", fields=[FieldMapping(source="a", target="x[10000]")]))


def test_a_step_writing_past_the_bound_fails_cleanly() -> None:
    from engines.paths import with_path

    with pytest.raises(PlatformError) as caught:
        with_path({"a": 1}, "x[1000000000]", 1)
    assert caught.value.code == ErrorCode.VALIDATION_FAILED


def test_padding_across_array_elements_is_bounded_per_step() -> None:
    """Each write pads at most 10,000 elements, but applied to every element of an array
    it multiplies: a step's writes may create at most MAX_PADDING empty elements."""
    mapping = compile_mapping(
        Mapping(
            name="t",
            fields=[
                FieldMapping.model_validate(
                    {
                        "source": "rows",
                        "target": "out",
                        "items": [{"source": "v", "target": "z[9999]"}],
                    }
                )
            ],
        )
    )
    rows = {"rows": [{"v": i} for i in range(200)]}  # 200 x 10,000 = 2M empty elements
    with budget.within(60), pytest.raises(PlatformError) as caught:
        mapping.apply(rows)
    assert caught.value.code == ErrorCode.MAPPING_FAILED
    assert f"past {budget.MAX_PADDING} empty elements" in caught.value.message
    with budget.within(60):
        assert len(mapping.apply({"rows": rows["rows"][:50]}).document["out"]) == 50


def test_mappings_compute_with_numbers_and_dates() -> None:
    """The new-user finding: a vehicle's age from its year and the effective date."""
    source = {
        "vehicle": {"year": 2019, "value": 30000, "deductible": 500},
        "policy": {"effectiveDate": "2027-03-01", "inception": "2025-02-28"},
    }
    out = apply(
        [
            {
                "source": "vehicle.year",
                "target": "ageYears",
                "transform": "years_since",
                "args": {"as_of": "policy.effectiveDate"},
            },
            {
                "source": "policy.inception",
                "target": "tenureYears",
                "transform": "years_since",
                "args": {"as_of": "policy.effectiveDate"},
            },
            {
                "source": "vehicle.value",
                "target": "net",
                "transform": "subtract",
                "args": {"source": "vehicle.deductible"},
            },
            {
                "source": "vehicle.value",
                "target": "plus",
                "transform": "add",
                "args": {"value": 0.5},
            },
            {
                "source": "policy.inception",
                "target": "days",
                "transform": "days_since",
                "args": {"as_of": "policy.effectiveDate"},
            },
            {
                "source": "policy.effectiveDate",
                "target": "expiry",
                "transform": "date_add",
                "args": {"years": 1, "days": -1},
            },
            {
                "source": "policy.inception",
                "target": "nextMonth",
                "transform": "date_add",
                "args": {"months": 1},
            },
        ],
        source,
    )
    assert out == {
        "ageYears": 8,
        "tenureYears": 2,
        "net": 29500,
        "plus": 30000.5,
        "days": 731,
        "expiry": "2028-02-29",
        "nextMonth": "2025-03-28",
    }
    one_month = {"source": "d", "target": "x", "transform": "date_add", "args": {"months": 1}}
    assert apply([one_month], {"d": "2027-01-31"}) == {"x": "2027-02-28"}  # clamped


def test_computing_transforms_check_their_arguments_and_operands() -> None:
    both = [{"source": "a", "target": "x", "transform": "add", "args": {"value": 1, "source": "b"}}]
    with pytest.raises(PlatformError) as caught:
        compile_mapping(Mapping(name="t", fields=[FieldMapping.model_validate(f) for f in both]))
    assert caught.value.code == ErrorCode.VALIDATION_FAILED
    missing = [{"source": "a", "target": "x", "transform": "subtract", "args": {"source": "b"}}]
    assert "found nothing at 'b'" in failure(missing, {"a": 1}).message
    bad_date = [
        {"source": "a", "target": "x", "transform": "years_since", "args": {"as_of": "today"}}
    ]
    assert "is not an ISO date" in failure(bad_date, {"a": "yesterday"}).message
