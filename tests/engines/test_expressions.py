"""The native expression evaluator against ZEN itself: same values, same failures."""

from __future__ import annotations

from typing import Any

import pytest
import zen
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from engines import zen_numbers as num
from engines.expressions import Defer
from engines.rules import compile_expression
from engines.zen_syntax import len_rewrite

PATHS = ["a", "b", "n", "s", "xs", "obj.k", "obj.m.z", "xs[0]", "xs[3]", "s[0]", "gone", "gone.x"]
NUMBERS = [
    "0",
    "0.0",
    "0.00",
    "1",
    "1.0",
    "1.50",
    "1.08",
    "0.1",
    "0.2",
    "0.3",
    "2.5",
    "1950",
    "9007199254740993",
    "79228162514264337593543950335",
    "7922816251426433759354395033.5",
    "0.30000000000000004",
    "3.333333333333333333333333333",
    "0.0000000000000000000000000001",
]
BINARY = ["==", "!=", "<", "<=", ">", ">=", "and", "or", "+", "-", "*", "??", "/", "%"]

# What documents hold once parsed from JSON, including what ZEN cannot take
# (floats beyond its decimals, 65-bit integers, NaN).
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**64), 2**65),
    st.integers(-2000, 2000),
    st.floats(),
    st.floats(-1e6, 1e6),
    st.sampled_from([0.1, 0.2, 0.3, -0.0, 0.0, 1.5, 2.5, -2.5, 1e-30, 7.9e28, 1e30, 1950.0]),
    st.text(max_size=3),
    st.sampled_from(["x", "é", "ab", "", "1", "\ud800"]),
)
# Array elements ZEN can convert: len() counts an array without reading it.
ELEMENTS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**64 - 1),
    st.floats(-1e20, 1e20),
    st.text(max_size=3),
)
DOCS = st.fixed_dictionaries(
    {},
    optional={
        "a": SCALARS,
        "b": SCALARS,
        "n": SCALARS,
        "s": SCALARS,
        "xs": st.one_of(st.lists(ELEMENTS, max_size=5), SCALARS),
        "obj": st.one_of(
            st.fixed_dictionaries(
                {},
                optional={
                    "k": SCALARS,
                    "m": st.fixed_dictionaries({}, optional={"z": SCALARS}),
                },
            ),
            SCALARS,
        ),
    },
)


def _atoms() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(PATHS),
        st.sampled_from(NUMBERS),
        st.integers(0, 10**6).map(str),
        st.tuples(st.integers(0, 10**4), st.text("0123456789", min_size=1, max_size=6)).map(
            lambda t: f"{t[0]}.{t[1]}"
        ),
        st.sampled_from(["'x'", '"x"', "''", '"ab"', "'é'", "'1'"]),
        st.sampled_from(["true", "false", "null"]),
        st.sampled_from(PATHS).map(lambda p: f"len({p})"),
    )


def _extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(st.sampled_from(["not ", "-", "- ", "+"]), inner).map("".join),
        st.tuples(inner, st.sampled_from(BINARY), inner, st.sampled_from([" ", ""])).map(
            lambda t: f"{t[0]} {t[1]} {t[2]}" if t[1] in ("and", "or") else t[3].join(t[:3])
        ),
        inner.map(lambda c: f"({c})"),
        inner.map(lambda c: f"round({c})"),
        st.tuples(inner, st.integers(0, 30)).map(lambda t: f"round({t[0]}, {t[1]})"),
    )


EXPRESSIONS = st.recursive(_atoms(), _extend, max_leaves=7)


def outcome(evaluate: Any, doc: Any) -> tuple[str, str]:
    """A value by type and repr (so 1 != 1.0 and 0.0 != -0.0), or ZEN's failure."""
    try:
        value = evaluate(doc)
    except Exception as exc:
        return f"error {type(exc).__name__}", str(exc).split("\n", 1)[0]
    return type(value).__name__, repr(value)


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=EXPRESSIONS, doc=DOCS)
def test_native_evaluation_gives_zens_value_or_zens_failure(text: str, doc: Any) -> None:
    assume(zen.validate_expression(text) is None)
    native, reference = compile_expression(text), compile_expression(text, native=False)
    assert reference.native is None
    assert outcome(native.evaluate, doc) == outcome(reference.evaluate, doc)


@settings(max_examples=800, deadline=None)
@given(x=st.one_of(st.floats(), st.floats(-1e6, 1e6), st.floats(-1e-20, 1e-20)))
def test_floats_enter_and_leave_as_zen_converts_them(x: float) -> None:
    number = num.from_f64(x)
    try:
        seen = zen.evaluate_expression("a", {"a": x})
    except Exception:
        assert number is None
        return
    assert number is not None
    assert repr(num.to_f64(number)) == repr(seen)
    negative, mantissa, scale = num.parts(number)
    digits = str(mantissa).rjust(scale + 1, "0")
    literal = digits if scale == 0 else f"{digits[:-scale]}.{digits[-scale:]}"
    assert zen.evaluate_expression(f"a == {'-' if negative else ''}{literal}", {"a": x}) is True


