"""The generated mapping code against the interpreter it replaced, and the transforms'
unary shortcuts against the transforms.

``OracleMapping`` is the engine as it was before mappings compiled to code: it
interprets field by field per element. Every answer of the new engine (document,
int and float types, key order, counts) and every error (type, code, message,
details, cause) must be the oracle's.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import jmespath
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jmespath.exceptions import JMESPathError
from pydantic import BaseModel, ValidationError

from engines import budget
from engines.mapping import compile_mapping
from engines.paths import (
    MAX_ARRAY_INDEX,
    MISSING,
    PathError,
    get_parts,
    index_too_large,
    set_parts,
    split_path,
)
from engines.transforms import TRANSFORMS, Transform, TransformError, register_transform
from models.errors import ErrorCode, PlatformError
from models.mappings import FieldMapping, Mapping

# -- the oracle: the interpreting engine, as it was ------------------------------------

_PLAIN = re.compile(r"^[A-Za-z_$@][\w$@-]*(\[\d+\])*(\.[A-Za-z_$@][\w$@-]*(\[\d+\])*)*$")


def _climb(parts: tuple[str | int, ...]) -> tuple[int, tuple[str | int, ...]]:
    """How far a plain source climbs ($root: -1) and its path from there."""
    if parts[:1] == ("$root",):
        return -1, parts[1:]
    k = 0
    while k < len(parts) and parts[k] == "$parent":
        k += 1
    return k, parts[k:]


def _from(source: Any, up: tuple[Any, ...], climb: int) -> Any:
    if climb == -1:
        return up[-1] if up else source
    return source if climb == 0 else up[climb - 1]


@dataclass(frozen=True)
class OracleResult:
    document: dict[str, Any]
    fields_applied: int
    fields_defaulted: int


@dataclass(frozen=True)
class _Field:
    spec: FieldMapping
    getter: tuple[str | int, ...] | None
    expression_key: str | None
    target: tuple[str | int, ...]
    transform: Transform | None
    args: BaseModel | None
    items: OracleMapping | None
    key: str | None = None
    target_key: str | None = None
    climb: int = 0
    through: tuple[tuple[str | int, ...], ...] = ()


class OracleMapping:
    def __init__(self, fields: list[_Field], multiselect: Any) -> None:
        self.fields = fields
        self.multiselect = multiselect

    def apply(self, source: Any, prefix: str = "", up: tuple[Any, ...] = ()) -> OracleResult:
        budget.check()
        found = self.multiselect.search(source) if self.multiselect is not None else {}
        out: dict[str, Any] = {}
        missing: list[str] = []
        applied = defaulted = 0

        def lookup(path: str) -> Any:
            climb, parts = _climb(split_path(path))
            if climb > len(up):
                return None
            value = get_parts(_from(source, up, climb), parts)
            return None if value is MISSING else value

        is_object = isinstance(source, dict)
        for field in self.fields:
            spec = field.spec
            if field.key is not None:
                value = source.get(field.key) if is_object else None
            elif field.getter is not None:
                value = get_parts(_from(source, up, field.climb), field.getter)
                value = None if value is MISSING else value
            elif field.expression_key is not None:
                value = found.get(field.expression_key) if isinstance(found, dict) else None
            else:
                value = None
            if field.items is not None and value is not None:
                value = self._each(field, value, prefix, (source, *up))
            if field.transform is not None and (value is not None or field.transform.accepts_null):
                try:
                    value = field.transform.fn(value, field.args, lookup)
                except TransformError as exc:
                    raise PlatformError(
                        ErrorCode.MAPPING_FAILED,
                        f"Field '{prefix}{spec.target}': transform '{spec.transform}' failed on "
                        f"'{prefix}{spec.source}': {exc}.",
                        details={"target": prefix + spec.target, "source": spec.source},
                    ) from exc
            if value is None and spec.default is not None:
                value = spec.default
                defaulted += 1
            if value is None:
                if spec.required:
                    missing.append(prefix + (spec.source or spec.target))
                continue
            if field.target_key is not None:
                out[field.target_key] = value
            else:
                try:
                    set_parts(out, field.target, value)
                except PathError as exc:
                    raise PlatformError(
                        ErrorCode.MAPPING_FAILED,
                        f"Field '{prefix}{spec.target}': {exc}.",
                        details={"target": prefix + spec.target},
                    ) from exc
            applied += 1
        if missing:
            raise PlatformError(
                ErrorCode.MAPPING_FAILED,
                f"{len(missing)} required field(s) missing: {', '.join(missing)}.",
                details={"missing": missing},
            )
        return OracleResult(out, applied, defaulted)

    def _each(self, field: _Field, value: Any, prefix: str, up: tuple[Any, ...]) -> list[Any]:
        spec = field.spec

        def not_array(kind: str) -> PlatformError:
            return PlatformError(
                ErrorCode.MAPPING_FAILED,
                f"Field '{prefix}{spec.target}' maps each element of "
                f"'{spec.source}', which is a {kind}, not an array.",
                details={"source": spec.source},
            )

        if not isinstance(value, list):
            raise not_array(type(value).__name__)
        first = (spec.source or "").split("[]", 1)[0]
        # (element, where, its up), walked level by level for a source through arrays
        elements = [(e, f"{first}[{i}]", up) for i, e in enumerate(value)]
        for parts in field.through:
            name = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)
            inner = []
            for holder, where, above in elements:
                items = get_parts(holder, parts) if isinstance(holder, dict) else MISSING
                if items is MISSING or items is None:
                    continue
                if not isinstance(items, list):
                    raise not_array(type(items).__name__)
                inner += [(e, f"{where}{name}[{i}]", (holder, *above)) for i, e in enumerate(items)]
            elements = inner
        assert field.items is not None
        return [
            field.items.apply(element, f"{prefix}{where}.", above).document
            for element, where, above in elements
        ]


def oracle_compile(definition: Mapping) -> OracleMapping:
    problems: list[dict[str, Any]] = []
    compiled = _oracle_compile(definition.fields, "", problems, 0)
    if problems:
        raise PlatformError(
            ErrorCode.VALIDATION_FAILED,
            f"Mapping '{definition.name}' has {len(problems)} problem(s).",
            details={"problems": problems},
        )
    return compiled


def _oracle_compile(
    fields: list[FieldMapping], where: str, problems: list[dict[str, Any]], enclosing: int
) -> OracleMapping:
    out: list[_Field] = []
    expressions: dict[str, str] = {}
    for index, spec in enumerate(fields):
        at = f"{where}fields[{index}]"

        def problem(message: str, at: str = at, spec: FieldMapping = spec) -> None:
            problems.append({"field": at, "target": spec.target, "message": message})

        if not _PLAIN.match(spec.target):
            problem(f"target '{spec.target}' is not a plain dotted path")
        elif (big := index_too_large(spec.target)) is not None:
            problem(f"target index [{big}] is past the largest allowed, [{MAX_ARRAY_INDEX}]")
        getter = key = None
        climb = 0
        through: tuple[tuple[str | int, ...], ...] = ()
        levels = spec.source.removesuffix("[]").split("[].") if spec.source else []
        if (
            spec.items
            and len(levels) > 1
            and all(_PLAIN.match(level) and not level.startswith("$") for level in levels)
        ):
            getter, through = split_path(levels[0]), tuple(split_path(lv) for lv in levels[1:])
        elif spec.source is not None:
            if _PLAIN.match(spec.source):
                climb, getter = _climb(split_path(spec.source))
                if climb > enclosing:
                    problem(
                        f"source '{spec.source}' climbs past the {enclosing} enclosing element(s)"
                    )
            elif "$parent" in spec.source or "$root" in spec.source:
                problem("$parent and $root are read by plain paths only, not JMESPath")
            else:
                try:
                    jmespath.compile(spec.source)
                except JMESPathError as exc:
                    problem(f"source is not valid JMESPath: {exc}")
                key = f"f{len(expressions)}"
                expressions[key] = spec.source
        transform = args = None
        if spec.transform is not None:
            transform = TRANSFORMS.get(spec.transform)
            if transform is None:
                problem(
                    f"unknown transform '{spec.transform}' (known: {', '.join(sorted(TRANSFORMS))})"
                )
            else:
                try:
                    args = transform.args_model.model_validate(spec.args)
                except ValidationError as exc:
                    for err in exc.errors(include_url=False, include_input=False):
                        loc = ".".join(str(p) for p in err["loc"])
                        problem(f"args.{loc}: {err['msg']}")
        items = None
        if spec.items:
            inner = enclosing + 1 + len(through)
            items = _oracle_compile(spec.items, f"{at}.items.", problems, inner)
        target = split_path(spec.target) if _PLAIN.match(spec.target) else ("_",)
        single = (
            getter[0]
            if getter and len(getter) == 1 and isinstance(getter[0], str) and not climb
            else None
        )
        target_key = target[0] if len(target) == 1 and isinstance(target[0], str) else None
        out.append(
            _Field(
                spec,
                getter,
                key,
                target,
                transform,
                args,
                items,
                single,
                target_key,
                climb,
                through,
            )
        )
    multiselect = None
    if expressions and not problems:
        body = ", ".join(f"{k}: ({e})" for k, e in expressions.items())
        try:
            multiselect = jmespath.compile("{" + body + "}")
        except JMESPathError as exc:
            problems.append({"field": where or "fields", "target": "", "message": str(exc)})
    return OracleMapping(out, multiselect)


# -- comparing outcomes ----------------------------------------------------------------


def same(a: Any, b: Any) -> bool:
    """Equal, with the same types all the way down and the same key order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, Decimal):  # NaNs too; and 1.0 is not 1.00
        return bool(a.as_tuple() == b.as_tuple())
    return bool(a == b)