@pytest.mark.parametrize(
    "text",
    [
        "len(equipment) >= 3",
        "building.yearBuilt < 1950",
        'state == "NY" and not (premium > 1000 or premium <= 0)',
        "round(premium * 1.08 + (fees.nyPolicyFee ?? 0), 2)",
        "-premium + 2 != 3",
        "items[0].value - items[1].value",
        "'a' + name",
        "len(name)",
        "round(premium, 4294967295)",
    ],
)
def test_the_common_rule_shapes_are_evaluated_natively(text: str) -> None:
    doc = {
        "equipment": [{}] * 5,
        "building": {"yearBuilt": 1938},
        "state": "NY",
        "premium": 640.5,
        "fees": {"nyPolicyFee": 25},
        "items": [{"value": 10.25}, {"value": 3}],
        "name": "crane",
    }
    evaluate = compile_expression(text).native
    assert evaluate is not None
    try:
        evaluate(doc)
    except Defer:  # pragma: no cover - the assertion below explains
        pytest.fail(f"{text!r} fell back to ZEN")
    assert outcome(compile_expression(text).evaluate, doc) == outcome(
        compile_expression(text, native=False).evaluate, doc
    )


def test_a_counted_array_is_never_handed_to_zen() -> None:
    """``len(path)`` in an expression ZEN must evaluate (here for ``/``) becomes a number:
    ZEN could not even take this array (1e30 is beyond its decimals), yet it counts it."""
    expression = compile_expression("len(items) / 2 > 1")
    assert expression.native is None
    assert expression.counted is not None
    assert expression.evaluate({"items": [1e30, 2, 3]}) is True
    with pytest.raises(Exception, match="floating point"):
        compile_expression("len(items) / 2 > 1", native=False).evaluate({"items": [1e30]})


@pytest.mark.parametrize(
    ("text", "rewritten"),
    [
        ("len(a) > 1 and len(b.c[0]) / 2 > 0", "__irx_len_0 > 1 and __irx_len_1 / 2 > 0"),
        ("sum(map(xs, len(#)))", None),  # inside a closure: len of each element
        ("(len(a) + 1) % 2 == 0", "(__irx_len_0 + 1) % 2 == 0"),
        ("max([len(a), 2])", None),
        ("contains(x, len(a))", None),  # inside another function's arguments
        ("a.len(b)", None),
        ("a = [1]; len(a)", None),  # assigned locally
        ("len($.a)", None),
        ('len("abc")', None),
    ],
)
def test_len_is_rewritten_only_where_the_meaning_cannot_change(
    text: str, rewritten: str | None
) -> None:
    result = len_rewrite(text)
    assert (result[0] if result else None) == rewritten


NUMERIC_DOCS = st.fixed_dictionaries(
    {},
    optional={
        name: st.one_of(
            st.integers(-(10**6), 10**6),
            st.integers(-(2**63), 2**64 - 1),
            st.floats(-1e9, 1e9),
            st.floats(-1e-3, 1e-3),
            st.decimals(-1000, 1000, places=4).map(float),
            st.sampled_from([0, -0.0, 0.1, 0.2, 0.5, 2.5, -2.5, 1e20, 1e-20, 123456.789]),
        )
        for name in ("a", "b", "n")
    },
)


def _numeric(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "<", ">=", "==", "??"]), inner).map(
            " ".join
        ),
        st.tuples(st.sampled_from(["-", "+"]), inner).map("".join),
        inner.map(lambda c: f"({c})"),
        st.tuples(inner, st.integers(0, 29)).map(lambda t: f"round({t[0]}, {t[1]})"),
    )


NUMERIC = st.recursive(
    st.one_of(
        st.sampled_from(["a", "b", "n", "gone", *NUMBERS]),
        st.tuples(st.integers(0, 10**9), st.text("0123456789", min_size=1, max_size=12)).map(
            lambda t: f"{t[0]}.{t[1]}"
        ),
    ),
    _numeric,
    max_leaves=6,
)


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=NUMERIC, doc=NUMERIC_DOCS)
def test_decimal_arithmetic_gives_zens_numbers(text: str, doc: Any) -> None:
    """Sums, products, roundings and comparisons of decimals of every scale: the
    native answer (or ZEN's, where rust_decimal would round) is ZEN's to the bit."""
    assume(zen.validate_expression(text) is None)
    native, reference = compile_expression(text), compile_expression(text, native=False)
    assert outcome(native.evaluate, doc) == outcome(reference.evaluate, doc)


@pytest.mark.parametrize("text", ["a ?? b", "true or b > 1", "false and b", "a > 0 or b == 1"])
@pytest.mark.parametrize("unreadable", [1e30, 2**70, float("nan"), "\ud800"])
def test_a_value_zen_cannot_take_fails_as_in_zen_even_unread(text: str, unreadable: Any) -> None:
    doc = {"a": 1, "b": unreadable}
    expected = outcome(compile_expression(text, native=False).evaluate, doc)
    assert expected[0].startswith("error")
    assert outcome(compile_expression(text).evaluate, doc) == expected


def test_a_path_zen_is_not_handed_is_not_read_natively_either() -> None:
    """ZEN strings have no escapes; the path finder reads ``\\'`` as one, so it takes
    ``b`` for part of a string and ZEN sees null there. The native reading agrees."""
    text = "'a\\' + b + '\\'"
    assert compile_expression(text).native is None
    doc = {"b": "x"}
    assert outcome(compile_expression(text).evaluate, doc) == outcome(
        compile_expression(text, native=False).evaluate, doc
    )


def test_round_to_more_places_than_zen_takes_fails_in_zen() -> None:
    text = "round(premium, 4294967296)"
    assert compile_expression(text).native is None
    doc = {"premium": 1.55}
    expected = outcome(compile_expression(text, native=False).evaluate, doc)
    assert expected[0].startswith("error")
    assert outcome(compile_expression(text).evaluate, doc) == expected