def outcome(run: Any) -> tuple[str, Any]:
    """What a call gave: its answer, or its error's type, code, message, details, cause."""
    try:
        result = run()
    except PlatformError as exc:
        cause = type(exc.__cause__).__name__ if exc.__cause__ is not None else None
        return "error", (exc.code, exc.message, exc.details, cause)
    except Exception as exc:
        return "raised", (type(exc).__name__, str(exc))
    return "ok", result


def assert_same_outcome(fields: list[dict[str, Any]], source: Any) -> None:
    definition = Mapping(name="t", fields=[FieldMapping.model_validate(f) for f in fields])
    old = outcome(lambda: oracle_compile(definition))
    new = outcome(lambda: compile_mapping(definition))
    assert old[0] == new[0]
    if old[0] != "ok":
        assert old == new
        return
    old_result = outcome(lambda: old[1].apply(source))
    new_result = outcome(lambda: new[1].apply(source))
    assert old_result[0] == new_result[0], (old_result, new_result)
    if old_result[0] != "ok":
        assert old_result == new_result
        return
    o, n = old_result[1], new_result[1]
    assert same(n.document, o.document), (n.document, o.document)
    assert (n.fields_applied, n.fields_defaulted) == (o.fields_applied, o.fields_defaulted)


# -- generated mappings and documents ---------------------------------------------------

KEYS = ["a", "b", "@id", "list", "x-y"]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.sampled_from([0, 1, 5, 2.25, 2.5, 10007.5, 123456.78, -0.0, 1e20, 0.1, 1e-7]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["a", "ny", " b ", "crane", "True", "1,250.50", "2026-12-01", "", "x"]),
    st.text(max_size=4),
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=5)
    ),
    max_leaves=8,
)
PLAIN_SOURCES = st.one_of(
    st.sampled_from(KEYS),
    st.sampled_from(["a.b", "list[0]", "list[1].a", "a.list[0].b", "b.@id", "a.a.a"]),
    # reaching out of an element, and arrays inside arrays (for items)
    st.sampled_from(["$parent.a", "$parent.$parent.b", "$root.list", "$root", "list[].list"]),
    st.sampled_from(["list[].a[]", "a[].list[].list"]),
)
JMESPATH_SOURCES = st.sampled_from(
    ["a || b", "list[].a", "length(list)", "`5`", "list[?a].b", "{k: a}", "b.a"]
)
TARGETS = st.one_of(
    st.sampled_from(KEYS),
    st.sampled_from(["out.a", "out.b", "rows[1]", "rows[0].v", "a.b.c", "list[2]", "a"]),
)
TABLE = {"crane": "CRN", "ny": "NY", "True": 1, "5": None, "2.25": 2}
TRANSFORM_ARGS = st.one_of(
    st.tuples(st.sampled_from(["upper", "lower", "trim", "to_number", "to_string"]), st.just({})),
    st.tuples(st.just("round"), st.builds(lambda d: {"digits": d}, st.integers(0, 12))),
    st.tuples(st.sampled_from(["multiply", "scale"]), st.just({"factor": 0.5})),
    st.tuples(st.just("divide"), st.just({"divisor": 4})),
    st.tuples(
        st.sampled_from(["lookup", "enum_map"]),
        st.builds(
            lambda strict, default: {"table": TABLE, "strict": strict, "default": default},
            st.booleans(),
            SCALARS,
        ),
    ),
    st.tuples(st.just("default"), st.builds(lambda v: {"value": v}, SCALARS)),
    st.tuples(st.just("concat"), st.just({"sources": ["b", "list[0]"], "separator": "-"})),
    st.tuples(
        st.just("concat"), st.just({"sources": ["$parent.a", "$root.b", "$parent.$parent.x"]})
    ),
    st.tuples(st.just("coalesce"), st.just({"sources": ["b", "a.b"]})),
    st.tuples(st.just("add"), st.sampled_from([{"value": 1.5}, {"source": "b"}])),
    st.tuples(st.just("date"), st.just({})),
    st.tuples(st.just("date_add"), st.just({"months": 1})),
    st.tuples(st.just("years_since"), st.just({"as_of": "b"})),
)


def field_strategy(depth: int) -> st.SearchStrategy[dict[str, Any]]:
    items = st.none() if depth == 0 else st.lists(field_strategy(depth - 1), max_size=4)
    return st.builds(
        _field,
        source=st.one_of(st.none(), PLAIN_SOURCES, PLAIN_SOURCES, JMESPATH_SOURCES),
        target=TARGETS,
        transform=st.one_of(st.none(), st.none(), TRANSFORM_ARGS),
        default=st.one_of(st.none(), st.none(), SCALARS),
        required=st.sampled_from([False, False, False, True]),
        items=items,
    )


def _field(
    source: str | None,
    target: str,
    transform: tuple[str, dict[str, Any]] | None,
    default: Any,
    required: bool,
    items: list[dict[str, Any]] | None,
) -> dict[str, Any]:
    field: dict[str, Any] = {"source": source, "target": target, "required": required}
    if transform is not None:
        field["transform"], field["args"] = transform
    if default is not None:
        field["default"] = default
    if items:
        field["items"] = items
    return field


ELEMENT = st.dictionaries(st.sampled_from(KEYS), JSON, max_size=5)
DOCUMENT = st.dictionaries(
    st.sampled_from(KEYS),
    st.one_of(JSON, st.lists(st.one_of(ELEMENT, SCALARS), max_size=6)),
    max_size=5,
)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fields=st.lists(field_strategy(2), max_size=5), source=st.one_of(DOCUMENT, JSON))
def test_generated_mappings_answer_as_the_interpreter(
    fields: list[dict[str, Any]], source: Any
) -> None:
    assert_same_outcome(fields, source)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    elements=st.lists(st.one_of(ELEMENT, ELEMENT, SCALARS), max_size=30),
    fields=st.lists(field_strategy(1), min_size=1, max_size=6),
)
def test_arrays_of_elements_answer_as_the_interpreter(
    elements: list[Any], fields: list[dict[str, Any]]
) -> None:
    """Per-element mapping of a longer array: every element's errors carry its index."""
    mapping = [{"source": "list", "target": "out", "items": fields}]
    assert_same_outcome(mapping, {"list": elements})


# -- the transforms' unary forms --------------------------------------------------------

NUMBERS = st.one_of(
    st.floats(),
    st.floats(-1e16, 1e16),
    # Where v * 10**digits is past 2**53 and rounds to an integer v need not have.
    st.floats(1e9, 4.6e15),
    st.builds(lambda n, d: n / 10**d, st.integers(-(10**17), 10**17), st.integers(0, 14)),
    st.builds(lambda n: n + 0.5, st.integers(-(2**53), 2**53)),
    st.integers(),
    st.integers(-(10**30), 10**30),
    st.sampled_from([10**16 - 1, 10**16, 10**28, -(10**26), 2**53 + 2, 1e15, -1e15, 1e16, -0.0]),
    st.decimals(allow_nan=True),
    st.booleans(),
)
VALUES = st.one_of(NUMBERS, SCALARS, st.lists(SCALARS, max_size=2))
UNARY_ARGS = st.one_of(
    st.tuples(st.just("round"), st.builds(lambda d: {"digits": d}, st.integers(0, 12))),
    st.tuples(
        st.sampled_from(["lookup", "enum_map"]),
        st.builds(
            lambda strict, default: {"table": TABLE, "strict": strict, "default": default},
            st.booleans(),
            SCALARS,
        ),
    ),
    st.tuples(
        st.sampled_from(["upper", "lower", "trim", "to_number", "to_string", "date"]), st.just({})
    ),
    st.tuples(st.sampled_from(["multiply", "scale"]), st.just({"factor": 0.1})),
    st.tuples(st.just("divide"), st.just({"divisor": 3})),
    st.tuples(st.just("default"), st.just({"value": "d"})),
    st.tuples(st.just("date_add"), st.just({"days": 1})),
)


def _nothing(path: str) -> Any:
    raise AssertionError(path)


@settings(max_examples=1000, deadline=None)
@given(transform=UNARY_ARGS, value=VALUES)
def test_unary_forms_answer_as_their_transforms(
    transform: tuple[str, dict[str, Any]], value: Any
) -> None:
    name, raw = transform
    found = TRANSFORMS[name]
    args = found.args_model.model_validate(raw)
    unary = found.unary_for(args)
    assert unary is not None
    old, new = outcome(lambda: found.fn(value, args, _nothing)), outcome(lambda: unary(value))
    assert old[0] == new[0], (old, new)
    assert same(new[1], old[1]) if old[0] == "ok" else new == old, (old, new)
    # The mapping's code writes some unary forms' shortcuts inline: the same answers.
    field = {"source": "v", "target": "v", "transform": name, "args": raw}
    assert_same_outcome([field], {"v": value})
    assert_same_outcome([{"source": "l", "target": "l", "items": [field]}], {"l": [{"v": value}]})


@pytest.mark.parametrize(
    ("digits", "value", "expected"),
    [
        (2, 10007.5, 10007.5),
        (2, 10000.0, 10000),
        (2, 123456.78, 123456.78),
        (2, 0.125, 0.13),  # half up, through Decimal
        (2, 2**60, 2**60),
        (0, 2.5, 3),
        (2, -0.0, 0),
        (12, 10**15, 10**15),  # 16 + 12 digits: the context's 28
        (12, 10**16, "InvalidOperation"),  # 29: past them, as before
        (1, True, "round needs a number, got bool"),
        (2, 1e300, "InvalidOperation"),  # past the context's precision, as before
    ],
)
def test_round_keeps_exact_values_and_types(digits: int, value: Any, expected: Any) -> None:
    result = outcome(
        lambda: compile_mapping(
            Mapping(
                name="t",
                fields=[
                    FieldMapping(source="v", target="v", transform="round", args={"digits": digits})
                ],
            )
        ).apply({"v": value})
    )
    if result[0] == "ok":
        assert same(result[1].document["v"], expected)
    else:
        assert expected in str(result[1])


# -- the IMCE mappings on the benchmark's document shape ---------------------------------


def imce_request(count: int) -> dict[str, Any]:
    types = ["excavator", "crane", "general tools", "loader", "compactor"]
    return {
        "quote": {"id": "Q-1", "effectiveDate": "2026-12-01"},
        "insured": {"name": "Acme", "address": {"state": "ny"}},
        "coverage": {"deductible": 1000},
        "equipment": [
            {
                "serial": f"EQ-{i:06d}",
                "type": types[i % 5],
                "value": 10_000 + i * 7.5 if i % 7 else 123456.789,
                "year": 2000 + i % 25,
                "description": "x" * 66,
            }
            | ({} if i % 11 else {"year": None})
            for i in range(count)
        ],
    }


def imce_response(count: int) -> dict[str, Any]:
    return {
        "engineResponse": {
            "QuoteId": "Q-1",
            "Currency": "USD",
            "Premium": {"Base": 1234.5, "Total": 1300.0, "MinimumApplied": False},
            "Lines": {
                "Line": [
                    {"@id": f"EQ-{i:06d}", "ClassCode": "EXC", "Value": 10000.0, "Rate": 1.1}
                    | ({"Premium": 126.5} if i % 13 else {})
                    for i in range(count)
                ]
            },
            "Factors": {"Factor": [{"@name": "state", "#text": 1.15}]},
            "Engine": {"@name": "irx-reference", "@version": "1"},
        },
        "engineRequest": {"State": "NY"},
        "insured": {"name": "Acme"},
    }


@pytest.fixture(scope="module")
def imce() -> dict[str, Any]:
    from irx.demo import demo_definition

    return demo_definition("IMCE")


def test_imce_mappings_answer_as_the_interpreter(imce: dict[str, Any]) -> None:
    request, response = imce["mappings"][0]["fields"], imce["mappings"][1]["fields"]
    assert_same_outcome(request, imce_request(2_500))
    assert_same_outcome(response, imce_response(2_500))
    assert_same_outcome(response, {})


@pytest.mark.parametrize(
    "spoil",
    [
        lambda doc: doc["equipment"][1_234].pop("serial"),
        lambda doc: doc["equipment"][1_500].update(type="bulldozer"),
        lambda doc: doc["equipment"][2_001].update(value="many"),
        lambda doc: doc["equipment"][3].update(value=True),
        lambda doc: doc["equipment"].__setitem__(7, "not an object"),
        lambda doc: doc.update(equipment={"serial": "x"}),
        lambda doc: doc["quote"].pop("id"),
        lambda doc: doc["insured"]["address"].update(state=5),
    ],
)
def test_imce_request_errors_answer_as_the_interpreter(imce: dict[str, Any], spoil: Any) -> None:
    doc = imce_request(2_500)
    spoil(doc)
    assert_same_outcome(imce["mappings"][0]["fields"], doc)


# -- what the generated code must keep ---------------------------------------------------


def test_values_of_the_mapping_are_data_never_code() -> None:
    tricky = ['a"; import os; "', "b'\n)", "{c}", "__import__('os')", "d\\"]
    fields: list[dict[str, Any]] = [
        {"source": tricky[0], "target": "t"},
        {"source": "nope", "target": "u", "default": tricky[1]},
        {"source": "list", "target": "rows", "items": [{"source": "@id", "target": tricky[2]}]},
        {"source": "x", "target": "v", "transform": "lookup", "args": {"table": {"1": tricky[3]}}},
    ]
    # Not plain paths: the first source is JMESPath (invalid), the item target is refused.
    with pytest.raises(PlatformError) as caught:
        compile_mapping(Mapping(name="t", fields=[FieldMapping.model_validate(f) for f in fields]))
    assert [p["field"] for p in caught.value.details["problems"]] == [
        "fields[0]",
        "fields[2].items.fields[0]",
    ]
    fields[0]["source"] = '`"a\\"; import os"`'
    fields[2]["items"][0]["target"] = "@id"
    source = {"x": 1, "list": [{"@id": tricky[4]}]}
    assert_same_outcome(fields, source)
    out = compile_mapping(
        Mapping(name="t", fields=[FieldMapping.model_validate(f) for f in fields])
    ).apply(source)
    assert out.document == {
        "t": 'a"; import os',
        "u": tricky[1],
        "rows": [{"@id": tricky[4]}],
        "v": tricky[3],
    }


def test_a_plugin_transform_without_a_unary_form_reads_other_paths_of_the_element() -> None:
    @register_transform("test_tagged")
    def tagged(value: Any, args: Any, lookup: Any) -> str:
        return f"{value}@{lookup('tag')}"

    try:
        fields = [
            {
                "source": "list",
                "target": "rows",
                "items": [{"source": "v", "target": "v", "transform": "test_tagged"}],
            }
        ]
        source = {"list": [{"v": 1, "tag": "a"}, {"v": 2}, {"tag": "c"}]}
        assert_same_outcome(fields, source)
        out = compile_mapping(
            Mapping(name="t", fields=[FieldMapping.model_validate(f) for f in fields])
        ).apply(source)
        assert out.document == {"rows": [{"v": "1@a"}, {"v": "2@None"}, {}]}
    finally:
        del TRANSFORMS["test_tagged"]


def test_long_arrays_check_the_time_budget_per_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    checks = []
    monkeypatch.setattr(budget, "check", lambda: checks.append(1))
    mapping = compile_mapping(
        Mapping(
            name="t",
            fields=[
                FieldMapping.model_validate(
                    {"source": "rows", "target": "out", "items": [{"source": "v", "target": "v"}]}
                )
            ],
        )
    )
    mapped = mapping.apply({"rows": [{"v": i} for i in range(2_500)]})
    assert len(mapped.document["out"]) == 2_500
    assert len(checks) == 1 + 3  # the document, then each batch of 1,000 elements


def test_a_spent_budget_stops_a_long_array() -> None:
    mapping = compile_mapping(
        Mapping(
            name="t",
            fields=[
                FieldMapping.model_validate(
                    {"source": "rows", "target": "out", "items": [{"source": "v", "target": "v"}]}
                )
            ],
        )
    )
    with budget.within(-1), pytest.raises(PlatformError) as caught:
        mapping.apply({"rows": [{"v": 1}] * 10})
    assert caught.value.code == ErrorCode.REQUEST_TIMEOUT


def test_nested_arrays_name_the_whole_path_of_a_failing_element() -> None:
    fields = [
        {
            "source": "a",
            "target": "a",
            "items": [
                {
                    "source": "b",
                    "target": "b",
                    "items": [{"source": "c", "target": "c", "transform": "upper"}],
                }
            ],
        }
    ]
    source = {"a": [{"b": [{"c": "x"}]}, {"b": [{"c": "y"}, {"c": 3}]}]}
    assert_same_outcome(fields, source)
    with pytest.raises(PlatformError) as caught:
        compile_mapping(
            Mapping(name="t", fields=[FieldMapping.model_validate(f) for f in fields])
        ).apply(source)
    assert caught.value.details == {"target": "a[1].b[1].c", "source": "c"}
    assert isinstance(caught.value.__cause__, TransformError)
